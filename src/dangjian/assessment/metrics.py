"""Metrics of the assessment app (``core.metrics``): set-based, a constant number of
queries whatever the number of orgs."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangjian.assessment.models import Rectification
from dangjian.core import metrics
from dangjian.core.metrics import Reading, metric


def _list_url(org, year: int) -> str:
    return metrics.link("assessment:rectifications", query=f"org={org.pk}")


@metric(
    "assessment:rectifications_on_time",
    title="整改按期销号率",
    unit="rate",
    source=_list_url,
    description="整改期限在本年度、已到期或已销号的整改事项中，在期限内提交并验收销号的比例。",
)
def rectifications_on_time(orgs, year: int) -> dict[int, Reading]:
    """Two queries: the owners of the subtrees' orgs, the year's items."""
    today = timezone.localdate()
    owner_of = metrics.owners(orgs)
    rows = Rectification.objects.filter(
        deadline__gte=dt.date(year, 1, 1),
        deadline__lte=dt.date(year, 12, 31),
        org_id__in=list(owner_of),
    ).values_list("org_id", "deadline", "status", "submitted_at")
    sums: dict[int, list[int]] = {}
    for org_id, deadline, status, submitted_at in rows:
        verified = status == Rectification.Status.VERIFIED
        if deadline >= today and not verified:
            continue  # still within its deadline: not judged yet
        acc = sums.setdefault(owner_of[org_id], [0, 0])
        acc[1] += 1
        if verified and submitted_at and timezone.localdate(submitted_at) <= deadline:
            acc[0] += 1
    return {org_id: Reading(ok, n) for org_id, (ok, n) in sums.items() if n}
