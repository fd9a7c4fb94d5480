"""Background work of procedures: open election cases ahead of term end (ELE-1) and remind
whoever must act on a case whose deadline is near or past."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


def election_reminders(*, today: dt.date | None = None) -> list[int]:
    """Open an election case for every current board whose term ends within the reminder
    window (ELE-1) and has no election case yet; notify the org's secretaries. Returns the
    ids of the cases opened. Idempotent: a second run opens nothing."""
    from django.urls import reverse

    from dangjian.core.actors import SYSTEM
    from dangjian.core.calendar import add_months
    from dangjian.core.services import notify
    from dangjian.development.models import Case, Procedure
    from dangjian.development.services import election_open
    from dangjian.orgs.models import Board, Position
    from dangjian.standards.selectors import rule_in_force

    today = today or dt.date.today()
    months = int(rule_in_force("ELE-1", today).params["reminder_months"])
    taken = Case.objects.of(Procedure.Code.ELECTION).exclude(status=Case.Status.CANCELLED)
    boards = (
        Board.objects.filter(
            is_current=True, term_end__lte=add_months(today, months), org__dissolved_on=None
        )
        .exclude(pk__in=taken.filter(board__isnull=False).values("board_id"))
        .exclude(org__in=taken.filter(status=Case.Status.OPEN).values("org_id"))
        .select_related("org")
    )
    opened = []
    holders: dict[int, list] = {}
    for p in (
        Position.objects.active(today)
        .filter(org__in=[b.org_id for b in boards], user__isnull=False)
        .select_related("user")
    ):
        holders.setdefault(p.org_id, []).append(p.user)
    for board in boards:
        case = election_open(actor=SYSTEM, org=board.org, opened_on=today)
        opened.append(case.pk)
        notify(
            users=holders.get(board.org_id, []),
            title=f"换届提醒：{board.org.name}任期将于{board.term_end}届满",
            body=f"已启动换届选举流程，请在任期届满前完成换届（ELE-1，届满前{months}个月提醒）。",
            link=reverse("development:election_detail", args=[case.pk]),
            dedupe_key=f"election-{board.pk}",
        )
    return opened


def deadline_reminders(*, today: dt.date | None = None, within_days: int | None = None) -> int:
    """Notify the handling org's users of each open case due within the window or overdue,
    once per case, step and due date."""
    from django.urls import reverse

    from dangjian.core.services import notify
    from dangjian.development.models import Case, ProcedureStep
    from dangjian.development.services import DETAIL_URL
    from dangjian.orgs.models import Position
    from dangjian.standards.selectors import rule_in_force

    today = today or dt.date.today()
    if within_days is None:
        within_days = int(rule_in_force("PROC-1", today).params["due_soon_days"])
    cases = list(
        Case.objects.open()
        .filter(next_due_on__isnull=False, next_due_on__lte=today + dt.timedelta(days=within_days))
        .select_related("procedure", "org", "member", "target_org")
    )
    # The acting role of each case's current step: a receiving org handles its own step.
    current = {
        (s.procedure_id, s.number): s
        for s in ProcedureStep.objects.filter(procedure__in={c.procedure_id for c in cases})
    }
    holders: dict[int, list] = {}
    org_ids = {c.org_id for c in cases} | {c.target_org_id for c in cases if c.target_org_id}
    for p in (
        Position.objects.active(today)
        .filter(org__in=org_ids, user__isnull=False)
        .select_related("user")
    ):
        holders.setdefault(p.org_id, []).append(p.user)
    sent = 0
    for case in cases:
        users = holders.get(case.org_id, [])
        step = current.get((case.procedure_id, case.current_step))
        receiver = step is not None and step.actor == ProcedureStep.Actor.RECEIVER
        if receiver and case.target_org_id:
            users = holders.get(case.target_org_id, [])
        late = case.next_due_on < today
        created = notify(
            users=users,
            title=f"{'已逾期' if late else '即将到期'}：{case}，第{case.current_step}步",
            body=f"最迟办理日期 {case.next_due_on}（{case.next_due_rule}）。",
            link=reverse(DETAIL_URL[case.procedure.code], args=[case.pk]),
            dedupe_key=f"case-due-{case.pk}-{case.current_step}-{case.next_due_on}-{int(late)}",
        )
        sent += len(created)
    return sent


@task()
def run_reminders() -> dict:
    """Daily: open election cases ahead of term end and send deadline reminders."""
    return {"elections": len(election_reminders()), "notifications": deadline_reminders()}
