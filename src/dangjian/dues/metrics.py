"""Dues metrics for the assessment (``core.metrics``): set-based, a constant number of
queries whatever the number of orgs."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from dangjian.core import metrics
from dangjian.core.metrics import Reading, metric
from dangjian.dues.models import DuesPaidMonth
from dangjian.dues.selectors import PARTY
from dangjian.members.models import Member


def _last_month(year: int, today: dt.date) -> int:
    """The last month of ``year`` counted: this month for this year, December before, none
    for a year not begun."""
    if year > today.year:
        return 0
    return today.month if year == today.year else 12


def _summary_url(org, year: int) -> str:
    return metrics.link("dues:summary", query=f"org={org.pk}&year={year}")


@metric(
    "dues:collection_rate",
    title="党费按月交纳率（已交人月 / 应交人月）",
    unit="rate",
    source=_summary_url,
    description="年内每月在册党员（含预备党员）计一个应交人月，已登记交纳的月份计已交人月。",
)
def collection_rate(orgs, year: int) -> dict[int, Reading]:
    """Three queries: the owners of the subtrees' orgs, the party members' months on the
    rolls, the paid months (not voided) per org."""
    last = _last_month(year, timezone.localdate())
    if not last:
        return {}
    owner_of = metrics.owners(orgs)
    due: dict[int, int] = {}
    members = Member.objects.filter(status__in=PARTY, org_id__in=list(owner_of)).exclude(
        left_on__lt=dt.date(year, 1, 1)
    )
    for org_id, joined, left in members.values_list("org_id", "joined_at", "left_on"):
        first = joined.month if joined and joined.year == year else 1
        if joined and joined.year > year:
            continue
        end = left.month if left and left.year == year else last
        months = max(0, min(end, last) - first + 1)
        owner = owner_of[org_id]
        due[owner] = due.get(owner, 0) + months
    paid_rows = (
        DuesPaidMonth.objects.filter(
            voided=False,
            month__gte=dt.date(year, 1, 1),
            month__lte=dt.date(year, last, 1),
            org_id__in=list(owner_of),
        )
        .values("org_id")
        .annotate(n=Count("id"))
        .values_list("org_id", "n")
        .order_by()
    )
    paid: dict[int, int] = {}
    for org_id, n in paid_rows:
        owner = owner_of[org_id]
        paid[owner] = paid.get(owner, 0) + n
    return {
        org_id: Reading(min(paid.get(org_id, 0), months), months)
        for org_id, months in due.items()
        if months
    }
