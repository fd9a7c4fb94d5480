"""Every change to training classes (培训班) and to the study hours that come from offline
study: plan and notice a class, sign-in (meetings' proof of presence: the QR token or the
6-digit code shown in the room), attendance marked by the organizer with the hours missed,
hours credited by LRN-5 within LRN-3's absence limit, materials; outside training records
filed by a member and decided by the branch; meetings that count as study (LRN-5
``meeting_kinds``) credited set-based, once per meeting and member."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.core.actors import SYSTEM, actor_user
from dangjian.core.audit import audit
from dangjian.core.choices import choices_text
from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.services import notify
from dangjian.core.uploads import accept
from dangjian.learning import training_sessions
from dangjian.learning.models import (
    OutsideRecord,
    StudyCredit,
    TrainingAttendance,
    TrainingClass,
    TrainingMaterial,
)
from dangjian.learning.policy import training_policy
from dangjian.learning.training_common import (
    SIGN_IN_EARLY,
    TRAINING,
    _aware,
    _open,
    class_credit,
    parse_hours,
)
from dangjian.meetings.models import Attendance, Meeting
from dangjian.meetings.services.attendance import check_sign_in_window, proof_of_presence
from dangjian.meetings.services.common import actor_member, users_of
from dangjian.meetings.services.meetings import new_sign_in_code
from dangjian.members.models import Member
from dangjian.orgs.models import Org

OUTSIDE = "learning.outside"
MEETING = "meetings.meeting"
FILE_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/webp",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    }
)
FILE_HINT = "文件须为 PDF、图片（PNG/JPEG/WebP）、Word 或 PPT（docx/pptx）"


def _text(value, *, field: str, label: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip() if isinstance(value, str) else ""
    if required and not value:
        raise DomainError(f"请填写{label}", field=field)
    if len(value) > limit:
        raise DomainError(f"{label}过长（最多 {limit} 字）", field=field)
    return value


def _check_class(*, title, starts_at, ends_at, hours, place, notice) -> dict[str, object]:
    starts_at = _aware(starts_at, "starts_at", "开始时间")
    ends_at = _aware(ends_at, "ends_at", "结束时间")
    if ends_at <= starts_at:
        raise DomainError("结束时间须晚于开始时间", field="ends_at")
    hours = parse_hours(hours)
    policy = training_policy(timezone.localdate(starts_at))
    most = policy.max_hours(starts_at, ends_at)
    if hours > most:
        raise DomainError(
            f"按 {policy.rule.code}（每小时 {policy.hour_hours}、半天 {policy.half_day_hours}、"
            f"一天 {policy.day_hours} 学时），该时间段最多认定 {most} 学时",
            field="hours",
        )
    return {
        "title": _text(title, field="title", label="培训班名称", limit=100),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "hours": hours,
        "place": _text(place, field="place", label="地点", limit=200, required=False),
        "notice": _text(notice, field="notice", label="培训通知", limit=5000, required=False),
        "rule_version": policy.rule.version,
    }


@transaction.atomic
def training_create(
    *,
    actor,
    org: Org,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    hours,
    kind: str = TrainingClass.Kind.CONCENTRATED,
    place: str = "",
    notice: str = "",
) -> TrainingClass:
    """Plan a class of ``org``; its hours may not exceed what LRN-5 credits for its span."""
    if kind not in TrainingClass.Kind.values:
        raise DomainError(
            "培训类型无效，可选：" + choices_text(TrainingClass.Kind.choices), field="kind"
        )
    values = _check_class(
        title=title, starts_at=starts_at, ends_at=ends_at, hours=hours, place=place, notice=notice
    )
    training = TrainingClass.objects.create(
        org=org,
        kind=kind,
        created_by=actor_user(actor),
        sign_in_code=new_sign_in_code(),
        sign_in_token=secrets.token_urlsafe(24),
        sign_in_opens_at=values["starts_at"] - SIGN_IN_EARLY,
        sign_in_closes_at=values["ends_at"],
        **values,
    )
    audit(actor=actor, action="create", obj=training, org=org, verb=f"新建培训班 {title[:40]}")
    return training


@transaction.atomic
def training_notify(*, actor, training: TrainingClass, members=None) -> int:
    """Put ``members`` (default: the party members on the rolls of the class's org and the
    orgs under it) on the list and send them the notice. Returns how many were added."""
    training = TrainingClass.objects.select_for_update().get(pk=training.pk)
    _open(training)
    if members is None:
        members = Member.objects.on_rolls().party_members().in_subtree(training.org)
    ids = (
        set(members.values_list("pk", flat=True))
        if hasattr(members, "values_list")
        else {m.pk for m in members}
    )
    have = set(training.attendances.values_list("member_id", flat=True))
    new = sorted(ids - have)
    TrainingAttendance.objects.bulk_create(
        [TrainingAttendance(training=training, member_id=pk) for pk in new],
        ignore_conflicts=True,
    )
    when = timezone.localtime(training.starts_at)
    notify(
        users=users_of(new),
        title=f"培训通知：{training.title}",
        body=f"{when:%Y年%m月%d日 %H:%M} {training.place}。{training.notice[:200]}",
        link=reverse("learning:my_trainings"),
        dedupe_key=f"training-{training.pk}",
    )
    if training.status == TrainingClass.Status.PLANNED:
        training.status = TrainingClass.Status.NOTIFIED
        training.notified_at = timezone.now()
        training.save(update_fields=["status", "notified_at", "updated_at"])
    audit(
        actor=actor,
        action="action",
        obj=training,
        verb=f"发布培训通知，新增 {len(new)} 名学员",
        changes={"added": len(new)},
    )
    return len(new)


@transaction.atomic
def training_cancel(*, actor, training: TrainingClass) -> TrainingClass:
    training = TrainingClass.objects.select_for_update().get(pk=training.pk)
    _open(training)
    if StudyCredit.objects.filter(source_type=TRAINING, source_id=training.pk).exists():
        raise Conflict("已有学员认定了学时，不能取消；如有误请先更正出勤")
    training.status = TrainingClass.Status.CANCELLED
    training.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="action", obj=training, verb="取消培训班")
    return training


def _credit(row: TrainingAttendance, *, actor, now: dt.datetime) -> Decimal:
    """Write (or remove) the ledger row of one attendee: present → the class's hours less
    the hours missed by LRN-5, nothing beyond LRN-3's absence limit. Idempotent."""
    training = row.training
    policy = training_policy(timezone.localdate(training.starts_at))
    hours = Decimal(0)
    if row.status == TrainingAttendance.Status.PRESENT:
        hours = policy.credit(training.hours, row.absent_hours)
    existing = StudyCredit.objects.filter(
        member_id=row.member_id, source_type=TRAINING, source_id=training.pk
    )
    if hours <= 0:
        existing.delete()
    else:
        updated = existing.update(hours=hours, rule_version=policy.rule.version)
        if not updated:
            class_credit(training, row.member_id, hours, policy=policy, actor=actor, now=now).save()
    if row.credited_hours != hours:
        row.credited_hours = hours
        row.save(update_fields=["credited_hours", "updated_at"])
    return hours


@transaction.atomic
def training_attendance_mark(
    *, actor, training: TrainingClass, member: Member, status: str, absent_hours=0
) -> TrainingAttendance:
    """The organizer records one attendee (present / leave / absent) and the hours missed;
    the ledger follows (LRN-5, LRN-3)."""
    allowed = [c for c in TrainingAttendance.Status.choices if c[0] != "expected"]
    if status not in {v for v, _ in allowed}:
        raise DomainError("出勤情况无效，可选：" + choices_text(allowed), field="status")
    absent = Decimal(0)
    if absent_hours not in (None, "", 0, "0"):
        try:
            absent = Decimal(str(absent_hours).strip())
        except (InvalidOperation, ValueError):
            raise DomainError("缺课学时须为数字", field="absent_hours")
        if not absent.is_finite() or absent < 0:
            raise DomainError("缺课学时不能为负数", field="absent_hours")
    training = TrainingClass.objects.select_for_update().get(pk=training.pk)
    _open(training)
    if training.sessions.exists():
        if absent:
            raise DomainError(
                "本培训班按课次点名，缺课学时由未出席的课次计算，请在课次点名表中登记",
                field="absent_hours",
            )
        return _mark_by_sessions(actor=actor, training=training, member=member, status=status)
    if absent >= training.hours:
        raise DomainError(
            f"缺课学时须小于培训班学时 {training.hours}；全部缺课请登记为缺席",
            field="absent_hours",
        )
    if status != TrainingAttendance.Status.PRESENT:
        absent = Decimal(0)
    row = TrainingAttendance.objects.filter(training=training, member=member).first()
    if row is None:
        if not member.org.path.startswith(training.org.path):
            raise DomainError("该党员不属于举办组织或其下级组织", field="member")
        row = TrainingAttendance(training=training, member=member)
    before = (row.status, str(row.absent_hours)) if row.pk else ("", "")
    now = timezone.now()
    row.status, row.absent_hours = status, absent.quantize(Decimal("0.01"))
    if status == TrainingAttendance.Status.PRESENT and not row.signed_at:
        row.channel, row.signed_at = Attendance.Channel.SECRETARY, now
    row.save()
    row.training = training
    hours = _credit(row, actor=actor, now=now)
    audit(
        actor=actor,
        action="update",
        obj=training,
        verb=f"登记培训出勤：{member.name} {row.get_status_display()}，认定 {hours} 学时",
        changes={
            "member": member.pk,
            "status": [before[0], status],
            "absent_hours": [before[1], str(row.absent_hours)],
            "credited": str(hours),
        },
    )
    return row


def _mark_by_sessions(*, actor, training: TrainingClass, member: Member, status: str):
    """On a class with sessions, "present" means at every session and "leave" / "absent" at
    none; a part attended is ticked on the session's roll. The hours follow the sessions."""
    row = TrainingAttendance.objects.filter(training=training, member=member).first()
    if row is None:
        if not member.org.path.startswith(training.org.path):
            raise DomainError("该党员不属于举办组织或其下级组织", field="member")
        row = TrainingAttendance.objects.create(training=training, member=member)
    present = status == TrainingAttendance.Status.PRESENT
    training_sessions.mark_whole_class(
        actor=actor, training=training, member_id=member.pk, present=present
    )
    if not present:
        row.status = status
        row.save(update_fields=["status", "updated_at"])
    training_sessions.recount(training, actor=actor, members={member.pk})
    row.refresh_from_db()
    audit(
        actor=actor,
        action="update",
        obj=training,
        verb=f"登记培训出勤（全部课次）：{member.name} {row.get_status_display()}",
        changes={"member": member.pk, "status": status, "credited": str(row.credited_hours)},
    )
    return row


def training_sign_in(
    *,
    actor,
    training: TrainingClass,
    code: str | None = None,
    token: str | None = None,
    now: dt.datetime | None = None,
) -> TrainingAttendance:
    """The member behind ``actor`` signs in with the code or QR token shown in the room (as
    at a meeting); the class's full hours are credited (the organizer records hours missed),
    or, on a class with sessions, the session under way counts as attended.
    Signing in again changes nothing."""
    member = actor_member(actor)
    now = now or timezone.now()
    if training.status == TrainingClass.Status.CANCELLED:
        raise DomainError("培训班已取消，不能签到")
    check_sign_in_window(training.sign_in_opens_at, training.sign_in_closes_at, now, what="培训")
    channel = proof_of_presence(
        code=code,
        token=token,
        current_code=training.sign_in_code,
        current_token=training.sign_in_token,
        misses_key=f"learning:training-sign-in-code-misses:{training.pk}:{member.pk}",
    )
    row = TrainingAttendance.objects.filter(training=training, member=member).first()
    if row is None:
        raise DomainError("您不在本培训班的学员名单中，请联系培训组织者")
    if training.sessions.exists():
        training_sessions.sign_in_session(
            actor=actor, training=training, member_id=member.pk, channel=channel, now=now
        )
        return TrainingAttendance.objects.get(pk=row.pk)
    if row.status == TrainingAttendance.Status.PRESENT:
        return row
    try:
        with transaction.atomic():
            row = TrainingAttendance.objects.select_for_update().get(pk=row.pk)
            if row.status == TrainingAttendance.Status.PRESENT:
                return row
            row.status, row.channel, row.signed_at = "present", channel, now
            row.save(update_fields=["status", "channel", "signed_at", "updated_at"])
            _credit(row, actor=actor, now=now)
            audit(
                actor=actor,
                action="action",
                obj=training,
                verb="培训签到",
                changes={"member": member.pk, "channel": channel},
            )
    except IntegrityError:
        pass  # a concurrent sign-in of the same member wrote the ledger row first
    return TrainingAttendance.objects.get(pk=row.pk)


@transaction.atomic
def training_material_add(*, actor, training: TrainingClass, title: str, file) -> TrainingMaterial:
    title = _text(title, field="title", label="资料名称", limit=100)
    ctype, _ext = accept(file, FILE_TYPES, type_message=FILE_HINT)
    material = TrainingMaterial.objects.create(
        training=training, title=title, file=file, content_type=ctype
    )
    audit(
        actor=actor,
        action="create",
        obj=material,
        org=training.org,
        verb=f"上传培训资料 {title[:40]}",
    )
    return material


# --- Outside training records (外出培训) ---


@transaction.atomic
def outside_record_file(
    *,
    actor,
    title: str,
    organizer: str,
    starts_on: dt.date,
    ends_on: dt.date,
    hours,
    evidence,
    member: Member | None = None,
) -> OutsideRecord:
    """A member files training taken elsewhere, with evidence; the hours stay pending (a
    ledger row 待审核) until the branch decides. ``member``: only for imports and the demo
    (acting as SYSTEM); a person files their own."""
    member = member if member is not None and getattr(actor, "is_system", False) else None
    member = member or actor_member(actor)
    if starts_on is None or ends_on is None:
        raise DomainError("请填写培训起止日期", field="starts_on")
    if ends_on < starts_on:
        raise DomainError("结束日期不能早于开始日期", field="ends_on")
    if ends_on > timezone.localdate():
        raise DomainError("培训尚未结束，结束后再申报", field="ends_on")
    hours = parse_hours(hours)
    policy = training_policy(starts_on)
    most = policy.day_hours * ((ends_on - starts_on).days + 1)
    if hours > most:
        raise DomainError(
            f"按 {policy.rule.code} 每天最多 {policy.day_hours} 学时，该时间段最多 {most} 学时",
            field="hours",
        )
    ctype, _ext = accept(evidence, FILE_TYPES, type_message=FILE_HINT)
    record = OutsideRecord.objects.create(
        member=member,
        title=_text(title, field="title", label="培训名称", limit=100),
        organizer=_text(organizer, field="organizer", label="举办单位", limit=100),
        starts_on=starts_on,
        ends_on=ends_on,
        hours=hours,
        evidence=evidence,
        evidence_type=ctype,
    )
    StudyCredit.objects.create(
        member=member,
        year=ends_on.year,
        category=StudyCredit.Category.CONCENTRATED,
        hours=hours,
        title=f"外出培训：{record.title}",
        source_type=OUTSIDE,
        source_id=record.pk,
        rule_code=policy.rule.code,
        rule_version=policy.rule.version,
        status=StudyCredit.Status.PENDING,
    )
    audit(
        actor=actor,
        action="create",
        obj=record,
        org_path=member.org.path,
        verb=f"申报外出培训 {record.title[:40]}（{hours} 学时）",
    )
    return record


@transaction.atomic
def outside_record_decide(
    *, actor, record: OutsideRecord, approve: bool, reason: str = ""
) -> OutsideRecord:
    """The branch approves (the ledger row becomes 已认定, approver recorded) or rejects
    (the pending row is removed; the reason goes to the member). A member cannot approve
    their own record."""
    record = (
        OutsideRecord.objects.select_for_update(of=("self",))
        .select_related("member")
        .get(pk=record.pk)
    )
    if record.status != OutsideRecord.Status.PENDING:
        raise Conflict("该记录已审核")
    if getattr(actor, "member_id", None) and actor.member_id == record.member_id:
        raise Forbidden("不能审核本人的外出培训记录")
    reason = _text(reason, field="reason", label="未认定原因", limit=200, required=not approve)
    now = timezone.now()
    credit = StudyCredit.objects.filter(
        member_id=record.member_id, source_type=OUTSIDE, source_id=record.pk
    )
    if approve:
        credit.update(
            status=StudyCredit.Status.APPROVED, approver=actor_user(actor), approved_at=now
        )
        record.status = OutsideRecord.Status.APPROVED
    else:
        credit.delete()
        record.status, record.reject_reason = OutsideRecord.Status.REJECTED, reason
    record.approver, record.decided_at = actor_user(actor), now
    record.save(update_fields=["status", "approver", "decided_at", "reject_reason", "updated_at"])
    notify(
        users=users_of([record.member_id]),
        title=f"外出培训学时{'已认定' if approve else '未认定'}：{record.title}",
        body="" if approve else reason,
        link=reverse("learning:my_records"),
        dedupe_key=f"outside-decided-{record.pk}",
    )
    audit(
        actor=actor,
        action="action",
        obj=record,
        org_path=record.member.org.path,
        verb=f"{'认定' if approve else '不予认定'}外出培训学时："
        f"{record.member.name} {record.title[:30]}",
        changes={"status": record.status, "reason": reason},
    )
    return record


# --- Meetings that count as study (LRN-5 meeting_kinds) ---


@transaction.atomic
def meeting_hours_credit(*, actor=SYSTEM, year: int, org: Org | None = None) -> int:
    """Credit the members present at the held meetings of ``year`` whose kind LRN-5 lists
    (党课, 主题党日 by default) with that kind's hours, as 组织生活 rows. Set-based (three
    queries and one insert); run again, it credits nothing twice. Returns the rows added."""
    policy = training_policy(dt.date(year, 12, 31))
    if not policy.meeting_hours:
        return 0
    rows = Attendance.objects.filter(
        status=Attendance.Status.PRESENT,
        meeting__status=Meeting.Status.HELD,
        meeting__kind__in=list(policy.meeting_hours),
        meeting__held_at__year=year,
    )
    if org is not None:
        rows = rows.filter(meeting__org__path__startswith=org.path)
    have = set(
        StudyCredit.objects.filter(source_type=MEETING, year=year).values_list(
            "member_id", "source_id"
        )
    )
    labels = dict(Meeting.Kind.choices)
    new = [
        StudyCredit(
            member_id=member_id,
            year=year,
            category=StudyCredit.Category.ORG_LIFE,
            hours=policy.meeting_hours[kind],
            title=f"{labels.get(kind, kind)}：{topic}"[:200],
            source_type=MEETING,
            source_id=meeting_id,
            rule_code=policy.rule.code,
            rule_version=policy.rule.version,
            status=StudyCredit.Status.APPROVED,
            approved_at=timezone.now(),
        )
        for member_id, meeting_id, kind, topic in rows.values_list(
            "member_id", "meeting_id", "meeting__kind", "meeting__topic"
        )
        if (member_id, meeting_id) not in have and policy.meeting_hours[kind] > 0
    ]
    StudyCredit.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    if new:
        audit(
            actor=actor,
            action="action",
            obj=None,
            org=org,
            verb=f"按 {policy.rule.code} 计入 {year} 年党课、主题党日学时 {len(new)} 条",
            changes={"year": year, "added": len(new)},
        )
    return len(new)
