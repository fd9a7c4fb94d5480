"""The 党建+业务 panel of the 驾驶舱 (``core.panels``): the year's joint initiatives by
phase and their tasks done, open and overdue. Two grouped queries over the whole platform."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from dangjian.core.panels import Chart, Figure, PanelContext, panel
from dangjian.work.models import Initiative, Phase, Task

PHASES = [(f"phase.{p.value}", p.label) for p in Phase]


def _initiatives(org, year: int) -> str:
    return f"{reverse('work:initiatives')}?org={org.pk}&year={year}"


def _tasks(status: str = ""):
    def url(org, year: int) -> str:
        query = f"org={org.pk}&year={year}" + (f"&status={status}" if status else "")
        return f"{reverse('work:tasks')}?{query}"

    return url


@panel(
    "work",
    title="党建+业务",
    order=80,
    figures=[
        Figure("initiatives", "本年融合项目", unit="count", link=_initiatives),
        *[Figure(k, label, unit="count", link=_initiatives) for k, label in PHASES],
        Figure("done_rate", "项目完成率", unit="rate", rate=("phase.done", "initiatives")),
        Figure("tasks", "本年任务", unit="count", link=_tasks()),
        Figure("tasks_done", "已完成任务", unit="count", link=_tasks(Task.Status.DONE)),
        Figure("tasks_overdue", "逾期未完成任务", unit="count", link=_tasks(Task.Status.OVERDUE)),
        Figure("tasks_rate", "任务完成率", unit="rate", rate=("tasks_done", "tasks")),
    ],
    charts=[
        Chart("bar", "融合项目所处阶段", tuple(k for k, _ in PHASES)),
        Chart("pie", "任务完成情况", ("tasks_done", "tasks_overdue")),
    ],
    watch=("work.Initiative", "work.Task"),
    headline="done_rate",
    description="本年度融合项目按所处阶段（谋划、部署、落实、检查、已完成），及完成时限在本年的任务。",
)
def work(ctx: PanelContext) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    for org_id, phase, n in (
        Initiative.objects.filter(year=ctx.year)
        .values("org_id", "phase")
        .annotate(n=Count("id"))
        .values_list("org_id", "phase", "n")
        .order_by()
    ):
        acc = out.setdefault(org_id, {})
        acc["initiatives"] = acc.get("initiatives", 0) + n
        acc[f"phase.{phase}"] = n
    for org_id, n, done, late in (
        Task.objects.filter(due__year=ctx.year)
        .values("org_id")
        .annotate(
            n=Count("id"),
            done=Count("id", filter=Q(status=Task.Status.DONE)),
            late=Count("id", filter=Q(due__lt=ctx.as_of) & ~Q(status=Task.Status.DONE)),
        )
        .values_list("org_id", "n", "done", "late")
        .order_by()
    ):
        acc = out.setdefault(org_id, {})
        acc.update(tasks=n, tasks_done=done, tasks_overdue=late)
    return out
