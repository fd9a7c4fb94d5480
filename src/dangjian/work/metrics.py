"""Assessment metrics of 党建+业务 (``core.metrics``): per org, over its subtree, for a year.

- ``work:initiatives_completed`` — joint initiatives of the year that finished their review
  (检查) phase, of all the year's initiatives led in the subtree;
- ``work:tasks_on_time`` — tasks due in the year and already due (or done) that were done by
  their due date;
- ``work:pledges_fulfilled`` — the year's pledges whose fulfilment the branch rated as one of
  WRK-3's ``fulfilled_ratings``, of all the year's pledges.

Each is one grouped query per org (the rows are summed up the tree in Python), plus one
for the rule; an org with nothing to count is left out (缺项, never 0)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from dangjian.core.metrics import Reading, metric
from dangjian.core.scope import org_tree
from dangjian.work.models import Initiative, Phase, Pledge, Task


def _roll_up(orgs: Sequence, rows) -> dict[int, Reading]:
    """``rows`` are (org path, numerator, denominator) per org; each requested org gets the
    sum over its subtree (every row adds to its own path and its ancestors')."""
    step = org_tree().path_step
    wanted = {o.path: o.pk for o in orgs}
    num: dict[int, int] = defaultdict(int)
    den: dict[int, int] = defaultdict(int)
    for path, n, d in rows:
        for end in range(step, len(path) + 1, step):
            org_id = wanted.get(path[:end])
            if org_id is not None:
                num[org_id] += n
                den[org_id] += d
    return {org_id: Reading(num[org_id], d) for org_id, d in den.items() if d}


def _common_root(orgs: Sequence) -> str:
    paths = [o.path for o in orgs]
    if not paths:
        return ""
    step = org_tree().path_step
    first = min(paths)
    prefix = first
    for p in paths:
        while not p.startswith(prefix):
            prefix = prefix[: len(prefix) - step]
    return prefix


def _source(name: str):
    def url(org, year: int) -> str:
        return f"{reverse(name)}?org={org.pk}&year={year}"

    return url


@metric(
    "work:initiatives_completed",
    title="融合项目完成率",
    unit="rate",
    source=_source("work:initiatives"),
    description="本年度融合项目中已完成检查阶段的比例（含下级组织牵头的项目）。",
)
def initiatives_completed(orgs: Sequence, year: int) -> dict[int, Reading]:
    if not orgs:
        return {}
    rows = (
        Initiative.objects.in_subtree(_common_root(orgs))
        .filter(year=year)
        .values("org__path")
        .annotate(n=Count("id", filter=Q(phase=Phase.DONE)), d=Count("id"))
        .values_list("org__path", "n", "d")
        .order_by()
    )
    return _roll_up(orgs, rows)


@metric(
    "work:tasks_on_time",
    title="任务按期完成率",
    unit="rate",
    source=_source("work:tasks"),
    description="本年度到期（或已完成）的交办任务中，在完成时限内办结的比例。",
)
def tasks_on_time(orgs: Sequence, year: int, *, today: dt.date | None = None) -> dict:
    if not orgs:
        return {}
    today = today or timezone.localdate()
    counted = Q(due__lt=today) | Q(status=Task.Status.DONE)
    rows = (
        Task.objects.in_subtree(_common_root(orgs))
        .filter(due__year=year)
        .filter(counted)
        .values("org__path")
        .annotate(
            n=Count("id", filter=Q(status=Task.Status.DONE, completed_on__lte=F("due"))),
            d=Count("id"),
        )
        .values_list("org__path", "n", "d")
        .order_by()
    )
    return _roll_up(orgs, rows)


def fulfilled_ratings(year: int) -> list[str]:
    """WRK-3's ratings that count as fulfilled, from the version in force at the year end."""
    from dangjian.standards.selectors import rule_in_force

    rule = rule_in_force("WRK-3", dt.date(year, 12, 31))
    return list(rule.params.get("fulfilled_ratings") or [])


@metric(
    "work:pledges_fulfilled",
    title="承诺践诺率",
    unit="rate",
    source=_source("work:posts"),
    description="本年度党员承诺中，经支部评定为已践诺的比例（计入的评定见规则 WRK-3）。",
)
def pledges_fulfilled(orgs: Sequence, year: int) -> dict[int, Reading]:
    if not orgs:
        return {}
    ratings = fulfilled_ratings(year)
    rows = (
        Pledge.objects.in_subtree(_common_root(orgs))
        .filter(year=year)
        .values("member__org__path")
        .annotate(n=Count("id", filter=Q(rating__in=ratings)), d=Count("id"))
        .values_list("member__org__path", "n", "d")
        .order_by()
    )
    return _roll_up(orgs, rows)
