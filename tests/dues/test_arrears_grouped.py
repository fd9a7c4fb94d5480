"""``arrears`` reads each member's last paid month and first profile month with one GROUP BY
each; on a generated set it answers exactly what the former correlated lookups answered."""

import datetime as dt
import random

import pytest
from django.db.models import OuterRef, Subquery

from dangjian.core.calendar import add_months, month_count
from dangjian.dues.models import DuesPaidMonth, DuesProfile
from dangjian.dues.rates import RateBook, month_label
from dangjian.dues.selectors import (
    MEMBER_FIELDS,
    Arrear,
    MemberRow,
    _without_waived,
    arrears,
    members_of,
    owed_from,
)
from tests.dues.conftest import pay, set_profile

pytestmark = pytest.mark.django_db


def _correlated(*, org, as_of, min_months=1):
    """The former reading: one query with a correlated lookup per member (the oracle)."""
    members = members_of(org)
    last_paid_q = (
        DuesPaidMonth.objects.filter(member=OuterRef("pk"), voided=False, month__lte=as_of)
        .order_by("-month")
        .values("month")[:1]
    )
    first_profile_q = (
        DuesProfile.objects.filter(member=OuterRef("pk"), effective_month__lte=as_of)
        .order_by("effective_month")
        .values("effective_month")[:1]
    )
    params = RateBook().rule("DUE-6", as_of).params
    found = []
    for values in members.annotate(
        last_paid=Subquery(last_paid_q), first_profile=Subquery(first_profile_q)
    ).values_list(*MEMBER_FIELDS, "last_paid", "first_profile"):
        m, paid, first = MemberRow(*values[:-2]), values[-2], values[-1]
        start = owed_from(m, params, first) if first is not None else None
        if start is None:
            continue
        run_start = max(start, add_months(paid, 1, first=True)) if paid else start
        count = month_count(run_start, as_of)
        profiles = list(
            DuesProfile.objects.filter(member_id=m.id, effective_month__lte=as_of).order_by(
                "effective_month", "id"
            )
        )
        if count and any(p.adjustment == "waived" for p in profiles):
            count, run_start = _without_waived(profiles, run_start, as_of)
        if count >= min_months:
            found.append(Arrear(m.id, m.name, m.org_id, count, run_start, paid))
    found.sort(key=lambda a: (-a.months, a.org_id, a.name))
    return found


def test_grouped_arrears_are_the_correlated_ones(world):
    rng = random.Random(18)
    start = dt.date(2025, 1, 1)
    members = [*world.members_a, *world.members_b, *world.members_d]
    for i, m in enumerate(members):
        if i == 0:
            continue  # no profile: owes nothing on the platform
        first = add_months(start, rng.randrange(0, 6))
        set_profile(m, month=first)
        if i == 1:
            set_profile(
                m,
                month=add_months(first, 4),
                base="3000",
                adjustment="waived",
                branch_decided_on=add_months(first, 3),
                approved_on=add_months(first, 3),
                approval_ref="批复",
            )
            set_profile(m, month=add_months(first, 7))
        months = [add_months(first, k) for k in range(rng.randrange(0, 14))]
        if i == 1:
            months = [
                d for d in months if not 4 <= (d.year - first.year) * 12 + d.month - first.month < 7
            ]
        if months:
            pay(m, [month_label(d) for d in months])
    for org in (world.w, world.c1, world.a, world.d):
        for k in (0, 3, 8, 14, 20):
            as_of = add_months(start, k)
            for min_months in (1, 3):
                new = arrears(org=org, as_of=as_of, min_months=min_months)
                old = _correlated(org=org, as_of=as_of, min_months=min_months)
                assert new == old, (org.name, as_of, min_months)
    assert arrears(org=world.w, as_of=add_months(start, 20))  # the set has arrears
