"""What consultation contributes to the workbench (工作台): questions, suggestions and
complaints of the user's orgs to answer — late first, then due this week — and one figure
(open ones, how many late)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q

from dangjian.core.workbench import DUE, OVERDUE, Figure, Todo, WorkbenchContext, provider, url
from dangjian.engagement.models import Consultation

SHOWN = 20


@provider("todos", order=75)
def replies_due(ctx: WorkbenchContext) -> Iterable[Todo]:
    """One query."""
    rows = (
        Consultation.objects.manageable_by(ctx.user)
        .filter(status=Consultation.Status.OPEN, due_on__lte=ctx.week_end)
        .select_related("org")
        .order_by("due_on", "id")[:SHOWN]
    )
    for c in rows:
        late = c.due_on < ctx.today
        yield Todo(
            what=f"{c.get_kind_display()}：{c.short}",
            org_name=c.org.name,
            due_on=c.due_on,
            status=OVERDUE if late else DUE,
            action="答复",
            url=url("engagement:consultation", c.pk),
            source="线上咨询",
        )


@provider("figures", order=75)
def open_consultations(ctx: WorkbenchContext) -> Iterable[Figure]:
    """One aggregate."""
    c = (
        Consultation.objects.manageable_by(ctx.user)
        .filter(status=Consultation.Status.OPEN)
        .aggregate(n=Count("id"), late=Count("id", filter=Q(due_on__lt=ctx.today)))
    )
    yield Figure(
        label="咨询与意见待答复",
        value=f"{c['n']} 件",
        url=url("engagement:consultations"),
        note=f"其中逾期 {c['late']} 件" if c["late"] else "无逾期",
        tone="overdue" if c["late"] else ("ok" if not c["n"] else ""),
        order=75,
    )
