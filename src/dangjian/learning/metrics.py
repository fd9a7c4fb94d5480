"""Learning metrics for the assessment (``core.metrics``). Only the share of members who
meet EDU-1 (the yearly credited training hours the regulation requires) is offered: a
person's study time, points or time online are never a basis of evaluation (ANT-2), and the
assessment refuses indicators over them whether or not a metric exists."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from dangjian.core import metrics
from dangjian.core.metrics import Reading, metric
from dangjian.learning.models import StudyCredit, StudyExemption
from dangjian.members.models import Member
from dangjian.standards.selectors import rule_in_force

PARTY = (Member.Status.FULL, Member.Status.PROBATIONARY)


def _hours_url(org, year: int) -> str:
    return metrics.link("learning:hours", query=f"org={org.pk}&year={year}")


@metric(
    "learning:completion",
    title="党员年度学时达标率（EDU-1）",
    unit="rate",
    source=_hours_url,
    description="在册党员中年度认定学时达到 EDU-1 要求的比例（按规定不作硬性要求的党员不计）。",
)
def completion(orgs, year: int) -> dict[int, Reading]:
    """Five queries: the rule, the owners, the members, their credited hours, exemptions."""
    import datetime as dt

    need = Decimal(str(rule_in_force("EDU-1", dt.date(year, 12, 31)).params["min_hours"]))
    owner_of = metrics.owners(orgs)
    members = dict(
        Member.objects.filter(
            status__in=PARTY, left_on__isnull=True, org_id__in=list(owner_of)
        ).values_list("pk", "org_id")
    )
    org_ids = list(owner_of)
    hours = dict(
        StudyCredit.objects.filter(
            status=StudyCredit.Status.APPROVED, year=year, member__org_id__in=org_ids
        )
        .values("member_id")
        .annotate(h=Sum("hours"))
        .values_list("member_id", "h")
        .order_by()
    )
    exempt = set(
        StudyExemption.objects.filter(year=year, member__org_id__in=org_ids).values_list(
            "member_id", flat=True
        )
    )
    sums: dict[int, list[int]] = {}
    for member_id, org_id in members.items():
        if member_id in exempt:
            continue
        acc = sums.setdefault(owner_of[org_id], [0, 0])
        acc[1] += 1
        if (hours.get(member_id) or 0) >= need:
            acc[0] += 1
    return {org_id: Reading(ok, n) for org_id, (ok, n) in sums.items() if n}
