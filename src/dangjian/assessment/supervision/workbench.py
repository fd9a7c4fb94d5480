"""What supervision contributes to the workbench (工作台): campaigns with targets still to
inspect ("what I must visit"), duty reports this user may rate ("what I must rate"), and the
secretary's own duty report when SUP-2's reminder month has come. Constant queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dangjian.assessment.supervision import selectors
from dangjian.assessment.supervision.models import DutyReport, Inspection
from dangjian.core.workbench import DUE, OVERDUE, Todo, WorkbenchContext, provider, url


@provider("todos", order=51)
def inspections_to_visit(ctx: WorkbenchContext) -> Iterable[Todo]:
    """One query: open campaigns the user runs, with their coverage."""
    if not ctx.reach.is_manager:
        return
    rows = selectors.with_coverage(
        Inspection.objects.manageable_by(ctx.user)
        .filter(status=Inspection.Status.OPEN)
        .select_related("org")
    ).order_by("ends_on", "id")[:20]
    for i in rows:
        left = i.n_targets - i.n_inspected
        if left <= 0:
            continue
        late = i.ends_on is not None and i.ends_on < ctx.today
        yield Todo(
            what=f"督查「{i.title}」：还有 {left} 个党支部未督查"
            f"（已督查 {i.n_inspected}/{i.n_targets}）",
            org_name=i.org.name,
            due_on=i.ends_on,
            status=OVERDUE if late else DUE,
            action="登记督查",
            url=url("assessment:inspection_detail", i.pk),
            source="督查",
        )


@provider("todos", order=52)
def duty_reports_to_rate(ctx: WorkbenchContext) -> Iterable[Todo]:
    """Two queries (the user's positions, the reports)."""
    for r in selectors.to_rate(ctx.user).order_by("org__path")[:20]:
        yield Todo(
            what=f"述职评议：{r.reporter.name} {r.year}年度述职",
            org_name=r.org.name,
            due_on=None,
            status=DUE,
            action="评议",
            url=url("assessment:duty_report_detail", r.pk),
            source="述职评议",
        )


@provider("todos", order=53)
def my_duty_report_due(ctx: WorkbenchContext) -> Iterable[Todo]:
    """A secretary whose org has no duty report this year, from SUP-2's reminder month on.
    Three queries (the rule, the positions, the reports)."""
    from dangjian.core.errors import DomainError
    from dangjian.orgs.models import Position
    from dangjian.standards.selectors import rule_in_force

    if not ctx.reach.is_manager:
        return
    try:
        rule = rule_in_force("SUP-2", ctx.today)
    except DomainError:
        return
    year = ctx.today.year
    month = int(rule.params.get("remind_month", 12))
    if ctx.today < dt.date(year, month, 1):
        return
    positions = list(
        Position.objects.active(ctx.today)
        .filter(
            user=ctx.user,
            role=Position.Role.SECRETARY,
            org__kind__in=rule.applies_to.get("kinds") or ["branch"],
        )
        .select_related("org")
    )
    if not positions:
        return
    done = set(
        DutyReport.objects.filter(org__in=[p.org_id for p in positions], year=year).values_list(
            "org_id", flat=True
        )
    )
    for p in positions:
        if p.org_id in done:
            continue
        yield Todo(
            what=f"书记年度述职（SUP-2）：{year}年度述职报告尚未登记",
            org_name=p.org.name,
            due_on=dt.date(year, 12, 31),
            status=DUE,
            action="登记述职",
            url=url("assessment:duty_reports"),
            source="述职评议",
        )
