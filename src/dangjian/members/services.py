"""Every change to member records: create, edit, status and org changes, ID reveal."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dangjian.core import crypto
from dangjian.core.actors import actor_user
from dangjian.core.audit import audit, diff, snapshot
from dangjian.core.choices import choices_text
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.idnumber import validate_id_number
from dangjian.core.masking import mask_id_number
from dangjian.core.models import AuditEntry
from dangjian.core.pinyin import pinyin_keys
from dangjian.core.scope import reach_of
from dangjian.members.models import Member, MemberEvent
from dangjian.orgs.models import Org

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
STAGE_FIELDS = ["applied_at", "activist_at", "candidate_at", "joined_at", "full_at"]
# The stage date that a status requires, and the order of stages.
STATUS_DATE = {
    Member.Status.APPLICANT: "applied_at",
    Member.Status.ACTIVIST: "activist_at",
    Member.Status.CANDIDATE: "candidate_at",
    Member.Status.PROBATIONARY: "joined_at",
    Member.Status.FULL: "full_at",
}
EDITABLE = [
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "phone",
    "education",
    "unit",
    "job_title",
    "cadre_level",
    "group",
    "status",
    *STAGE_FIELDS,
    "is_retired",
    "is_mobile",
    "is_lost_contact",
    "lost_contact_since",
    "voting_rights_suspended",
]
AUDITED = [*EDITABLE, "org", "id_number_masked"]


def clean_phone(phone: str) -> str:
    phone = (phone or "").strip().replace(" ", "")
    if phone and not PHONE_RE.match(phone):
        raise ValidationError("手机号应为11位数字，以1开头（或带区号的固定电话）")
    return phone


def member_validate(data: dict[str, Any], *, instance: Member | None = None) -> dict[str, Any]:
    """Check a full or partial member record; collect every problem, then raise once (the
    member services and the import use it)."""
    errors: list[dict] = []

    def err(field: str, message: str) -> None:
        errors.append({"field": field, "message": message})

    merged = {f: getattr(instance, f) for f in [*EDITABLE, "org"]} if instance else {}
    merged.update(data)
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
        if not data["name"]:
            err("name", "请填写姓名")
        elif len(data["name"]) > 50:
            err("name", "姓名过长")
    if instance is None:
        for required, label in (
            ("name", "姓名"),
            ("gender", "性别"),
            ("birth_date", "出生日期"),
            ("org", "所在党组织"),
            ("status", "人员类别"),
        ):
            if not merged.get(required) and not any(e["field"] == required for e in errors):
                err(required, f"请填写{label}")
        if not data.get("id_number"):
            err("id_number", "请填写身份证号")
    if merged.get("gender") and merged["gender"] not in Member.Gender.values:
        err("gender", "性别无效，可选：" + choices_text(Member.Gender.choices))
    if merged.get("status") and merged["status"] not in Member.Status.values:
        err("status", "人员类别无效，可选：" + choices_text(Member.Status.choices))
    if merged.get("education") and merged["education"] not in Member.Education.values:
        err("education", "学历无效")
    if merged.get("cadre_level") and merged["cadre_level"] not in Member.CadreLevel.values:
        err("cadre_level", "干部层级无效，可选：" + choices_text(Member.CadreLevel.choices[1:]))
    if "phone" in data:
        try:
            data["phone"] = clean_phone(data["phone"])
        except ValidationError as exc:
            err("phone", exc.messages[0])
    birth = merged.get("birth_date")
    if birth and birth > dt.date.today():
        err("birth_date", "出生日期不能晚于今天")
    if (
        data.get("id_number")
        or (instance and "birth_date" in data)
        or (instance and "gender" in data)
    ):
        number = data.get("id_number") or (
            crypto.decrypt(instance.id_number_encrypted) if instance else ""
        )
        try:
            data["id_number"] = validate_id_number(
                number, birth_date=birth, gender=merged.get("gender")
            )
        except ValidationError as exc:
            err("id_number" if data.get("id_number") else "birth_date", exc.messages[0])
    # Stage dates: not in the future, in order, and present for the status.
    today = dt.date.today()
    previous = None
    for f in STAGE_FIELDS:
        value = merged.get(f)
        if value is None:
            continue
        label = Member._meta.get_field(f).verbose_name
        if value > today:
            err(f, f"{label}不能晚于今天")
        if birth and value < birth:
            err(f, f"{label}不能早于出生日期")
        if previous and value < previous[1]:
            err(f, f"{label}不能早于{Member._meta.get_field(previous[0]).verbose_name}")
        previous = (f, value)
    status = merged.get("status")
    if status in STATUS_DATE and not merged.get(STATUS_DATE[status]):
        label = Member._meta.get_field(STATUS_DATE[status]).verbose_name
        err(STATUS_DATE[status], f"人员类别为{Member.Status(status).label}时须填写{label}")
    org = merged.get("org")
    if org is not None and org.kind == Org.Kind.GROUP:
        err("org", "党员应编入党支部（党小组另行填写）")
    if org is not None and org.is_dissolved:
        err("org", f"党组织“{org}”已撤销")
    group = merged.get("group")
    if (
        group is not None
        and org is not None
        and (group.kind != Org.Kind.GROUP or group.parent_id != org.pk)
    ):
        err("group", "党小组须是所在党支部下设的党小组")
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    return data


def _apply_id_number(member: Member, number: str) -> None:
    member.id_number_encrypted = crypto.encrypt(number)
    member.id_number_hash = crypto.lookup_hash(number)
    member.id_number_masked = mask_id_number(number)


def member_fill_computed(member: Member, id_number: str) -> Member:
    """Set the derived fields of an unsaved Member exactly as ``member_create`` does
    (pinyin keys; encrypted, hashed and masked ID number). For bulk inserts (demo data)."""
    member.name_pinyin, member.name_initials = pinyin_keys(member.name)
    _apply_id_number(member, id_number)
    return member


def _check_reach(actor, org: Org) -> None:
    if not reach_of(actor).covers(org.path):
        raise DomainError("所选党组织不在您的管理范围内", field="org")


def _unique_id(member: Member) -> None:
    clash = Member.objects.filter(id_number_hash=member.id_number_hash)
    if member.pk:
        clash = clash.exclude(pk=member.pk)
    if clash.exists():
        raise Conflict("该身份证号已存在于党员信息库中", field="id_number")


@transaction.atomic
def member_create(*, actor, reason: str = "建档", **data) -> Member:
    data = member_validate(data)
    _check_reach(actor, data["org"])
    number = data.pop("id_number")
    member = Member(**{k: v for k, v in data.items() if k in [*EDITABLE, "org"]})
    member_fill_computed(member, number)
    _unique_id(member)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise Conflict("该身份证号已存在于党员信息库中", field="id_number")
    MemberEvent.objects.create(
        member=member,
        kind=MemberEvent.Kind.CREATED,
        on=dt.date.today(),
        to_status=member.status,
        to_org=member.org,
        reason=reason,
        actor=actor_user(actor),
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=member,
        verb="新建党员档案",
        changes=snapshot(member, AUDITED),
    )
    return member


@transaction.atomic
def member_update(
    *, actor, member: Member, reason: str = "", on: dt.date | None = None, **data
) -> Member:
    """Edit a record. A change of status or org is kept in the history with ``reason``."""
    unknown = set(data) - {*EDITABLE, "org", "id_number"}
    if unknown:
        raise DomainError(f"不能修改字段：{', '.join(sorted(unknown))}")
    data = {k: v for k, v in data.items() if not (k == "id_number" and not v)}
    data = member_validate(data, instance=member)
    before = snapshot(member, AUDITED)
    old_status, old_org = member.status, member.org
    if "org" in data and data["org"] != old_org:
        _check_reach(actor, data["org"])
    number = data.pop("id_number", None)
    for key, value in data.items():
        setattr(member, key, value)
    if "name" in data:
        member.name_pinyin, member.name_initials = pinyin_keys(member.name)
    if number:
        _apply_id_number(member, number)
        _unique_id(member)
    if member.group is not None and member.group.parent_id != member.org_id:
        member.group = None
    member.save()
    on = on or dt.date.today()
    if member.status != old_status:
        MemberEvent.objects.create(
            member=member,
            kind=MemberEvent.Kind.STATUS,
            on=on,
            from_status=old_status,
            to_status=member.status,
            reason=reason or "修改人员类别",
            actor=actor_user(actor),
        )
    if member.org != old_org:
        MemberEvent.objects.create(
            member=member,
            kind=MemberEvent.Kind.ORG,
            on=on,
            from_org=old_org,
            to_org=member.org,
            reason=reason or "调整所在党组织",
            actor=actor_user(actor),
        )
    changes = diff(before, snapshot(member, AUDITED))
    if changes:
        audit(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=member,
            verb="修改党员信息",
            changes=changes,
        )
    return member


@transaction.atomic
def member_leave(*, actor, member: Member, on: dt.date, reason: str) -> Member:
    """Take a member off the rolls (transferred out of the system, died, left the party)."""
    if member.left_on:
        raise Conflict("该党员已不在册")
    if not reason.strip():
        raise DomainError("请填写原因", field="reason")
    member.left_on, member.left_reason = on, reason.strip()
    member.save(update_fields=["left_on", "left_reason", "updated_at"])
    MemberEvent.objects.create(
        member=member,
        kind=MemberEvent.Kind.LEFT,
        on=on,
        from_org=member.org,
        reason=reason,
        actor=actor_user(actor),
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=member,
        verb="出党/转出",
        changes={"left_on": [None, on], "left_reason": [None, reason]},
    )
    return member


def can_reveal_id(user, member: Member) -> bool:
    from django.conf import settings

    reach = reach_of(user)
    if member.pk is not None and reach.member_id == member.pk:
        return True
    return reach.has_role(member.org.path, set(settings.ID_REVEAL_ROLES))


def member_reveal_id(*, actor, member: Member) -> str:
    """The full ID number, for a user allowed to see it; every reveal is audited."""
    if not can_reveal_id(actor, member):
        raise DomainError("您没有查看完整身份证号的权限")
    audit(actor=actor, action=AuditEntry.Action.REVEAL, obj=member, verb="查看完整身份证号")
    return crypto.decrypt(member.id_number_encrypted)
