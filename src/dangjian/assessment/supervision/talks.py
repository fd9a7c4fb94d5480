"""Talks (提醒谈话 / 约谈 / 函询, SUP-4) and accountability decisions (问责): confidential
records of the org that held them; commitments made become rectification items."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dangjian.assessment.models import Rectification
from dangjian.assessment.services import rectification_create
from dangjian.assessment.supervision.models import Accountability, Talk
from dangjian.core.actors import actor_user
from dangjian.core.audit import audit
from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEntry
from dangjian.members.models import Member
from dangjian.orgs.models import Org


def _check_member(member: Member | None, org: Org) -> None:
    if member is None:
        raise DomainError("请选择谈话对象", field="member")
    if not member.org.path.startswith(org.path):
        raise DomainError(f"{member.name}不是{org.name}或其下级组织的党员", field="member")


@transaction.atomic
def talk_create(
    *,
    actor,
    kind: str,
    org: Org,
    member: Member,
    reason: str,
    on: dt.date,
    record: str = "",
    findings: list[Rectification] | tuple = (),
) -> Talk:
    """Record a talk held by ``org`` with ``member`` (in its subtree)."""
    reason = (reason or "").strip()
    errors = []
    if kind not in Talk.Kind.values:
        errors.append({"field": "kind", "message": "谈话方式只能是提醒谈话、约谈或函询"})
    if len(reason) < 2:
        errors.append({"field": "reason", "message": "请填写事由"})
    if on is None:
        errors.append({"field": "on", "message": "请填写日期"})
    elif on > timezone.localdate():
        errors.append({"field": "on", "message": "日期不能晚于今天"})
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    _check_member(member, org)
    outside = [f for f in findings if not f.org.path.startswith(org.path)]
    if outside:
        raise DomainError("相关问题须是本组织或下级组织的整改事项", field="findings")
    talk = Talk.objects.create(
        kind=kind,
        org=org,
        member=member,
        reason=reason,
        on=on,
        record=(record or "").strip(),
        created_by=actor_user(actor),
    )
    if findings:
        talk.findings.set(findings)
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=talk,
        verb=f"登记{talk.get_kind_display()}",
        changes={"kind": kind, "member": member.pk, "findings": [f.pk for f in findings]},
    )
    return talk


@transaction.atomic
def talk_commit(*, actor, talk: Talk, item: str, deadline: dt.date) -> Rectification:
    """A commitment made in the talk: an item of the rectification list of the org that held
    it, owned by the member, with its deadline (seen by the org above, not by branch-mates)."""
    return rectification_create(
        actor=actor,
        org=talk.org,
        item=item,
        owner=talk.member,
        deadline=deadline,
        source=talk,
        source_label=f"{talk.get_kind_display()}承诺事项",
    )


@transaction.atomic
def accountability_create(
    *,
    actor,
    org: Org,
    member: Member,
    decision: str,
    basis: str,
    decided_on: dt.date,
    talk: Talk | None = None,
) -> Accountability:
    decision, basis = (decision or "").strip(), (basis or "").strip()
    errors = []
    if len(decision) < 2:
        errors.append({"field": "decision", "message": "请填写问责决定"})
    elif len(decision) > 300:
        errors.append({"field": "decision", "message": "问责决定过长（最多300字）"})
    if len(basis) < 2:
        errors.append({"field": "basis", "message": "请填写问责依据"})
    if decided_on is None:
        errors.append({"field": "decided_on", "message": "请填写决定日期"})
    elif decided_on > timezone.localdate():
        errors.append({"field": "decided_on", "message": "决定日期不能晚于今天"})
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    _check_member(member, org)
    decision_row = Accountability.objects.create(
        org=org,
        member=member,
        talk=talk,
        decision=decision,
        basis=basis,
        decided_on=decided_on,
        created_by=actor_user(actor),
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=decision_row,
        verb="登记问责决定",
        changes={"member": member.pk, "talk": talk.pk if talk else None},
    )
    return decision_row
