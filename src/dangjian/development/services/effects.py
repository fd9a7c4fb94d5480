"""What recording a step changes beyond the case: the member's status and stage dates, the
member's org after a transfer, the org's new board after an election. Keyed by the step's
stable code; the members and orgs apps' services make the changes (and their audit).
"""

from __future__ import annotations

import datetime as dt

from dangjian.core.audit import audit
from dangjian.core.models import AuditEntry
from dangjian.development.models import Case, Procedure, ProcedureStep
from dangjian.development.selectors import Records, probation_end
from dangjian.development.steps import ElectionStep, Step, TransferStep
from dangjian.members.models import Member

# The member's stage dates that follow the records of these steps.
STAGE_DATES = (
    (Step.APPLICATION, "applied_at"),
    (Step.ACTIVIST, "activist_at"),
    (Step.CANDIDATE, "candidate_at"),
)


def _no_effect(actor, case, records) -> None:
    return None


def _member_status(status: str, field: str, code: str, reason: str):
    def effect(actor, case: Case, records: Records) -> None:
        from dangjian.members.services import member_update

        member_update(
            actor=actor,
            member=case.member,
            reason=reason,
            on=records.of(code).done_on,
            status=status,
            **{field: records.of(code).done_on},
        )

    return effect


def _accept_probationary(actor, case: Case, records: Records) -> None:
    """Approval (DEV-17): the superior approves; the member joined on the general meeting's date."""
    from dangjian.members.services import member_update

    member_update(
        actor=actor,
        member=case.member,
        reason="上级党委审批同意接收为预备党员",
        on=records.of(Step.ADMISSION_APPROVED).done_on,
        status=Member.Status.PROBATIONARY,
        joined_at=records.of(Step.ADMISSION_MEETING).done_on,
    )


def _assign_group(actor, case: Case, records: Records) -> None:
    from dangjian.members.services import member_update
    from dangjian.orgs.models import Org

    gid = records.of(Step.GROUP).data.get("group")
    if gid:
        member_update(
            actor=actor,
            member=case.member,
            reason="编入党小组",
            group=Org.objects.get(pk=gid),
        )


def _make_full(actor, case: Case, records: Records) -> None:
    """Approval of full membership (DEV-24): full membership counts from the day probation ended."""
    from dangjian.members.services import member_update

    member_update(
        actor=actor,
        member=case.member,
        reason="上级党委审批同意按期转为正式党员",
        on=records.of(Step.FULL_APPROVED).done_on,
        status=Member.Status.FULL,
        full_at=probation_end(case, records),
    )


def _transfer_move(actor, case: Case, records: Records) -> None:
    from dangjian.members.services import member_leave, member_update

    on = records.of(TransferStep.RECEIVED).done_on
    letter = records.of(TransferStep.LETTER)
    if case.target_org_id:
        member_update(
            actor=actor,
            member=case.member,
            reason=f"组织关系转入（介绍信 {letter.data.get('letter_number')}）",
            on=on,
            org=case.target_org,
        )
        # A development case in progress moves with the member to the receiving branch.
        moving = Case.objects.of(Procedure.Code.DEVELOPMENT).open().filter(member=case.member)
        for dev in moving:
            audit(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=dev,
                verb="发展党员案卷随组织关系转入",
                changes={"org": [dev.org_id, case.target_org_id]},
            )
        moving.update(org=case.target_org)
    else:
        member_leave(
            actor=actor, member=case.member, on=on, reason=f"组织关系转出至{case.target_name}"
        )


def _election_board(actor, case: Case, records: Records) -> None:
    from dangjian.accounts.models import User
    from dangjian.orgs.models import Position
    from dangjian.orgs.services import board_create, position_assign, position_end

    data = records.of(ElectionStep.RESULT_APPROVED).data
    start = dt.date.fromisoformat(data["term_start"])
    end = dt.date.fromisoformat(data["term_end"])
    # Board members re-elected to the same seat keep their position; the others leave
    # the day before the new term starts.
    keep = {(p["member"], p["role"]) for p in data["positions"]}
    old = Position.objects.active().filter(org=case.org).exclude(role=Position.Role.STAFF)
    kept = set()
    for position in old:
        if (position.member_id, position.role) in keep:
            kept.add((position.member_id, position.role))
            continue
        ended = max(start - dt.timedelta(days=1), position.started_on or start)
        position_end(actor=actor, position=position, on=ended)
    board = board_create(
        actor=actor,
        org=case.org,
        term_start=start,
        term_end=end,
        elected_on=records.of(ElectionStep.VOTE).done_on,
    )
    ids = [p["member"] for p in data["positions"]]
    members = Member.objects.in_bulk(ids)
    users = {u.member_id: u for u in User.objects.filter(member_id__in=ids, is_active=True)}
    for p in data["positions"]:
        if (p["member"], p["role"]) in kept:
            continue
        position_assign(
            actor=actor,
            org=case.org,
            role=p["role"],
            member=members[p["member"]],
            user=users.get(p["member"]),
            started_on=start,
            board=board,
        )
    case.data["new_board"] = board.pk


EFFECTS = {
    (Procedure.Code.DEVELOPMENT, Step.APPLICATION): _member_status(
        Member.Status.APPLICANT, "applied_at", Step.APPLICATION, "递交入党申请书"
    ),
    (Procedure.Code.DEVELOPMENT, Step.ACTIVIST): _member_status(
        Member.Status.ACTIVIST, "activist_at", Step.ACTIVIST, "确定为入党积极分子"
    ),
    (Procedure.Code.DEVELOPMENT, Step.CANDIDATE): _member_status(
        Member.Status.CANDIDATE, "candidate_at", Step.CANDIDATE, "确定为发展对象"
    ),
    (Procedure.Code.DEVELOPMENT, Step.ADMISSION_APPROVED): _accept_probationary,
    (Procedure.Code.DEVELOPMENT, Step.GROUP): _assign_group,
    (Procedure.Code.DEVELOPMENT, Step.FULL_APPROVED): _make_full,
    (Procedure.Code.TRANSFER, TransferStep.RECEIVED): _transfer_move,
    (Procedure.Code.ELECTION, ElectionStep.RESULT_APPROVED): _election_board,
}


def apply_effect(actor, case: Case, step: ProcedureStep, records: Records) -> None:
    """Apply what recording ``step`` changes on the member or org (nothing for most steps)."""
    EFFECTS.get((case.procedure.code, step.code), _no_effect)(actor, case, records)


def reapply_dates(actor, case: Case, records: Records, reason: str) -> None:
    """After a correction, the member's stage dates follow the case's records."""
    if case.procedure.code != Procedure.Code.DEVELOPMENT:
        return
    from dangjian.members.services import member_update

    wanted = {}
    for code, field in STAGE_DATES:
        if records.has(code):
            wanted[field] = records.of(code).done_on
    if records.has(Step.ADMISSION_APPROVED):
        wanted["joined_at"] = records.of(Step.ADMISSION_MEETING).done_on
    if records.has(Step.FULL_APPROVED):
        wanted["full_at"] = probation_end(case, records)
    member = case.member
    changed = {k: v for k, v in wanted.items() if getattr(member, k) != v}
    if changed:
        member_update(actor=actor, member=member, reason=f"更正发展党员记录：{reason}", **changed)
