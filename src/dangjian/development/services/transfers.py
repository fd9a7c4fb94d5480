"""Transfers of membership (组织关系转接): a member applies (the first step is recorded at
once), the receiving org may return the transfer. Issuing the letter and receiving are
steps of the engine (``cases``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.models import AuditEntry
from dangjian.core.scope import reach_of
from dangjian.development.models import Case, Procedure
from dangjian.development.selectors import Records, case_steps
from dangjian.development.services.cases import (
    case_open,
    case_step_record,
    lock,
    refresh_deadline,
    save_case,
)
from dangjian.development.steps import TransferStep
from dangjian.members.models import Member


@transaction.atomic
def transfer_create(
    *,
    actor,
    member: Member,
    applied_on: dt.date,
    to_org=None,
    destination: str = "",
    note: str = "",
) -> Case:
    """A member applies to transfer (step 1): to an org of the system, or out of it."""
    from dangjian.orgs.models import Org

    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    if member.left_on:
        raise DomainError(f"{member.name}已不在册", field="member")
    destination = (destination or "").strip()
    if (to_org is None) == (not destination):
        raise DomainError("请选择转入的党组织，或填写系统外的去向（二选一）", field="to_org")
    if to_org is not None:
        if to_org.is_dissolved or to_org.kind != Org.Kind.BRANCH:
            raise DomainError("转入组织须是未撤销的党支部", field="to_org")
        if to_org.pk == member.org_id:
            raise DomainError("转入组织与现所在党组织相同", field="to_org")
    if len(destination) > 200:
        raise DomainError("去向过长", field="destination")
    case = case_open(
        actor=actor,
        code=Procedure.Code.TRANSFER,
        holder=member.name,
        org=member.org,
        member=member,
        target_org=to_org,
        target_name=destination,
        opened_on=applied_on,
        verb="申请组织关系转接",
        changes={"member": member.pk, "to_org": to_org, "destination": destination},
    )
    first = case.procedure.steps.get(code=TransferStep.APPLIED).number
    return case_step_record(actor=actor, case=case, number=first, done_on=applied_on, note=note)


@transaction.atomic
def transfer_return(*, actor, case: Case, reason: str, on: dt.date | None = None) -> Case:
    """The receiving org returns the transfer; the member stays where they are (TRF-2)."""
    case = lock(case)
    if case.procedure.code != Procedure.Code.TRANSFER:
        raise DomainError("不是组织关系转接案卷")
    steps, _ = case_steps(case)
    current = steps.get(case.current_step)
    if case.status != Case.Status.OPEN or current is None or current.code != TransferStep.RECEIVED:
        raise Conflict("只有已开具介绍信、尚未接收的转接可以退回")
    if not case.target_org_id:
        raise Conflict("转往系统外的转接没有接收方，可由原党组织终止")
    if not reach_of(actor).covers(case.target_org.path):  # role rule: the receiving org
        raise Forbidden(f"须由接收方党组织（{case.target_org.name}）退回")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写退回原因", field="reason")
    case.status = Case.Status.RETURNED
    case.closed_on = on or dt.date.today()
    case.close_reason = reason[:200]
    refresh_deadline(case, {}, Records())
    save_case(case)
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=case,
        verb="退回组织关系转接",
        changes={"reason": reason},
        org=case.target_org,
    )
    return case
