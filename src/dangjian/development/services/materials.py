"""Materials of a step (申请书、志愿书、介绍信 ...): upload, judged by content, stored once."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from dangjian.core.actors import actor_user
from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.models import AuditEntry
from dangjian.core.scope import reach_of
from dangjian.core.uploads import OFFICE_TYPES, accept
from dangjian.development.models import Case, Material, ProcedureStep
from dangjian.development.selectors import case_steps
from dangjian.development.services.cases import lock

OTHER_MATERIAL = "其他材料"

MATERIAL_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "application/msword",
        *OFFICE_TYPES.values(),
    }
)


def material_type(content: bytes, filename: str) -> tuple[str, str]:
    """The content type judged from the bytes (never from the name the browser sent)."""
    return accept(
        content,
        MATERIAL_TYPES,
        filename=filename,
        type_message="文件类型不支持：只能上传 PDF、JPG、PNG、Word（doc/docx）或 Excel（xlsx）文件",
    )


@transaction.atomic
def material_add(
    *, actor, case: Case, step: int, kind: str, filename: str, content: bytes
) -> Material:
    case = lock(case)
    steps, _ = case_steps(case)
    if step not in steps:
        raise DomainError(f"该流程没有第{step}步", field="step")
    if step > case.current_step:
        raise Conflict(f"第{step}步尚未开始，不能上传材料")
    reach = reach_of(actor)
    if not (
        reach.covers(case.org.path)
        or (case.target_org_id and reach.covers(case.target_org.path))
        or (steps[step].actor == ProcedureStep.Actor.MEMBER and reach.member_id == case.member_id)
    ):
        raise Forbidden("您不能为该步骤上传材料")
    kind = (kind or "").strip() or OTHER_MATERIAL
    allowed = [*steps[step].materials, OTHER_MATERIAL]
    if kind not in allowed:
        raise DomainError(f"第{step}步的材料应为：{'、'.join(allowed)}", field="kind")
    ctype, ext = material_type(content or b"", filename)
    digest = hashlib.sha256(content).hexdigest()
    same = Material.objects.filter(case=case, step=step, kind=kind, sha256=digest).first()
    if same is not None:
        return same  # the same file sent again (a retried upload): stored once
    base = (filename or "file").replace("/", "_").replace("\\", "_")[-150:]
    material = Material(
        case=case,
        step=step,
        kind=kind,
        filename=base,
        content_type=ctype,
        size=len(content),
        sha256=digest,
        uploaded_by=actor_user(actor),
    )
    material.file.save(f"material{ext}", ContentFile(content), save=False)
    material.save()
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=case,
        verb=f"上传材料：第{step}步 {kind}",
        changes={"filename": base, "size": len(content)},
    )
    return material
