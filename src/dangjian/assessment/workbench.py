"""What the rectification list (整改清单) contributes to the workbench (工作台): items
overdue or due this week, and items submitted and waiting to be verified."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from dangjian.assessment.models import Rectification
from dangjian.core.workbench import DUE, OVERDUE, Figure, Todo, WorkbenchContext, provider, url


@provider("todos", order=50)
def rectifications_due(ctx: WorkbenchContext) -> Iterable[Todo]:
    """One query."""
    rows = (
        Rectification.objects.manageable_by(ctx.user)
        .open()
        .filter(Q(deadline__lte=ctx.week_end) | Q(status=Rectification.Status.SUBMITTED))
        .select_related("org", "owner")
        .order_by("deadline", "id")[:50]
    )
    for r in rows:
        submitted = r.status == Rectification.Status.SUBMITTED
        yield Todo(
            what=f"整改：{r.item}（责任人 {r.owner.name}）",
            org_name=r.org.name,
            due_on=r.deadline,
            status=OVERDUE if r.deadline < ctx.today else DUE,
            action="验收销号" if submitted else "督促整改",
            url=url("assessment:rectification_detail", r.pk),
            source="整改",
            detail="已提交整改情况，待验收" if submitted else "",
        )


@provider("figures", order=50)
def open_rectifications(ctx: WorkbenchContext) -> Iterable[Figure]:
    """One aggregate: open items and how many of them are overdue."""
    from django.db.models import Count

    counts = (
        Rectification.objects.manageable_by(ctx.user)
        .open()
        .aggregate(n=Count("id"), late=Count("id", filter=Q(deadline__lt=ctx.today)))
    )
    n, late = counts["n"], counts["late"]
    yield Figure(
        label="整改未销号",
        value=f"{n} 项",
        url=url("assessment:rectifications"),
        note=f"其中逾期 {late} 项" if late else "无逾期",
        tone="overdue" if late else ("ok" if not n else ""),
        order=50,
    )
