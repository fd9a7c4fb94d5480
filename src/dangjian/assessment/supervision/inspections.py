"""Changes to inspection campaigns (督查): create one over the branches of a subtree with its
checklist pre-filled from the compliance engine, record visits whose findings become items
of the rectification list."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.assessment.services import rectification_create
from dangjian.assessment.supervision.models import (
    Inspection,
    InspectionItem,
    InspectionTarget,
    InspectionVisit,
)
from dangjian.core.actors import actor_user
from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import AuditEntry
from dangjian.members.models import Member
from dangjian.orgs.models import Org, Position

OPEN_STATUSES = ("due", "overdue", "violation")


def _open_findings(org: Org, year: int, org_ids: set[int]) -> list:
    """The open compliance findings of the targets: the kept ones when they can be read,
    else one live evaluation of the subtree."""
    from dangjian.standards import kept
    from dangjian.standards import periods as P
    from dangjian.standards.engine import evaluate

    if kept.kept_at(org, year) is not None:
        found = kept.findings(org, year, org_ids=org_ids, statuses=OPEN_STATUSES)
    else:
        today = P.local_today()
        if year > today.year:
            return []
        found = [
            f
            for f in evaluate(org, P.year(year), today=min(today, dt.date(year, 12, 31)))
            if f.org_id in org_ids and f.status in OPEN_STATUSES
        ]
    return found


def _checklist(inspection: Inspection, org_ids: set[int]) -> list[InspectionItem]:
    """One line per target and rule with an open finding (the first message of it)."""
    seen: dict[tuple[int, str], InspectionItem] = {}
    for f in _open_findings(inspection.org, inspection.year, org_ids):
        key = (f.org_id, f.rule_code)
        if key in seen:
            continue
        title = f.rule_title or f.rule_code
        text = f"{title}：{f.message}" if f.message else title
        seen[key] = InspectionItem(
            inspection=inspection,
            org_id=f.org_id,
            source=InspectionItem.Source.RULE,
            rule_code=f.rule_code,
            text=text[:300],
            finding_status=f.status,
        )
    return list(seen.values())


@transaction.atomic
def inspection_create(
    *,
    actor,
    org: Org,
    title: str,
    year: int,
    targets: str = Inspection.Targets.BRANCHES,
    basis: str = "",
    scope: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    items: list[str] | tuple = (),
) -> Inspection:
    """Open a campaign of ``org`` over the branches of its subtree: its targets, and a
    checklist of the compliance engine's open findings for them plus ``items`` (free)."""
    title = (title or "").strip()
    errors = []
    if not title:
        errors.append({"field": "title", "message": "请填写督查名称"})
    elif len(title) > 200:
        errors.append({"field": "title", "message": "督查名称过长（最多200字）"})
    this_year = timezone.localdate().year
    if not year or not 2000 <= int(year) <= this_year + 1:
        errors.append({"field": "year", "message": f"年度须在2000至{this_year + 1}之间"})
    if targets not in Inspection.Targets.values:
        errors.append({"field": "targets", "message": "督查对象只能是“下属全部党支部”"})
    if starts_on and ends_on and ends_on < starts_on:
        errors.append({"field": "ends_on", "message": "结束日期不能早于开始日期"})
    free = [(i or "").strip() for i in items or () if (i or "").strip()]
    if any(len(i) > 300 for i in free):
        errors.append({"field": "items", "message": "检查事项过长（每项最多300字）"})
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    branch_ids = set(
        Org.objects.active()
        .in_subtree(org)
        .filter(kind=Org.Kind.BRANCH)
        .values_list("pk", flat=True)
    )
    if not branch_ids:
        raise DomainError(f"{org.name}下没有党支部，无法开展督查", field="org")
    inspection = Inspection.objects.create(
        org=org,
        title=title,
        year=int(year),
        basis=(basis or "").strip(),
        scope=(scope or "").strip()[:300] or Inspection.Targets(targets).label,
        starts_on=starts_on,
        ends_on=ends_on,
        targets_kind=targets,
        onsite_cap=settings.INSPECTION_ONSITE_VISITS_MAX,
        created_by=actor_user(actor),
    )
    InspectionTarget.objects.bulk_create(
        [InspectionTarget(inspection=inspection, org_id=pk) for pk in sorted(branch_ids)],
        batch_size=1000,
    )
    lines = _checklist(inspection, branch_ids)
    lines += [
        InspectionItem(inspection=inspection, source=InspectionItem.Source.FREE, text=t)
        for t in free
    ]
    InspectionItem.objects.bulk_create(lines, batch_size=1000)
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=inspection,
        verb="发起督查",
        changes={
            "title": title,
            "year": int(year),
            "targets": len(branch_ids),
            "items": len(lines),
        },
    )
    return inspection


def _default_owner(org: Org) -> Member | None:
    """The secretary of the inspected org (the owner of its rectification items)."""
    today = timezone.localdate()
    pos = (
        Position.objects.active(today)
        .filter(org=org, role=Position.Role.SECRETARY, member__isnull=False)
        .select_related("member__org")
        .first()
    )
    return pos.member if pos is not None else None


@transaction.atomic
def inspection_visit(
    *,
    actor,
    inspection: Inspection,
    org: Org,
    on: dt.date,
    findings: list[dict] | tuple = (),
    kind: str = InspectionVisit.Kind.ON_SITE,
    note: str = "",
) -> InspectionVisit:
    """Record the inspection of one target; each finding (``{"text", "deadline"}``, optional
    ``"owner"``: a member) becomes an item of the target's rectification list."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status == Inspection.Status.CLOSED:
        raise Conflict("本次督查已结束，不能再登记")
    if not InspectionTarget.objects.filter(inspection=inspection, org=org).exists():
        raise DomainError(f"{org.name}不是本次督查的对象", field="org")
    if kind not in InspectionVisit.Kind.values:
        raise DomainError("督查方式只能是现场督查或书面检查", field="kind")
    if on is None:
        raise DomainError("请填写督查日期", field="on")
    if on > timezone.localdate():
        raise DomainError("督查日期不能晚于今天", field="on")
    if InspectionVisit.objects.filter(inspection=inspection, org=org).exists():
        raise Conflict(f"本次督查已登记过{org.name}")
    if kind == InspectionVisit.Kind.ON_SITE:
        done = InspectionVisit.objects.filter(
            inspection=inspection, kind=InspectionVisit.Kind.ON_SITE
        ).count()
        if done >= inspection.onsite_cap:
            raise DomainError(
                f"本次督查现场督查已达上限 {inspection.onsite_cap} 次，"
                "其余对象请以书面检查（查阅平台记录）方式督查",
                field="kind",
            )
    rows = []
    default_owner = None
    for i, f in enumerate(findings or ()):
        text = (f.get("text") or "").strip()
        if not text:
            raise DomainError(f"第{i + 1}条问题未填写内容", field=f"findings.{i}.text")
        owner = f.get("owner")
        if owner is None:
            default_owner = default_owner or _default_owner(org)
            owner = default_owner
        if owner is None:
            raise DomainError(
                f"{org.name}没有在任书记，请为第{i + 1}条问题指定整改责任人",
                field=f"findings.{i}.owner",
            )
        rows.append((text, owner, f.get("deadline")))
    try:
        with transaction.atomic():
            visit = InspectionVisit.objects.create(
                inspection=inspection,
                org=org,
                on=on,
                kind=kind,
                note=(note or "").strip(),
                created_by=actor_user(actor),
            )
    except IntegrityError:
        raise Conflict(f"本次督查已登记过{org.name}")
    for i, (text, owner, deadline) in enumerate(rows):
        try:
            rectification_create(
                actor=actor,
                org=org,
                item=text[:300],
                owner=owner,
                deadline=deadline,
                detail=text if len(text) > 300 else "",
                source=visit,
                source_label=f"督查：{inspection.title}"[:200],
            )
        except DomainError as exc:
            raise DomainError(
                f"第{i + 1}条问题：{exc.message}",
                errors=[
                    {"field": f"findings.{i}.{e.get('field')}", "message": e["message"]}
                    for e in exc.errors
                ],
            )
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=visit,
        org=org,
        verb="登记督查",
        changes={"inspection": inspection.pk, "kind": kind, "findings": len(rows)},
    )
    return visit


@transaction.atomic
def inspection_close(*, actor, inspection: Inspection) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status == Inspection.Status.CLOSED:
        return inspection
    inspection.status = Inspection.Status.CLOSED
    inspection.save(update_fields=["status", "updated_at"])
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=inspection,
        verb="结束督查",
        changes={"status": ["open", "closed"]},
    )
    return inspection
