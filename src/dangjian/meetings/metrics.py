"""Meetings metrics for the assessment (``core.metrics``): set-based, a constant number of
queries whatever the number of orgs."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from dangjian.core import metrics
from dangjian.core.metrics import Reading, metric
from dangjian.meetings.models import Meeting, PlanSlot


def _plan_url(org, year: int) -> str:
    return metrics.link("meetings:plan", query=f"org={org.pk}&year={year}")


@metric(
    "meetings:held_rate",
    title="年度计划组织生活按期召开率",
    unit="rate",
    source=_plan_url,
    description="年度计划中应完成日期已到的会议（三会一课、主题党日、组织生活会等），"
    "已按计划召开的比例；没有年度计划的组织为缺项。",
)
def held_rate(orgs, year: int) -> dict[int, Reading]:
    """Two queries: the owners of the subtrees' orgs, the plan slots due so far per org with
    the number of them held."""
    owner_of = metrics.owners(orgs)
    today = timezone.localdate()
    rows = (
        PlanSlot.objects.filter(year=year, due_on__lte=today, org_id__in=list(owner_of))
        .values("org_id")
        .annotate(
            n=Count("id", distinct=True),
            done=Count("id", filter=Q(meetings__status=Meeting.Status.HELD), distinct=True),
        )
        .values_list("org_id", "done", "n")
        .order_by()
    )
    sums = metrics.rollup(owner_of, rows)
    return {org_id: Reading(done, n) for org_id, (done, n) in sums.items() if n}
