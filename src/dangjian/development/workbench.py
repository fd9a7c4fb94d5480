"""What the procedures (一件事) contribute to the workbench (工作台): open cases whose
current step is overdue or due this week, with the step to do."""

from __future__ import annotations

from collections.abc import Iterable

from dangjian.core.workbench import DUE, OVERDUE, Figure, Todo, WorkbenchContext, provider, url
from dangjian.development.models import Case, Procedure, ProcedureStep

DETAIL = {
    Procedure.Code.DEVELOPMENT: "development:case_detail",
    Procedure.Code.TRANSFER: "development:transfer_detail",
    Procedure.Code.ELECTION: "development:election_detail",
}
LIST = {
    Procedure.Code.DEVELOPMENT: "development:cases",
    Procedure.Code.TRANSFER: "development:transfers",
    Procedure.Code.ELECTION: "development:elections",
}


@provider("todos", order=40)
def steps_due(ctx: WorkbenchContext) -> Iterable[Todo]:
    """Two queries: the cases, then the names of their current steps."""
    cases = list(
        Case.objects.manageable_by(ctx.user)
        .open()
        .filter(next_due_on__lte=ctx.week_end)
        .select_related("procedure", "member", "org")
        .order_by("next_due_on", "id")[:50]
    )
    if not cases:
        return
    names = {
        (procedure_id, number): name
        for procedure_id, number, name in ProcedureStep.objects.filter(
            procedure_id__in={c.procedure_id for c in cases}
        ).values_list("procedure_id", "number", "name")
    }
    for c in cases:
        code = c.procedure.code
        subject = c.member.name if c.member_id else (c.target_name or c.org.name)
        step = names.get((c.procedure_id, c.current_step), "")
        yield Todo(
            what=f"{c.procedure.get_code_display()}：{subject}，第{c.current_step}步{step}",
            org_name=c.org.name,
            due_on=c.next_due_on,
            status=OVERDUE if c.next_due_on < ctx.today else DUE,
            action=f"办理第{c.current_step}步",
            url=url(DETAIL.get(code, "development:case_detail"), c.pk),
            source=c.procedure.get_code_display(),
        )


@provider("figures", order=40)
def open_cases(ctx: WorkbenchContext) -> Iterable[Figure]:
    """One aggregate: open development cases (发展党员办理中)."""
    n = Case.objects.manageable_by(ctx.user).open().of(Procedure.Code.DEVELOPMENT).count()
    yield Figure(
        label="发展党员办理中",
        value=f"{n} 件",
        url=url(LIST[Procedure.Code.DEVELOPMENT]),
        note="按流程逐步办理",
        order=40,
    )
