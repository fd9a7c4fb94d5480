"""Compliance check of the opinion watch (opinion/standards.toml): OPN-1, every case answered
within its level's hours. One query for the whole evaluated subtree."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone

from dangjian.opinion.models import Level, OpinionCase
from dangjian.standards.registry import CheckContext, Finding, Param, register

HOURS = {"min": 1, "max": 24 * 30, "unit": "小时"}


@register(
    "opinion_late_cases",
    title="舆情按时回应",
    params={
        "general_hours": Param("int", label="一般舆情回应时限", **HOURS),
        "major_hours": Param("int", label="较大舆情回应时限", **HOURS),
        "critical_hours": Param("int", label="重大舆情回应时限", **HOURS),
        "escalate_levels": Param(
            "list", choices=Level.choices, label="报告上级党组织的等级", required=False
        ),
    },
    period="none",
    batch=True,
    link=("opinion:cases",),
)
def opinion_late_cases(ctx: CheckContext) -> Iterable[Finding]:
    """Open cases past their reply deadline, per org (the deadline was fixed when the case
    was opened, by the rule version in force then)."""
    as_of = ctx.as_of
    cutoff = timezone.make_aware(dt.datetime.combine(as_of, dt.time.max))
    if as_of >= timezone.localdate():
        cutoff = timezone.now()
    rows = (
        OpinionCase.objects.in_subtree(ctx.root)
        .filter(status=OpinionCase.Status.OPEN, due_at__lt=cutoff)
        .values_list("org_id", "item__title", "due_at")
        .order_by("due_at", "id")
    )
    late: dict[int, list] = defaultdict(list)
    for org_id, title, due_at in rows:
        late[org_id].append((title, due_at))
    targets = {o.id: o.name for o in ctx.targets()}
    link = reverse("opinion:cases")
    out = []
    for org_id, cases in late.items():
        if org_id not in targets:
            continue
        title, due_at = cases[0]
        f = ctx.finding(
            org_id=org_id,
            period=ctx.period,
            met=False,
            status=Finding.Status.OVERDUE,
            expected="在回应时限内回应",
            actual=f"{len(cases)} 件逾期",
            message=(
                f"{targets[org_id]}有 {len(cases)} 件舆情研判超过回应时限未回应"
                f"（最早：{title[:30]}，时限 {timezone.localtime(due_at):%Y-%m-%d %H:%M}）"
            ),
            link=f"{link}?org={org_id}&state=late",
        )
        f.due_on = timezone.localtime(due_at).date()
        out.append(f)
    return out
