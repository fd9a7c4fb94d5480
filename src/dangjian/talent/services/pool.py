"""The talent pool (人才库): nomination, the member's consent, review by the org above,
annual re-confirmation or retirement, certificates and assignments. Every write validates,
writes and audits; the caller has already loaded the objects it acts on through the gate."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.core.actors import actor_user, is_system
from dangjian.core.audit import audit
from dangjian.core.checks import checked_text
from dangjian.core.choices import choices_text
from dangjian.core.dates import check_sensible_date
from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.scope import org_tree, reach_of
from dangjian.members.models import Member
from dangjian.orgs.models import Org
from dangjian.talent.models import Assignment, Certificate, Skill, Talent

MAX_SKILLS = 10
MAX_TAGS = 8
S = Talent.Status


def skills_named(names: list[str], *, field: str = "skills") -> list[Skill]:
    """The vocabulary's skills of ``names`` (active ones), or a 422 naming the unknown ones."""
    clean = list(dict.fromkeys((n or "").strip() for n in names if (n or "").strip()))
    if not clean:
        raise DomainError("请至少选择 1 项技能", field=field)
    if len(clean) > MAX_SKILLS:
        raise DomainError(f"技能最多 {MAX_SKILLS} 项", field=field)
    found = {s.name: s for s in Skill.objects.filter(name__in=clean, is_active=True)}
    unknown = [n for n in clean if n not in found]
    if unknown:
        raise DomainError(
            f"技能词表中没有：{'、'.join(unknown)}（其他专长请填在“其他专长”中）", field=field
        )
    return [found[n] for n in clean]


def _tags(tags: list[str] | str) -> str:
    if isinstance(tags, str):
        tags = tags.replace("，", "、").replace(",", "、").split("、")
    clean = list(dict.fromkeys(t.strip() for t in tags if t and t.strip()))
    if len(clean) > MAX_TAGS:
        raise DomainError(f"其他专长最多 {MAX_TAGS} 项", field="tags")
    if any(len(t) > 20 for t in clean):
        raise DomainError("每项专长不超过 20 字", field="tags")
    text = "、".join(clean)
    if len(text) > 200:
        raise DomainError("其他专长过长", field="tags")
    return text


def can_review(actor, talent: Talent) -> bool:
    """The org above the nominating org reviews (a branch does not admit its own nominee); a
    nomination by a top org is reviewed by that org itself."""
    if is_system(actor):
        return True
    reach = reach_of(actor)
    path = talent.org.path
    step = org_tree().path_step
    above = path[:-step] if len(path) > step else path
    return reach.covers(above)


@transaction.atomic
def talent_nominate(
    *,
    actor,
    member: Member,
    skills: list[Skill],
    reason: str,
    tags: list[str] | str = "",
    consent_on: dt.date | None = None,
) -> Talent:
    """A branch nominates a member (skills from the vocabulary, free tags, the reason).
    ``consent_on``: the day the member agreed in writing, recorded by the nominating org; the
    member may instead confirm on the platform (``talent_consent``)."""
    reason = checked_text(reason, field="reason", label="提名理由", limit=2000)
    if not skills:
        raise DomainError("请至少选择 1 项技能", field="skills")
    tags_text = _tags(tags)
    if member.left_on is not None:
        raise DomainError(f"{member.name}已不在党组织名册中", field="member")
    if member.status not in (Member.Status.FULL, Member.Status.PROBATIONARY):
        raise DomainError("人才库只收录党员（含预备党员）", field="member")
    if consent_on is not None:
        check_sensible_date(consent_on, field="consent_on")
        if consent_on > timezone.localdate():
            raise DomainError("同意日期不能晚于今天", field="consent_on")
    if Talent.objects.filter(member=member, status__in=[S.NOMINATED, S.ADMITTED]).exists():
        raise Conflict(f"{member.name}已被提名或已在人才库中", field="member")
    try:
        with transaction.atomic():
            talent = Talent.objects.create(
                member=member,
                org=member.org,
                tags=tags_text,
                reason=reason,
                consent_on=consent_on,
                consent_by=Talent.Consent.WRITTEN if consent_on else "",
                nominated_by=actor_user(actor),
            )
    except IntegrityError:
        raise Conflict(f"{member.name}已被提名或已在人才库中", field="member") from None
    talent.skills.set(skills)
    audit(
        actor=actor,
        action="create",
        obj=talent,
        org=member.org,
        verb=f"提名{member.name}入人才库（{'、'.join(s.name for s in skills)[:50]}）",
        changes={"status": [None, S.NOMINATED]},
    )
    return talent


@transaction.atomic
def talent_consent(*, actor, talent: Talent) -> Talent:
    """The member confirms on the platform that they agree to be in the pool."""
    talent = (
        Talent.objects.select_for_update(of=("self",)).select_related("member").get(pk=talent.pk)
    )
    if getattr(actor, "member_id", None) != talent.member_id:
        raise Forbidden("只有本人可以确认同意")
    if talent.status not in (S.NOMINATED, S.ADMITTED):
        raise Conflict("该提名已结束，无需确认")
    if talent.consent_on is not None:
        return talent
    talent.consent_on = timezone.localdate()
    talent.consent_by = Talent.Consent.MEMBER
    talent.save(update_fields=["consent_on", "consent_by", "updated_at"])
    audit(
        actor=actor,
        action="update",
        obj=talent,
        org_path=talent.member.org.path if talent.member.org_id else "",
        verb=f"{talent.member.name}确认同意入人才库",
        changes={"consent_on": [None, talent.consent_on]},
    )
    return talent


@transaction.atomic
def talent_review(*, actor, talent: Talent, approve: bool, note: str = "") -> Talent:
    """The org above admits or declines a nomination. Admission needs the member's consent;
    a decline needs the reason."""
    talent = (
        Talent.objects.select_for_update(of=("self",))
        .select_related("member", "org")
        .get(pk=talent.pk)
    )
    if talent.status != S.NOMINATED:
        raise Conflict(f"该提名已审核（{talent.get_status_display()}），不能重复审核")
    if not can_review(actor, talent):
        raise Forbidden("提名由上级党组织审核，本组织不能审核自己的提名")
    note = checked_text(note, field="note", label="审核意见", limit=500, required=not approve)
    if approve and talent.consent_on is None:
        raise DomainError(
            f"尚未取得{talent.member.name}本人同意：请本人在“我的”中确认，或由提名组织登记书面同意日期",
            field="approve",
        )
    if approve and not talent.skills.exists():
        raise DomainError("入库人员至少应有 1 项技能", field="approve")
    now = timezone.now()
    talent.status = S.ADMITTED if approve else S.DECLINED
    talent.reviewed_by = actor_user(actor)
    talent.reviewed_at = now
    talent.review_note = note
    if approve:
        talent.confirmed_on = timezone.localdate(now)
    talent.save(
        update_fields=[
            "status",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "confirmed_on",
            "updated_at",
        ]
    )
    audit(
        actor=actor,
        action="update",
        obj=talent,
        org=talent.org,
        verb=f"{'同意' if approve else '不同意'}{talent.member.name}入人才库",
        changes={"status": [S.NOMINATED, talent.status]},
    )
    return talent


def _admitted(talent: Talent, doing: str) -> Talent:
    talent = (
        Talent.objects.select_for_update(of=("self",))
        .select_related("member__org", "org")
        .get(pk=talent.pk)
    )
    if talent.status != S.ADMITTED:
        raise Conflict(
            f"{talent.member.name}不在库中（{talent.get_status_display()}），不能{doing}"
        )
    return talent


@transaction.atomic
def talent_confirm(
    *,
    actor,
    talent: Talent,
    availability: str,
    skills: list[Skill] | None = None,
    tags: list[str] | str | None = None,
    note: str = "",
) -> Talent:
    """The annual re-confirmation (年度复核): the profile is still right; availability now."""
    if availability not in Talent.Availability.values:
        raise DomainError(
            f"可用状态无效，可选：{choices_text(Talent.Availability.choices)}", field="availability"
        )
    note = checked_text(note, field="note", label="说明", limit=500, required=False)
    talent = _admitted(talent, "复核")
    before = {"availability": talent.availability, "confirmed_on": talent.confirmed_on}
    talent.availability = availability
    talent.confirmed_on = timezone.localdate()
    fields = ["availability", "confirmed_on", "updated_at"]
    if tags is not None:
        talent.tags = _tags(tags)
        fields.append("tags")
    talent.save(update_fields=fields)
    if skills is not None:
        if not skills:
            raise DomainError("请至少选择 1 项技能", field="skills")
        talent.skills.set(skills)
    audit(
        actor=actor,
        action="update",
        obj=talent,
        org=talent.member.org,
        verb=f"年度复核{talent.member.name}的人才库信息" + (f"：{note}" if note else ""),
        changes={
            "availability": [before["availability"], availability],
            "confirmed_on": [before["confirmed_on"], talent.confirmed_on],
        },
    )
    return talent


@transaction.atomic
def talent_retire(*, actor, talent: Talent, reason: str) -> Talent:
    reason = checked_text(reason, field="reason", label="退出原因", limit=200)
    talent = _admitted(talent, "退出")
    talent.status = S.RETIRED
    talent.retired_on = timezone.localdate()
    talent.retire_reason = reason
    talent.save(update_fields=["status", "retired_on", "retire_reason", "updated_at"])
    audit(
        actor=actor,
        action="update",
        obj=talent,
        org=talent.member.org,
        verb=f"{talent.member.name}退出人才库：{reason[:40]}",
        changes={"status": [S.ADMITTED, S.RETIRED]},
    )
    return talent


@transaction.atomic
def certificate_add(
    *,
    actor,
    talent: Talent,
    name: str,
    issuer: str = "",
    issued_on: dt.date | None = None,
    expires_on: dt.date | None = None,
) -> Certificate:
    name = checked_text(name, field="name", label="证书名称", limit=100)
    issuer = checked_text(issuer, field="issuer", label="发证机构", limit=100, required=False)
    check_sensible_date(issued_on, field="issued_on")
    check_sensible_date(expires_on, field="expires_on")
    if issued_on and issued_on > timezone.localdate():
        raise DomainError("发证日期不能晚于今天", field="issued_on")
    if issued_on and expires_on and expires_on < issued_on:
        raise DomainError("有效期不能早于发证日期", field="expires_on")
    talent = Talent.objects.select_related("member__org").get(pk=talent.pk)
    if talent.status in (S.DECLINED, S.RETIRED):
        raise Conflict("该人员不在库中，不能登记证书")
    if talent.certificates.filter(name=name, issued_on=issued_on).exists():
        raise Conflict("该证书已登记", field="name")
    cert = Certificate.objects.create(
        talent=talent, name=name, issuer=issuer, issued_on=issued_on, expires_on=expires_on
    )
    audit(
        actor=actor,
        action="create",
        obj=cert,
        org=talent.member.org,
        verb=f"登记{talent.member.name}的证书 {name[:40]}",
    )
    return cert


@transaction.atomic
def assignment_create(
    *,
    actor,
    talent: Talent,
    org: Org,
    kind: str,
    title: str,
    started_on: dt.date,
    initiative=None,
) -> Assignment:
    """Assign a talent of the pool to an initiative, publicity work or the opinion watch."""
    if kind not in Assignment.Kind.values:
        raise DomainError(f"类型无效，可选：{choices_text(Assignment.Kind.choices)}", field="kind")
    if kind == Assignment.Kind.INITIATIVE and initiative is None:
        raise DomainError("请选择融合项目", field="initiative")
    if kind != Assignment.Kind.INITIATIVE:
        initiative = None
    if initiative is not None and not title:
        title = initiative.title
    title = checked_text(title, field="title", label="任务", limit=200)
    if started_on is None:
        raise DomainError("请填写开始日期", field="started_on")
    check_sensible_date(started_on, field="started_on")
    talent = _admitted(talent, "安排任务")
    if talent.availability == Talent.Availability.UNAVAILABLE:
        raise Conflict(f"{talent.member.name}目前暂不可用，请先复核其可用状态", field="talent")
    if Assignment.objects.filter(
        talent=talent, title=title, started_on=started_on, kind=kind
    ).exists():
        raise Conflict("该任务已安排", field="title")
    row = Assignment.objects.create(
        talent=talent,
        org=org,
        kind=kind,
        initiative=initiative,
        title=title,
        started_on=started_on,
        assigned_by=actor_user(actor),
    )
    audit(
        actor=actor,
        action="create",
        obj=row,
        org=org,
        verb=f"安排{talent.member.name}参加{row.get_kind_display()}：{title[:40]}",
    )
    return row


@transaction.atomic
def assignment_close(
    *, actor, assignment: Assignment, outcome: str, ended_on: dt.date | None = None
) -> Assignment:
    """Record what the talent did (the profile shows it)."""
    outcome = checked_text(outcome, field="outcome", label="完成情况", limit=2000)
    ended_on = ended_on or timezone.localdate()
    check_sensible_date(ended_on, field="ended_on")
    row = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("talent__member", "org")
        .get(pk=assignment.pk)
    )
    if row.ended_on is not None:
        raise Conflict("该任务已结束")
    if ended_on < row.started_on:
        raise DomainError("结束日期不能早于开始日期", field="ended_on")
    row.outcome, row.ended_on = outcome, ended_on
    row.save(update_fields=["outcome", "ended_on", "updated_at"])
    audit(
        actor=actor,
        action="update",
        obj=row,
        org=row.org,
        verb=f"记录{row.talent.member.name}完成任务：{row.title[:40]}",
        changes={"ended_on": [None, ended_on]},
    )
    return row


@transaction.atomic
def skill_add(*, actor, name: str) -> Skill:
    """Add a word to the vocabulary: a platform admin or the staff of a top org."""
    reach = reach_of(actor) if not is_system(actor) else None
    step = org_tree().path_step
    if reach is not None and not (reach.everything or any(len(p) == step for p in reach.paths)):
        raise Forbidden("技能词表由机关工委维护")
    name = checked_text(name, field="name", label="技能名称", limit=30)
    if Skill.objects.filter(name=name).exists():
        raise Conflict("词表中已有该技能", field="name")
    last = Skill.objects.order_by("-sort").values_list("sort", flat=True).first() or 0
    skill = Skill.objects.create(name=name, sort=last + 10)
    audit(actor=actor, action="create", obj=skill, verb=f"技能词表新增 {name}")
    return skill
