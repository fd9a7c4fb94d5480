"""The development panel of the 驾驶舱 (``core.panels``): the pipeline of membership
development — open development cases by the stage of their current step (the five stages of
the 发展细则), overdue steps, people at each status before joining, and those who joined in
the year. Four queries over the whole platform."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from dangjian.core.panels import Chart, Figure, PanelContext, panel
from dangjian.development.models import Case, Procedure, ProcedureStep
from dangjian.development.procedures import DEV_STAGES
from dangjian.members.models import Member

STAGES = [(f"stage.{n}", name) for n, name in DEV_STAGES.items()]
WAITING = (Member.Status.APPLICANT, Member.Status.ACTIVIST, Member.Status.CANDIDATE)


def _cases(org, year: int) -> str:
    return f"{reverse('development:cases')}?org={org.pk}&status={Case.Status.OPEN}"


def _members(status: str):
    def url(org, year: int) -> str:
        return f"{reverse('members:list')}?org={org.pk}&status={status}"

    return url


def _developed(org, year: int) -> str:
    return f"{reverse('statistics:cell')}?org={org.pk}&year={year}&cell=changes.developed"


@panel(
    "development",
    title="发展党员",
    order=50,
    figures=[
        Figure("open", "办理中的发展案卷", unit="count", link=_cases),
        *[Figure(k, label, unit="count", link=_cases) for k, label in STAGES],
        Figure("overdue", "步骤已超期", unit="count", link=_cases),
        *[Figure(s.value, s.label, link=_members(s.value)) for s in WAITING],
        Figure("developed", "本年发展党员", link=_developed),
    ],
    charts=[
        Chart("funnel", "发展党员各阶段（办理中案卷）", tuple(k for k, _ in STAGES)),
        Chart("bar", "入党申请人、积极分子、发展对象", tuple(s.value for s in WAITING)),
    ],
    watch=("development.Case", "members.Member"),
    headline="open",
    description="办理中的发展党员案卷按当前步骤所在阶段统计；本年发展党员按入党（预备）日期。",
)
def development(ctx: PanelContext) -> dict[int, dict[str, int]]:
    stage_of = {
        (proc, number): stage
        for proc, number, stage in ProcedureStep.objects.filter(
            procedure__code=Procedure.Code.DEVELOPMENT
        ).values_list("procedure_id", "number", "stage")
    }
    out: dict[int, dict[str, int]] = {}

    def add(org_id: int, key: str, n: int) -> None:
        acc = out.setdefault(org_id, {})
        acc[key] = acc.get(key, 0) + n

    cases = (
        Case.objects.filter(procedure__code=Procedure.Code.DEVELOPMENT, status=Case.Status.OPEN)
        .values("org_id", "procedure_id", "current_step")
        .annotate(n=Count("id"), late=Count("id", filter=Q(next_due_on__lt=ctx.as_of)))
        .values_list("org_id", "procedure_id", "current_step", "n", "late")
        .order_by()
    )
    for org_id, proc, step, n, late in cases:
        add(org_id, "open", n)
        add(org_id, f"stage.{stage_of.get((proc, step), 1)}", n)
        add(org_id, "overdue", late)
    waiting = (
        Member.objects.filter(status__in=WAITING, left_on__isnull=True)
        .values("org_id", "status")
        .annotate(n=Count("id"))
        .values_list("org_id", "status", "n")
        .order_by()
    )
    for org_id, status, n in waiting:
        add(org_id, status, n)
    joined = (
        Member.objects.filter(joined_at__gte=ctx.start, joined_at__lte=ctx.as_of)
        .values("org_id")
        .annotate(n=Count("id"))
        .values_list("org_id", "n")
        .order_by()
    )
    for org_id, n in joined:
        add(org_id, "developed", n)
    return out
