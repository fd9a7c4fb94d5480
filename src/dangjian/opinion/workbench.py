"""What the opinion watch contributes to the workbench (工作台): cases whose reply deadline
is past or falls this week, matched items waiting to be judged, and one figure."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Min, Q
from django.utils import timezone

from dangjian.core.workbench import DUE, OVERDUE, Figure, Todo, WorkbenchContext, provider, url
from dangjian.opinion.models import OpinionCase, OpinionItem

SHOWN = 10


@provider("todos", order=75)
def cases_due(ctx: WorkbenchContext) -> Iterable[Todo]:
    """One query."""
    now = timezone.now()
    rows = (
        OpinionCase.objects.manageable_by(ctx.user)
        .filter(status=OpinionCase.Status.OPEN, due_at__date__lte=ctx.week_end)
        .select_related("org", "item")
        .order_by("due_at", "id")[:SHOWN]
    )
    for c in rows:
        late = c.due_at < now
        yield Todo(
            what=f"舆情回应（{c.get_level_display()}）：{c.item.title[:40]}",
            org_name=c.org.name,
            due_on=timezone.localtime(c.due_at).date(),
            status=OVERDUE if late else DUE,
            action="登记回应",
            url=url("opinion:case", c.pk),
            source="舆情研判",
            detail=f"时限 {timezone.localtime(c.due_at):%m-%d %H:%M}",
        )


@provider("todos", order=76)
def items_waiting(ctx: WorkbenchContext) -> Iterable[Todo]:
    """One aggregate per org: matched items not yet judged."""
    rows = (
        OpinionItem.objects.manageable_by(ctx.user)
        .filter(matched=True, status=OpinionItem.Status.NEW)
        .values("org_id", "org__name")
        .annotate(n=Count("id"), since=Min("created_at"))
        .order_by("since")[:SHOWN]
    )
    for r in rows:
        yield Todo(
            what=f"待研判舆情 {r['n']} 条",
            org_name=r["org__name"],
            due_on=None,
            status=DUE,
            action="研判",
            url=url("opinion:items", query=f"org={r['org_id']}&matched=1&status=new"),
            source="舆情研判",
        )


@provider("figures", order=75)
def open_cases(ctx: WorkbenchContext) -> Iterable[Figure]:
    """One aggregate."""
    c = (
        OpinionCase.objects.manageable_by(ctx.user)
        .filter(status=OpinionCase.Status.OPEN)
        .aggregate(n=Count("id"), late=Count("id", filter=Q(due_at__lt=timezone.now())))
    )
    if not c["n"]:
        return
    yield Figure(
        label="舆情研判处置中",
        value=f"{c['n']} 件",
        url=url("opinion:cases"),
        note=f"其中逾期 {c['late']} 件" if c["late"] else "均在回应时限内",
        tone="overdue" if c["late"] else "",
        order=75,
    )
