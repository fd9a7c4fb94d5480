"""What 党建+业务 contributes to the workbench (工作台): tasks of the user's orgs that are
overdue (escalated to whoever reaches the assignee, the assigner included) or due this week,
draft key points to publish, and one figure (open tasks, how many overdue)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q

from dangjian.core.workbench import DUE, OVERDUE, Figure, Todo, WorkbenchContext, provider, url
from dangjian.members.models import Member
from dangjian.orgs.models import Org
from dangjian.work.models import Task, WorkPlan

SHOWN = 20


@provider("todos", order=65)
def tasks_due(ctx: WorkbenchContext) -> Iterable[Todo]:
    """Three queries: the tasks cut in the order of the index ``work_task_due`` (a
    province's 60,000 open tasks are not joined before the cut), then the names of their
    orgs and members."""
    rows = list(
        Task.objects.manageable_by(ctx.user)
        .exclude(status=Task.Status.DONE)
        .filter(due__lte=ctx.week_end)
        .order_by("due", "id")[:SHOWN]
    )
    orgs = dict(Org.objects.filter(pk__in={t.org_id for t in rows}).values_list("pk", "name"))
    people = {t.member_id for t in rows if t.member_id}
    names = dict(Member.objects.filter(pk__in=people).values_list("pk", "name")) if people else {}
    for t in rows:
        who = f"（{names.get(t.member_id, '')}）" if t.member_id else ""
        late = t.due < ctx.today
        yield Todo(
            what=f"任务：{t.title}{who}",
            org_name=orgs.get(t.org_id, ""),
            due_on=t.due,
            status=OVERDUE if late else DUE,
            action="督办" if late else "报告进展",
            url=url("work:task", t.pk),
            source="党建+业务",
            detail=f"进度 {t.percent}%",
        )


@provider("todos", order=66)
def plans_to_publish(ctx: WorkbenchContext) -> Iterable[Todo]:
    """One query."""
    rows = (
        WorkPlan.objects.manageable_by(ctx.user)
        .filter(status=WorkPlan.Status.DRAFT, year__gte=ctx.today.year)
        .select_related("org")
        .order_by("year", "id")[:5]
    )
    for plan in rows:
        yield Todo(
            what=f"发布党建工作要点：{plan.title}",
            org_name=plan.org.name,
            due_on=None,
            status=DUE,
            action="审核发布",
            url=url("work:plan", plan.pk),
            source="党建+业务",
        )


@provider("figures", order=65)
def open_tasks(ctx: WorkbenchContext) -> Iterable[Figure]:
    """One aggregate."""
    c = (
        Task.objects.manageable_by(ctx.user)
        .exclude(status=Task.Status.DONE)
        .aggregate(n=Count("id"), late=Count("id", filter=Q(due__lt=ctx.today)))
    )
    yield Figure(
        label="交办任务未完成",
        value=f"{c['n']} 项",
        url=url("work:tasks"),
        note=f"其中逾期 {c['late']} 项" if c["late"] else "无逾期",
        tone="overdue" if c["late"] else ("ok" if not c["n"] else ""),
        order=65,
    )
