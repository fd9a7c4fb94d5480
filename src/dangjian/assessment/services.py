"""Changes to the rectification list (整改清单): create, submit evidence, verify."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.assessment.models import Rectification
from dangjian.core.actors import actor_user
from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.models import AuditEntry
from dangjian.core.scope import reach_of
from dangjian.core.services import notify
from dangjian.core.uploads import IMAGE_AND_PDF, accept
from dangjian.members.models import Member
from dangjian.orgs.models import Org

EVIDENCE_TYPES = ("image/", "application/pdf")


def _owner_users(member: Member) -> list:
    from dangjian.accounts.models import User

    return list(User.objects.filter(member=member, is_active=True))


@transaction.atomic
def rectification_create(
    *,
    actor,
    org: Org,
    item: str,
    owner: Member,
    deadline: dt.date,
    detail: str = "",
    source=None,
    source_label: str = "",
) -> Rectification:
    """Put a problem on ``org``'s rectification list. ``source`` is any record it came from
    (a meeting's criticism item, an appraisal entry, an inspection...). Creating it again for
    the same source and item returns the existing entry."""
    errors = []
    item = (item or "").strip()
    if not item:
        errors.append({"field": "item", "message": "请填写整改事项"})
    elif len(item) > 300:
        errors.append({"field": "item", "message": "整改事项过长（最多300字）"})
    if owner is None:
        errors.append({"field": "owner", "message": "请选择责任人"})
    elif not owner.org.path.startswith(org.path):
        errors.append({"field": "owner", "message": "责任人须是本组织的党员"})
    if deadline is None:
        errors.append({"field": "deadline", "message": "请填写整改期限"})
    elif deadline < timezone.localdate():
        errors.append({"field": "deadline", "message": "整改期限不能早于今天"})
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    source_type = ContentType.objects.get_for_model(type(source)) if source is not None else None
    if source is not None:
        existing = Rectification.objects.filter(
            source_type=source_type, source_id=source.pk, item=item
        ).first()
        if existing is not None:
            return existing
    rect = Rectification.objects.create(
        org=org,
        item=item,
        detail=(detail or "").strip(),
        owner=owner,
        deadline=deadline,
        source_type=source_type,
        source_id=source.pk if source is not None else None,
        source_label=(source_label or "")[:200],
        created_by=actor_user(actor),
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=rect,
        verb="列入整改清单",
        changes={"item": item, "owner": owner.pk, "deadline": deadline},
    )
    notify(
        users=_owner_users(owner),
        title=f"整改事项：{item[:60]}",
        body=f"请于 {deadline:%Y-%m-%d} 前完成整改并提交整改情况。",
        link=reverse("assessment:rectification_detail", kwargs={"rectification_id": rect.pk}),
        dedupe_key=f"rectification-{rect.pk}",
    )
    return rect


def _check_file(upload) -> None:
    if upload is None:
        return
    accept(upload, IMAGE_AND_PDF, type_message="佐证材料只能是图片或 PDF 文件")


@transaction.atomic
def rectification_submit(
    *, actor, rectification: Rectification, evidence: str, evidence_file=None
) -> Rectification:
    """The owner (or a manager of the org) reports what was done, for verification."""
    reach = reach_of(actor)
    is_owner = reach.member_id is not None and reach.member_id == rectification.owner_id
    if not is_owner and not reach.covers(rectification.org.path):
        raise Forbidden("只有责任人或本组织的管理人员可以提交整改情况")
    rect = Rectification.objects.select_for_update().get(pk=rectification.pk)
    evidence = (evidence or "").strip()
    if rect.status == Rectification.Status.VERIFIED:
        raise Conflict("该事项已销号")
    if rect.status == Rectification.Status.SUBMITTED and rect.evidence == evidence:
        return rect
    if len(evidence) < 5:
        raise DomainError("请填写整改情况（至少5个字）", field="evidence")
    _check_file(evidence_file)
    rect.evidence = evidence
    if evidence_file is not None:
        rect.evidence_file.save(evidence_file.name.rsplit("/", 1)[-1], evidence_file, save=False)
    rect.status = Rectification.Status.SUBMITTED
    rect.submitted_at = timezone.now()
    rect.save()
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=rect,
        verb="提交整改情况",
        changes={"status": ["open", "submitted"]},
    )
    return rect


@transaction.atomic
def rectification_verify(
    *, actor, rectification: Rectification, accepted: bool, note: str = ""
) -> Rectification:
    """The secretary verifies: accepted closes the item (销号), otherwise it goes back."""
    rect = Rectification.objects.select_for_update().get(pk=rectification.pk)
    note = (note or "").strip()
    if rect.status == Rectification.Status.VERIFIED:
        if accepted:
            return rect
        raise Conflict("该事项已销号")
    if rect.status != Rectification.Status.SUBMITTED:
        raise Conflict("责任人尚未提交整改情况，不能验收")
    if not accepted and not note:
        raise DomainError("退回整改时请填写验收意见", field="note")
    rect.status = Rectification.Status.VERIFIED if accepted else Rectification.Status.OPEN
    rect.verification_note = note[:300]
    if accepted:
        rect.verified_by = actor_user(actor)
        rect.verified_at = timezone.now()
    rect.save()
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=rect,
        verb="整改验收销号" if accepted else "整改退回",
        changes={"status": ["submitted", rect.status], "note": note},
    )
    if not accepted:
        notify(
            users=_owner_users(rect.owner),
            title=f"整改退回：{rect.item[:60]}",
            body=note,
            link=reverse("assessment:rectification_detail", kwargs={"rectification_id": rect.pk}),
            dedupe_key=f"rectification-back-{rect.pk}-{timezone.now():%Y%m%d%H%M%S}",
        )
    return rect
