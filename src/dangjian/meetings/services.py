"""Every change to organizational life: meetings, notices, leave, sign-in, minutes, votes,
the annual plan, criticism at the 组织生活会 and the yearly appraisal."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.core.actors import actor_user
from dangjian.core.audit import audit, diff, snapshot
from dangjian.core.dates import sensible_date_error
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import AuditEntry
from dangjian.core.services import notify
from dangjian.core.uploads import IMAGE_AND_PDF, accept
from dangjian.meetings import plan as plan_mod
from dangjian.meetings import quality
from dangjian.meetings.models import (
    Appraisal,
    AppraisalEntry,
    AppraisalRating,
    Attendance,
    CriticismItem,
    Meeting,
    MeetingAttachment,
    PlanSlot,
    Vote,
)
from dangjian.meetings.voting import judge_vote
from dangjian.members.models import Member
from dangjian.members.selectors import voting_roll
from dangjian.orgs.models import Org, Position
from dangjian.orgs.selectors import handlers_of

# The sign-in window around the meeting's start when the secretary sets none.
SIGN_IN_EARLY = dt.timedelta(minutes=30)
SIGN_IN_LATE = dt.timedelta(hours=4)
MEETING_ORG_KINDS = {Org.Kind.BRANCH, Org.Kind.GENERAL_BRANCH, Org.Kind.COMMITTEE}
# Who should attend: the whole branch for these kinds.
WHOLE_BRANCH = {
    Meeting.Kind.GENERAL_MEETING,
    Meeting.Kind.PARTY_LECTURE,
    Meeting.Kind.THEME_DAY,
    Meeting.Kind.LIFE_MEETING,
}
MEETING_FIELDS = [
    "org",
    "kind",
    "topic",
    "status",
    "planned_on",
    "held_at",
    "place",
    "group",
    "host",
    "recorder",
    "lecturer",
    "counterpart",
    "sign_in_opens_at",
    "sign_in_closes_at",
]
EDITABLE = [f for f in MEETING_FIELDS if f not in {"org", "kind", "status"}]


# ---------------------------------------------------------------- helpers


def _actor_member(actor) -> Member:
    member_id = getattr(actor, "member_id", None)
    if not member_id:
        raise DomainError("当前账号未关联党员档案，无法以党员身份操作")
    return Member.objects.get(pk=member_id)


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def expected_members(meeting: Meeting):
    """Who should attend, derived from the org: a queryset of members on the rolls."""
    base = Member.objects.on_rolls().party_members()
    if meeting.kind in WHOLE_BRANCH:
        return base.filter(org_id=meeting.org_id)
    if meeting.kind == Meeting.Kind.BOARD_MEETING:
        day = _local_date(meeting.held_at) if meeting.held_at else dt.date.today()
        seats = (
            Position.objects.active(day)
            .filter(org_id=meeting.org_id, member__isnull=False)
            .exclude(role=Position.Role.STAFF)
            .values("member_id")
        )
        return base.filter(pk__in=seats)
    if meeting.kind == Meeting.Kind.GROUP_MEETING:
        return base.filter(group_id=meeting.group_id)
    return base.filter(pk__in=[m for m in (meeting.host_id, meeting.counterpart_id) if m])


def voting_members(meeting: Meeting):
    """Full members of the branch on the rolls whose voting rights are not suspended."""
    return voting_roll(meeting.org, scope="branch")


def _validate_people(data: dict, org: Org, errors: list[dict]) -> None:
    for key, label in (
        ("host", "主持人"),
        ("recorder", "记录人"),
        ("lecturer", "授课人"),
        ("counterpart", "谈话对象"),
    ):
        person = data.get(key)
        if person is not None and not person.org.path.startswith(org.path):
            errors.append({"field": key, "message": f"{label}须是本组织的党员"})


def _validate(data: dict, *, now: dt.datetime) -> None:
    errors: list[dict] = []

    def err(field: str, message: str) -> None:
        errors.append({"field": field, "message": message})

    org: Org = data["org"]
    kind = data["kind"]
    if kind not in Meeting.Kind.values:
        err("kind", "会议类型无效，可选：" + "、".join(Meeting.Kind.values))
    if org.kind not in MEETING_ORG_KINDS:
        err("org", "会议须由党支部（或党总支、党委）召开；党小组会请选择所在党支部并填写党小组")
    if org.is_dissolved:
        err("org", f"党组织“{org}”已撤销")
    if not (data.get("topic") or "").strip():
        err("topic", "请填写会议主题")
    elif len(data["topic"].strip()) > 200:
        err("topic", "会议主题过长（最多200字）")
    status = data.get("status") or Meeting.Status.PLANNED
    if status not in Meeting.Status.values:
        err("status", "状态无效，可选：planned、held、cancelled")
    held_at = data.get("held_at")
    for field in ("held_at", "planned_on"):
        if message := sensible_date_error(data.get(field)):
            err(field, message)
    if status == Meeting.Status.HELD and held_at is None:
        err("held_at", "已召开的会议须填写召开时间")
    if status == Meeting.Status.HELD and held_at is not None and held_at > now:
        err("held_at", "召开时间晚于现在，不能登记为已召开；请先按计划登记")
    if status == Meeting.Status.PLANNED and held_at is None and data.get("planned_on") is None:
        err("planned_on", "请填写计划日期或召开时间")
    if len(data.get("place") or "") > 200:
        err("place", "地点过长（最多200字）")
    group = data.get("group")
    if kind == Meeting.Kind.GROUP_MEETING:
        if group is None:
            err("group", "党小组会须选择党小组")
        elif group.kind != Org.Kind.GROUP or group.parent_id != org.pk:
            err("group", "党小组须是本支部下设的党小组")
    elif group is not None:
        err("group", "只有党小组会需要选择党小组")
    if data.get("lecturer") is not None and kind != Meeting.Kind.PARTY_LECTURE:
        err("lecturer", "只有党课需要填写授课人")
    if kind == Meeting.Kind.HEART_TALK and (
        data.get("host") is None or data.get("counterpart") is None
    ):
        err("counterpart", "谈心谈话须填写谈话人（主持人）和谈话对象")
    if data.get("counterpart") is not None and kind != Meeting.Kind.HEART_TALK:
        err("counterpart", "只有谈心谈话需要填写谈话对象")
    if (
        data.get("host") is not None
        and data.get("counterpart") is not None
        and data["host"].pk == data["counterpart"].pk
    ):
        err("counterpart", "谈话对象不能是谈话人本人")
    opens, closes = data.get("sign_in_opens_at"), data.get("sign_in_closes_at")
    if opens and closes and closes <= opens:
        err("sign_in_closes_at", "签到截止时间须晚于签到开始时间")
    _validate_people(data, org, errors)
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)


def _fill_window(meeting: Meeting) -> None:
    if meeting.held_at and not meeting.sign_in_opens_at:
        meeting.sign_in_opens_at = meeting.held_at - SIGN_IN_EARLY
    if meeting.held_at and not meeting.sign_in_closes_at:
        meeting.sign_in_closes_at = meeting.held_at + SIGN_IN_LATE


def new_sign_in_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def attendance_ensure(meeting: Meeting) -> int:
    """Create the expected attendees' rows that are missing (set-based). Returns the count."""
    have = set(meeting.attendances.values_list("member_id", flat=True))
    expected = expected_members(meeting).values_list("pk", flat=True)
    missing = [pk for pk in expected if pk not in have]
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=pk) for pk in missing], ignore_conflicts=True
    )
    return len(missing)


# ---------------------------------------------------------------- meetings


@transaction.atomic
def meeting_create(
    *,
    actor,
    org: Org,
    kind: str,
    topic: str,
    status: str = Meeting.Status.PLANNED,
    planned_on: dt.date | None = None,
    held_at: dt.datetime | None = None,
    place: str = "",
    group: Org | None = None,
    host: Member | None = None,
    recorder: Member | None = None,
    lecturer: Member | None = None,
    counterpart: Member | None = None,
    slot: PlanSlot | None = None,
    sign_in_opens_at: dt.datetime | None = None,
    sign_in_closes_at: dt.datetime | None = None,
) -> Meeting:
    now = timezone.now()
    held_at = _aware(held_at)
    data: dict[str, Any] = {
        "org": org,
        "kind": kind,
        "topic": (topic or "").strip(),
        "status": status or Meeting.Status.PLANNED,
        "planned_on": planned_on,
        "held_at": held_at,
        "place": (place or "").strip(),
        "group": group,
        "host": host,
        "recorder": recorder,
        "lecturer": lecturer,
        "counterpart": counterpart,
        "sign_in_opens_at": _aware(sign_in_opens_at),
        "sign_in_closes_at": _aware(sign_in_closes_at),
    }
    if data["status"] == Meeting.Status.CANCELLED:
        raise DomainError("不能新建已取消的会议", field="status")
    _validate(data, now=now)
    if slot is not None and (slot.org_id != org.pk or slot.kind != kind):
        raise DomainError("所选年度计划项与会议的组织或类型不符", field="slot")
    if data["planned_on"] is None and held_at is not None:
        data["planned_on"] = _local_date(held_at)
    meeting = Meeting(**data, slot=slot, created_by=actor_user(actor))
    meeting.backfilled = meeting.status == Meeting.Status.HELD
    meeting.sign_in_code = new_sign_in_code()
    meeting.sign_in_token = secrets.token_urlsafe(24)
    _fill_window(meeting)
    meeting.save()
    if meeting.status == Meeting.Status.HELD or meeting.kind == Meeting.Kind.HEART_TALK:
        attendance_ensure(meeting)
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=meeting,
        verb="补录已召开会议" if meeting.backfilled else "新建会议",
        changes=snapshot(meeting, MEETING_FIELDS),
    )
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **fields) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise DomainError(f"不能修改字段 {', '.join(sorted(unknown))}")
    if meeting.status == Meeting.Status.CANCELLED:
        raise Conflict("会议已取消，不能修改")
    before = snapshot(meeting, MEETING_FIELDS)
    for key in ("held_at", "sign_in_opens_at", "sign_in_closes_at"):
        if key in fields:
            fields[key] = _aware(fields[key])
    if "held_at" in fields and fields["held_at"] != meeting.held_at:
        # A new start time moves the default window with it.
        fields.setdefault("sign_in_opens_at", None)
        fields.setdefault("sign_in_closes_at", None)
    data = {f: getattr(meeting, f) for f in MEETING_FIELDS}
    data.update(fields)
    _validate(data, now=timezone.now())
    for key, value in fields.items():
        setattr(meeting, key, value)
    _fill_window(meeting)
    meeting.save()
    changes = diff(before, snapshot(meeting, MEETING_FIELDS))
    if changes:
        audit(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=meeting,
            verb="修改会议",
            changes=changes,
        )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> Meeting:
    if not (reason or "").strip():
        raise DomainError("请填写取消原因", field="reason")
    if meeting.status == Meeting.Status.HELD:
        raise Conflict("会议已召开，不能取消")
    if meeting.status == Meeting.Status.CANCELLED:
        return meeting
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    users = _users_of(meeting.attendances.values_list("member_id", flat=True))
    notify(
        users=users,
        title=f"会议取消：{meeting.topic}",
        body=f"原因：{reason.strip()}",
        link=reverse("meetings:my_meetings"),
        dedupe_key=f"meeting-cancel-{meeting.pk}",
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=meeting,
        verb="取消会议",
        changes={"status": ["planned", "cancelled"], "reason": reason.strip()},
    )
    return meeting


def _users_of(member_ids) -> list:
    from dangjian.accounts.models import User

    return list(User.objects.filter(member_id__in=list(member_ids), is_active=True))


@transaction.atomic
def meeting_send_notice(*, actor, meeting: Meeting) -> int:
    """Create the expected attendees' rows and notify them (inbox, email, webhook). Sending
    twice notifies nobody twice. Returns the number of people notified."""
    if meeting.status != Meeting.Status.PLANNED:
        raise Conflict("只有计划中的会议可以发送通知")
    attendance_ensure(meeting)
    when = (
        timezone.localtime(meeting.held_at).strftime("%Y-%m-%d %H:%M")
        if meeting.held_at
        else f"{meeting.planned_on:%Y-%m-%d}"
    )
    users = _users_of(meeting.attendances.values_list("member_id", flat=True))
    created = notify(
        users=users,
        title=f"会议通知：{meeting.get_kind_display()}",
        body=f"{meeting.topic}，时间 {when}，地点 {meeting.place or '另行通知'}。"
        "如不能参加，请在“我的会议”中请假。",
        link=reverse("meetings:my_meetings"),
        dedupe_key=f"meeting-notice-{meeting.pk}",
    )
    first = meeting.notice_sent_at is None
    if first:
        meeting.notice_sent_at = timezone.now()
        meeting.save(update_fields=["notice_sent_at", "updated_at"])
    audit(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=meeting,
        verb="发送会议通知",
        changes={"notified": len(created)},
    )
    return len(created)


@transaction.atomic
def meeting_record(
    *,
    actor,
    meeting: Meeting,
    held_at: dt.datetime | None = None,
    minutes: str | None = None,
    resolutions: str | None = None,
    place: str | None = None,
    attendance: dict[int, str] | None = None,
) -> Meeting:
    """Record the meeting as held (or update its record) in one step: minutes sanitized and
    quality checked, attendance taken, make-up requests sent.

    ``attendance`` maps member ids to the exceptions (``leave`` / ``absent``, or
    ``present`` to override); every other expected attendee who is not on approved leave
    is recorded present ("全部出席" with exceptions). Without it (the older API call),
    those who neither signed in nor took leave are recorded absent. The host and the
    recorder are present either way, and 补学 is asked only of those absent or on leave."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise Conflict("会议已取消，不能登记")
    before = snapshot(meeting, ["status", "held_at", "place"])
    now = timezone.now()
    held_at = _aware(held_at) or meeting.held_at
    if held_at is None:
        raise DomainError("请填写召开时间", field="held_at")
    if held_at > now:
        raise DomainError("召开时间晚于现在，会议召开后再登记", field="held_at")
    was_held = meeting.status == Meeting.Status.HELD
    if not was_held and now - held_at > dt.timedelta(days=settings.REMINDER_DAYS_BEFORE):
        meeting.backfilled = True
    if held_at != meeting.held_at:
        meeting.held_at = held_at
        meeting.sign_in_opens_at = meeting.sign_in_closes_at = None
        _fill_window(meeting)
    meeting.status = Meeting.Status.HELD
    if place is not None:
        meeting.place = place.strip()
    if resolutions is not None:
        meeting.resolutions = resolutions.strip()
    if minutes is not None:
        meeting.minutes = quality.sanitize(minutes)
        meeting.minutes_text = quality.plain_text(meeting.minutes)
        meeting.minutes_digest = quality.digest(quality.normalize(meeting.minutes_text))
        meeting.quality, meeting.similar_to_id, meeting.similarity = quality.assess(meeting)
    exceptions = _clean_exceptions(meeting, attendance)
    meeting.save()
    attendance_ensure(meeting)
    taken = _take_attendance(meeting, exceptions, default_present=attendance is not None, now=now)
    changes = diff(before, snapshot(meeting, ["status", "held_at", "place"]))
    if minutes is not None:
        changes["minutes_chars"] = len(meeting.minutes_text)
    if taken:
        changes["attendance"] = taken
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=meeting,
        verb="补录会议记录" if meeting.backfilled and not was_held else "登记会议记录",
        changes=changes,
    )
    absentees = list(
        meeting.attendances.filter(status__in=[Attendance.Status.ABSENT, Attendance.Status.LEAVE])
        .exclude(member_id__in=_chairs(meeting))
        .values_list("member_id", flat=True)
    )
    if absentees:
        notify(
            users=_users_of(absentees),
            title=f"请补学：{meeting.topic}",
            body="您未出席本次会议（请假或缺席），请学习会议内容后在“我的会议”中确认补学。",
            link=reverse("meetings:my_meetings"),
            dedupe_key=f"meeting-makeup-{meeting.pk}",
        )
    return meeting


RECORDABLE = {Attendance.Status.PRESENT, Attendance.Status.LEAVE, Attendance.Status.ABSENT}


def _chairs(meeting: Meeting) -> set[int]:
    """The host and the recorder: in the room by definition."""
    return {pk for pk in (meeting.host_id, meeting.recorder_id) if pk}


def _clean_exceptions(meeting: Meeting, attendance: dict[int, str] | None) -> dict[int, str]:
    """Check the attendance exceptions against the expected attendees; collect every
    problem into one DomainError."""
    if not attendance:
        return {}
    errors: list[dict] = []
    known = set(meeting.attendances.values_list("member_id", flat=True)) | set(
        expected_members(meeting).values_list("pk", flat=True)
    )
    names = dict(Member.objects.filter(pk__in=list(attendance)).values_list("pk", "name"))
    chairs = _chairs(meeting)
    clean: dict[int, str] = {}
    for member_id, status in attendance.items():
        name = names.get(member_id, f"编号 {member_id}")
        if member_id not in known:
            errors.append({"field": "attendance", "message": f"{name} 不在本次会议的应到人员中"})
        elif status not in RECORDABLE:
            errors.append(
                {"field": "attendance", "message": f"{name} 的出席情况无效，可选：出席、请假、缺席"}
            )
        elif member_id in chairs and status != Attendance.Status.PRESENT:
            errors.append(
                {"field": "attendance", "message": f"{name} 是本次会议的主持人或记录人，应为出席"}
            )
        else:
            clean[member_id] = status
    if errors:
        raise DomainError(errors[0]["message"], field="attendance", errors=errors)
    return clean


def _take_attendance(
    meeting: Meeting, exceptions: dict[int, str], *, default_present: bool, now: dt.datetime
) -> dict[str, int]:
    """Set each row's status: the exception given for it; else the host and recorder
    present; else a row already decided (signed in, on approved leave, made up) unchanged;
    else present when the secretary took attendance, absent otherwise. Returns the
    counts of rows changed per new status (for the audit entry)."""
    chairs = _chairs(meeting)
    changed: dict[str, int] = {}
    dirty: list[Attendance] = []
    rows = list(Attendance.objects.select_for_update().filter(meeting=meeting))
    for row in rows:
        status = exceptions.get(row.member_id)
        if status is None:
            if row.member_id in chairs and row.status != Attendance.Status.MADE_UP:
                status = Attendance.Status.PRESENT
            elif row.status != Attendance.Status.EXPECTED:
                continue
            elif default_present:
                status = Attendance.Status.PRESENT
            else:
                status = Attendance.Status.ABSENT
        if status == row.status:
            continue
        row.status = status
        if status == Attendance.Status.PRESENT:
            row.channel = row.channel or Attendance.Channel.SECRETARY
            row.signed_at = row.signed_at or now
        elif status == Attendance.Status.LEAVE and row.leave_status != Attendance.Leave.APPROVED:
            # Recording someone on leave is the secretary's decision on a pending request.
            row.leave_status = Attendance.Leave.APPROVED
            row.leave_decided_at = now
        row.updated_at = now
        dirty.append(row)
        changed[status] = changed.get(status, 0) + 1
    Attendance.objects.bulk_update(
        dirty, ["status", "channel", "signed_at", "leave_status", "leave_decided_at", "updated_at"]
    )
    return changed


def attachment_add(*, actor, meeting: Meeting, upload) -> MeetingAttachment:
    """Attach a photo or PDF, checked by its content, within settings.UPLOAD_MAX_BYTES."""
    mime, _ = accept(
        upload, IMAGE_AND_PDF, type_message="只能上传图片（JPG、PNG、GIF、WebP）或 PDF 文件"
    )
    name = (getattr(upload, "name", "") or "附件").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        att = MeetingAttachment(
            meeting=meeting,
            name=name,
            content_type=mime,
            size=upload.size,
            uploaded_by=actor_user(actor),
        )
        att.file.save(name, upload, save=False)
        att.save()
        audit(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=meeting,
            verb="上传会议附件",
            changes={"file": name, "type": mime, "size": upload.size},
        )
    return att


# ---------------------------------------------------------------- attendance


def _check_window(meeting: Meeting, now: dt.datetime) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise DomainError("会议已取消，不能签到")
    opens, closes = meeting.sign_in_opens_at, meeting.sign_in_closes_at
    if opens is None or closes is None:
        raise DomainError("本次会议尚未安排召开时间，暂不能签到")
    span = (
        f"签到时间为 {timezone.localtime(opens):%m-%d %H:%M} 至 "
        f"{timezone.localtime(closes):%m-%d %H:%M}"
    )
    if now < opens:
        raise DomainError(f"签到尚未开始，{span}")
    if now > closes:
        raise DomainError(f"签到已截止，{span}")


def _proof_of_presence(meeting: Meeting, *, code: str | None, token: str | None) -> str:
    """The channel that proves the member is in the room: the QR code's token or the 6-digit
    code shown there (compared in constant time). Without either, no self sign-in."""
    code, token = (code or "").strip(), (token or "").strip()

    def same(given: str, current: str) -> bool:
        return bool(current) and secrets.compare_digest(given.encode(), current.encode())

    if not code and not token:
        raise DomainError("请输入现场显示的6位签到码，或扫描现场二维码签到", field="code")
    if token and same(token, meeting.sign_in_token):
        return Attendance.Channel.QR
    if code:
        if same(code, meeting.sign_in_code):
            return Attendance.Channel.CODE
        raise DomainError("签到码不正确", field="code")
    raise DomainError("二维码已失效，请重新扫码", field="token")


def meeting_sign_in(
    *,
    actor,
    meeting: Meeting,
    code: str | None = None,
    token: str | None = None,
    now: dt.datetime | None = None,
) -> Attendance:
    """The member behind ``actor`` signs in with the meeting's current QR token or 6-digit
    code (the secretary's marking is ``attendance_mark``); the channel recorded is the one
    that proved presence. Signing in again changes nothing; concurrent sign-ins of one
    member record one row (unique constraint + re-read)."""
    member = _actor_member(actor)
    now = now or timezone.now()
    _check_window(meeting, now)
    channel = _proof_of_presence(meeting, code=code, token=token)
    # Read-only checks first: a repeated sign-in answers without taking the write lock.
    row = Attendance.objects.filter(meeting=meeting, member=member).first()
    if row is not None and row.status == Attendance.Status.PRESENT:
        return row
    if row is None and not expected_members(meeting).filter(pk=member.pk).exists():
        raise DomainError("您不在本次会议的应到人员名单中")
    for _attempt in range(3):
        try:
            with transaction.atomic():
                row = (
                    Attendance.objects.select_for_update()
                    .filter(meeting=meeting, member=member)
                    .first()
                )
                if row is None:
                    row = Attendance.objects.create(
                        meeting=meeting,
                        member=member,
                        status=Attendance.Status.PRESENT,
                        channel=channel,
                        signed_at=now,
                    )
                elif row.status == Attendance.Status.PRESENT:
                    return row
                else:
                    row.status = Attendance.Status.PRESENT
                    row.channel = channel
                    row.signed_at = now
                    row.save(update_fields=["status", "channel", "signed_at", "updated_at"])
                audit(
                    actor=actor,
                    action=AuditEntry.Action.ACTION,
                    obj=meeting,
                    verb="签到",
                    changes={"member": member.pk, "channel": channel},
                )
                return row
        except IntegrityError:
            # Another request of the same member inserted first: theirs stands.
            continue
    return Attendance.objects.get(meeting=meeting, member=member)


@transaction.atomic
def attendance_mark(
    *, actor, meeting: Meeting, member: Member, status: str, note: str = ""
) -> Attendance:
    """The secretary records a member's attendance (present / leave / absent / made_up)."""
    allowed = {
        Attendance.Status.PRESENT,
        Attendance.Status.LEAVE,
        Attendance.Status.ABSENT,
        Attendance.Status.MADE_UP,
    }
    if status not in allowed:
        raise DomainError("出席情况无效，可选：present、leave、absent、made_up", field="status")
    if meeting.status == Meeting.Status.CANCELLED:
        raise Conflict("会议已取消")
    row = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
    if row is None:
        if not member.org.path.startswith(meeting.org.path):
            raise DomainError("该党员不属于本组织", field="member")
        row = Attendance(meeting=meeting, member=member)
    if status == Attendance.Status.MADE_UP and row.status not in {
        Attendance.Status.ABSENT,
        Attendance.Status.LEAVE,
        Attendance.Status.MADE_UP,
    }:
        raise DomainError("只有缺席或请假的党员需要补学", field="status")
    before = row.status if row.pk else ""
    if before == status and row.pk:
        return row
    now = timezone.now()
    row.status = status
    if status == Attendance.Status.PRESENT:
        row.channel = Attendance.Channel.SECRETARY
        row.signed_at = row.signed_at or now
    if status == Attendance.Status.MADE_UP:
        row.made_up_at = now
        row.makeup_note = note.strip() or row.makeup_note
    if status == Attendance.Status.LEAVE and not row.leave_status:
        row.leave_status = Attendance.Leave.APPROVED
        row.leave_reason = note.strip() or row.leave_reason
    row.save()
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=meeting,
        verb="登记出席情况",
        changes={"member": member.pk, "status": [before, status]},
    )
    return row


@transaction.atomic
def leave_request(*, actor, meeting: Meeting, reason: str) -> Attendance:
    member = _actor_member(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写请假事由", field="reason")
    if len(reason) > 200:
        raise DomainError("请假事由过长（最多200字）", field="reason")
    if meeting.status != Meeting.Status.PLANNED:
        raise DomainError("只能对尚未召开的会议请假")
    row = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
    if row is None:
        if not expected_members(meeting).filter(pk=member.pk).exists():
            raise DomainError("您不在本次会议的应到人员名单中")
        row = Attendance(meeting=meeting, member=member)
    if row.status == Attendance.Status.PRESENT:
        raise Conflict("您已签到，不需要请假")
    if row.leave_status == Attendance.Leave.APPROVED:
        return row
    row.leave_reason = reason
    row.leave_status = Attendance.Leave.PENDING
    row.save()
    secretaries = _secretaries_of(meeting.org)
    notify(
        users=secretaries,
        title=f"请假申请：{member.name}",
        body=f"{meeting.topic}：{reason}",
        link=reverse("meetings:detail", kwargs={"meeting_id": meeting.pk}),
        dedupe_key=f"leave-{row.pk}-{row.updated_at:%Y%m%d%H%M%S}",
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=meeting,
        verb="请假",
        changes={"member": member.pk, "reason": reason},
    )
    return row


NOTIFIED_ROLES = (
    Position.Role.SECRETARY,
    Position.Role.DEPUTY_SECRETARY,
    Position.Role.ORGANIZER,
    Position.Role.STAFF,
)


def _secretaries_of(org: Org) -> list:
    return handlers_of([org], NOTIFIED_ROLES, active_accounts_only=True).get(org.pk, [])


@transaction.atomic
def leave_decide(*, actor, attendance: Attendance, approve: bool) -> Attendance:
    meeting = attendance.meeting
    row = Attendance.objects.select_for_update().get(pk=attendance.pk)
    if row.leave_status != Attendance.Leave.PENDING:
        raise Conflict("该请假申请已处理或不存在")
    row.leave_status = Attendance.Leave.APPROVED if approve else Attendance.Leave.REFUSED
    row.leave_decided_at = timezone.now()
    if approve:
        row.status = Attendance.Status.LEAVE
    row.save()
    notify(
        users=_users_of([row.member_id]),
        title=f"请假{'已批准' if approve else '未批准'}：{meeting.topic}",
        body="" if approve else "请按时参加会议。",
        link=reverse("meetings:my_meetings"),
        dedupe_key=f"leave-decided-{row.pk}-{row.leave_decided_at:%Y%m%d%H%M%S}",
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=meeting,
        verb="审批请假",
        changes={"member": row.member_id, "leave_status": row.leave_status},
    )
    return row


@transaction.atomic
def makeup_acknowledge(*, actor, meeting: Meeting, note: str) -> Attendance:
    """An absent member confirms having studied the meeting's content (补学)."""
    member = _actor_member(actor)
    note = (note or "").strip()
    if len(note) < 5:
        raise DomainError("请简要填写补学内容（至少5个字）", field="note")
    row = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
    status = Meeting.objects.values_list("status", flat=True).get(pk=meeting.pk)
    if row is None or status != Meeting.Status.HELD:
        raise DomainError("本次会议没有需要您补学的记录")
    if row.status == Attendance.Status.MADE_UP:
        return row
    if row.status not in {Attendance.Status.ABSENT, Attendance.Status.LEAVE}:
        raise DomainError("您已出席本次会议，不需要补学")
    row.status = Attendance.Status.MADE_UP
    row.makeup_note = note
    row.made_up_at = timezone.now()
    row.save()
    audit(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=meeting,
        verb="确认补学",
        changes={"member": member.pk},
    )
    return row


# ---------------------------------------------------------------- votes


def vote_counts(meeting: Meeting) -> tuple[int, int]:
    """(voting members, of them present) for a general meeting."""
    voters = voting_members(meeting)
    total = voters.count()
    present = (
        Attendance.objects.filter(
            meeting=meeting, status=Attendance.Status.PRESENT, member__in=voters
        ).count()
        if total
        else 0
    )
    return total, present


@transaction.atomic
def vote_record(
    *,
    actor,
    meeting: Meeting,
    subject: str,
    votes_for: int,
    votes_against: int = 0,
    abstain: int = 0,
    written_opinions: int = 0,
) -> Vote:
    """Record a vote on a resolution, judged by the rule in force on the meeting day. Written
    opinions submitted beforehand by absent voting members count as present and their votes
    are included in the figures. Recording the same figures again returns the stored vote."""
    subject = (subject or "").strip()
    if not subject:
        raise DomainError("请填写表决事项", field="subject")
    if len(subject) > 200:
        raise DomainError("表决事项过长（最多200字）", field="subject")
    if meeting.kind != Meeting.Kind.GENERAL_MEETING:
        raise DomainError("只有支部党员大会可以表决", field="meeting")
    if meeting.status != Meeting.Status.HELD:
        raise DomainError("请先将会议登记为已召开，并登记出席情况", field="meeting")
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    existing = Vote.objects.filter(meeting=meeting, subject=subject).first()
    if existing is not None:
        same = (existing.votes_for, existing.votes_against, existing.abstain) == (
            votes_for,
            votes_against,
            abstain,
        ) and existing.written_opinions == written_opinions
        if same:
            return existing
        raise Conflict(f"事项“{subject}”已表决，结果不能修改", field="subject")
    total, present = vote_counts(meeting)
    if written_opinions < 0:
        raise DomainError("书面意见数不能为负数", field="written_opinions")
    if present + written_opinions > total:
        raise DomainError(
            f"书面意见数不能多于未到会的有表决权党员数（{total - present} 人）",
            field="written_opinions",
        )
    result = judge_vote(
        voting_members=total,
        present_voting=present + written_opinions,
        votes_for=votes_for,
        votes_against=votes_against,
        abstain=abstain,
        on=_local_date(meeting.held_at),
    )
    vote = Vote.objects.create(
        meeting=meeting,
        subject=subject,
        votes_for=votes_for,
        votes_against=votes_against,
        abstain=abstain,
        written_opinions=written_opinions,
        voting_members=result.voting_members,
        present_voting=result.present_voting,
        quorum=result.quorum,
        passed=result.passed,
        quorum_needed=result.quorum_needed,
        pass_needed=result.pass_needed,
        explanation=result.explanation,
        rule_code=result.rule,
        rule_version=result.rule_version,
        created_by=actor_user(actor),
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=meeting,
        verb="登记表决结果",
        changes={
            "subject": subject,
            "for": votes_for,
            "against": votes_against,
            "abstain": abstain,
            "written_opinions": written_opinions,
            "quorum": result.quorum,
            "passed": result.passed,
        },
    )
    return vote


# ---------------------------------------------------------------- 组织生活会


@transaction.atomic
def criticism_add(
    *, actor, meeting: Meeting, member: Member, kind: str, content: str, critic=None
) -> CriticismItem:
    if meeting.kind != Meeting.Kind.LIFE_MEETING:
        raise DomainError("批评与自我批评只在组织生活会上登记", field="meeting")
    if kind not in CriticismItem.Kind.values:
        raise DomainError("类型无效，可选：self、peer", field="kind")
    content = (content or "").strip()
    if not content:
        raise DomainError("请填写问题或意见", field="content")
    if member.org_id != meeting.org_id:
        raise DomainError("党员须是本支部党员", field="member")
    if kind == CriticismItem.Kind.PEER and (critic is None or critic.pk == member.pk):
        raise DomainError("相互批评须填写提出人（不能是本人）", field="critic")
    if kind == CriticismItem.Kind.SELF:
        critic = member
    item = CriticismItem.objects.create(
        meeting=meeting, member=member, kind=kind, content=content, critic=critic
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=meeting,
        verb="登记批评与自我批评",
        changes={"member": member.pk, "kind": kind},
    )
    return item


def criticism_to_rectification(*, actor, item: CriticismItem, item_text: str, deadline: dt.date):
    """A problem raised at the 组织生活会 goes onto the rectification list, owned by the member."""
    from dangjian.assessment.services import rectification_create

    return rectification_create(
        actor=actor,
        org=item.meeting.org,
        item=item_text or item.content[:300],
        detail=item.content,
        owner=item.member,
        deadline=deadline,
        source=item,
        source_label=f"{item.meeting.topic}（{item.get_kind_display()}）",
    )


# ---------------------------------------------------------------- annual plan


@transaction.atomic
def plan_generate(*, actor, org: Org, year: int) -> list[PlanSlot]:
    """Lay out ``org``'s required meetings for ``year`` from the rules in force. Idempotent:
    slots already there (with their moved dates) are kept; missing ones are added."""
    if org.kind not in MEETING_ORG_KINDS:
        raise DomainError("年度计划按党支部生成，请选择党支部", field="org")
    if not 2000 <= year <= 2100:
        raise DomainError("年度无效", field="year")
    groups = list(Org.objects.active().filter(parent=org, kind=Org.Kind.GROUP))
    full = Member.objects.on_rolls().filter(org=org, status=Member.Status.FULL).count()
    wanted = plan_mod.slots_for(org, groups, year, full_members=full)
    if not wanted:
        raise DomainError("标准库中没有可用于生成年度计划的会议频次规则，请先加载或启用标准库")
    have = {
        (s.kind, s.group_id, s.period, s.sequence)
        for s in PlanSlot.objects.filter(org=org, year=year)
    }
    new = [s for s in wanted if (s.kind, s.group_id, s.period, s.sequence) not in have]
    PlanSlot.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        audit(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            org=org,
            verb="生成年度组织生活计划",
            changes={"year": year, "slots": len(new)},
        )
    return list(PlanSlot.objects.filter(org=org, year=year))


@transaction.atomic
def plan_slot_move(*, actor, slot: PlanSlot, planned_on: dt.date) -> PlanSlot:
    if planned_on is None:
        raise DomainError("请填写计划日期", field="planned_on")
    if planned_on.year != slot.year:
        raise DomainError(f"计划日期须在 {slot.year} 年内", field="planned_on")
    before = slot.planned_on
    if before == planned_on:
        return slot
    slot.planned_on = planned_on
    slot.reminded_at = None
    slot.save(update_fields=["planned_on", "reminded_at"])
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        org=slot.org,
        obj=slot,
        verb="调整年度计划日期",
        changes={"planned_on": [before, planned_on]},
    )
    return slot


@transaction.atomic
def plan_slot_schedule(
    *,
    actor,
    slot: PlanSlot,
    topic: str = "",
    start: dt.time | None = None,
    place: str = "",
) -> Meeting:
    """One step from the plan: the slot's meeting is scheduled on its planned date and the
    notice goes out. Doing it again returns the meeting already scheduled for the slot."""
    if slot.kind not in Meeting.Kind.values:
        raise DomainError("民主评议请在“民主评议”中开展", field="slot")
    existing = Meeting.objects.filter(slot=slot).exclude(status=Meeting.Status.CANCELLED).first()
    if existing is not None:
        return existing
    if slot.kind == Meeting.Kind.HEART_TALK:
        raise DomainError("谈心谈话须选定谈话双方，请点“安排会议”填写", field="slot")
    start = start or dt.time(9, 0)
    held_at = timezone.make_aware(dt.datetime.combine(slot.planned_on, start))
    if held_at <= timezone.now():
        raise DomainError("计划日期已过，请先调整计划日期，或补录已召开的会议", field="planned_on")
    label = slot.get_kind_display()
    meeting = meeting_create(
        actor=actor,
        org=slot.org,
        kind=slot.kind,
        topic=(topic or "").strip() or f"{slot.period} {label}",
        planned_on=slot.planned_on,
        held_at=held_at,
        place=place,
        group=slot.group,
        slot=slot,
    )
    meeting_send_notice(actor=actor, meeting=meeting)
    return meeting


def plan_send_reminders(*, today: dt.date | None = None) -> int:
    """Remind the secretaries of slots due within settings.REMINDER_DAYS_BEFORE days that are
    not done yet. Set-based: one query for the slots, one for the held meetings."""
    from dangjian.meetings.selectors import slot_statuses

    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.REMINDER_DAYS_BEFORE)
    slots = list(
        PlanSlot.objects.filter(
            planned_on__gte=today, planned_on__lte=horizon, reminded_at__isnull=True
        ).select_related("org", "group")
    )
    if not slots:
        return 0
    statuses = slot_statuses(slots, today=today)
    sent = 0
    for slot in slots:
        if statuses[slot.pk] == "done":
            continue
        label = slot.get_kind_display() + (f"（{slot.group.name}）" if slot.group else "")
        notify(
            users=_secretaries_of(slot.org),
            title=f"组织生活提醒：{label}",
            body=f"{slot.org.name} 计划于 {slot.planned_on:%Y-%m-%d} 召开{label}"
            f"（应于 {slot.due_on:%Y-%m-%d} 前完成）。",
            link=reverse("meetings:plan") + f"?org={slot.org_id}&year={slot.year}",
            dedupe_key=f"plan-slot-{slot.pk}-{slot.planned_on:%Y%m%d}",
        )
        sent += 1
    PlanSlot.objects.filter(pk__in=[s.pk for s in slots]).update(reminded_at=timezone.now())
    return sent


# ---------------------------------------------------------------- 民主评议党员


@transaction.atomic
def appraisal_open(*, actor, org: Org, year: int, meeting: Meeting | None = None) -> Appraisal:
    if org.kind not in MEETING_ORG_KINDS:
        raise DomainError("民主评议按党支部开展，请选择党支部", field="org")
    if not 2000 <= year <= 2100:
        raise DomainError("年度无效", field="year")
    if meeting is not None and meeting.org_id != org.pk:
        raise DomainError("评议会议须是本支部的会议", field="meeting")
    if Appraisal.objects.filter(org=org, year=year).exists():
        raise Conflict(f"{org.name} {year} 年度已开展民主评议", field="year")
    appraisal = Appraisal.objects.create(org=org, year=year, meeting=meeting)
    members = Member.objects.on_rolls().party_members().filter(org=org).values_list("pk", flat=True)
    AppraisalEntry.objects.bulk_create(
        [AppraisalEntry(appraisal=appraisal, member_id=pk) for pk in members]
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=appraisal,
        verb="开展民主评议",
        changes={"year": year, "members": len(members)},
    )
    notify(
        users=_users_of(members),
        title=f"{year} 年度民主评议党员",
        body="请填写自我评价并对本支部其他党员进行互评。",
        link=reverse("meetings:my_appraisal", kwargs={"appraisal_id": appraisal.pk}),
        dedupe_key=f"appraisal-open-{appraisal.pk}",
    )
    return appraisal


def _open_entry(appraisal: Appraisal, member: Member) -> AppraisalEntry:
    if appraisal.status != Appraisal.Status.OPEN:
        raise Conflict("民主评议已结束")
    entry = AppraisalEntry.objects.filter(appraisal=appraisal, member=member).first()
    if entry is None:
        raise DomainError("您不是本次民主评议的参评党员")
    return entry


@transaction.atomic
def appraisal_self_assess(*, actor, appraisal: Appraisal, text: str) -> AppraisalEntry:
    member = _actor_member(actor)
    entry = _open_entry(appraisal, member)
    text = (text or "").strip()
    if len(text) < 10:
        raise DomainError("自我评价至少10个字", field="text")
    entry.self_assessment = text
    entry.save(update_fields=["self_assessment"])
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=appraisal,
        verb="填写自我评价",
        changes={"member": member.pk},
    )
    return entry


@transaction.atomic
def appraisal_rate(*, actor, appraisal: Appraisal, ratings: dict[int, str]) -> int:
    """The actor's member rates others of the branch; rating again replaces their ratings."""
    rater = _actor_member(actor)
    _open_entry(appraisal, rater)
    ratee_ids = set(appraisal.entries.values_list("member_id", flat=True))
    errors = []
    for ratee, rating in ratings.items():
        if ratee == rater.pk:
            errors.append({"field": str(ratee), "message": "互评不能评自己"})
        elif ratee not in ratee_ids:
            errors.append({"field": str(ratee), "message": "被评议人不是本次参评党员"})
        elif rating not in Appraisal.Rating.values:
            errors.append({"field": str(ratee), "message": "等次无效"})
    if not ratings:
        errors.append({"field": "ratings", "message": "请至少评议一名党员"})
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    AppraisalRating.objects.filter(appraisal=appraisal, rater=rater, ratee_id__in=ratings).delete()
    AppraisalRating.objects.bulk_create(
        [
            AppraisalRating(appraisal=appraisal, rater=rater, ratee_id=ratee, rating=rating)
            for ratee, rating in ratings.items()
        ]
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=appraisal,
        verb="民主评议互评",
        changes={"rater": rater.pk, "count": len(ratings)},
    )
    return len(ratings)


@transaction.atomic
def appraisal_finalize(
    *,
    actor,
    appraisal: Appraisal,
    ratings: dict[int, str],
    notes: dict[int, str] | None = None,
    followup_deadline: dt.date | None = None,
) -> Appraisal:
    """The board's final rating for every member. A 不合格 rating opens a follow-up record on
    the rectification list, owned by the member."""
    from dangjian.assessment.services import rectification_create

    appraisal = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    if appraisal.status != Appraisal.Status.OPEN:
        raise Conflict("民主评议已完成，评定等次不能再修改")
    notes = notes or {}
    entries = {e.member_id: e for e in appraisal.entries.select_related("member")}
    errors = []
    for member_id, entry in entries.items():
        rating = ratings.get(member_id)
        if not rating:
            message = f"请评定 {entry.member.name} 的等次"
            errors.append({"field": str(member_id), "message": message})
        elif rating not in Appraisal.Rating.values:
            errors.append({"field": str(member_id), "message": "等次无效"})
    for member_id in ratings:
        if member_id not in entries:
            errors.append({"field": str(member_id), "message": "该党员不是本次参评党员"})
    unqualified = [m for m, r in ratings.items() if r == Appraisal.Rating.UNQUALIFIED]
    if unqualified and followup_deadline is None:
        errors.append(
            {"field": "followup_deadline", "message": "有评定为不合格的党员，请填写限期改正的期限"}
        )
    if followup_deadline is not None and followup_deadline <= timezone.localdate():
        errors.append({"field": "followup_deadline", "message": "限期改正的期限须晚于今天"})
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    for member_id, entry in entries.items():
        entry.final_rating = ratings[member_id]
        entry.board_note = (notes.get(member_id) or "").strip()[:300]
    AppraisalEntry.objects.bulk_update(entries.values(), ["final_rating", "board_note"])
    appraisal.status = Appraisal.Status.FINALIZED
    appraisal.finalized_at = timezone.now()
    appraisal.save(update_fields=["status", "finalized_at", "updated_at"])
    for member_id in unqualified:
        entry = entries[member_id]
        rectification_create(
            actor=actor,
            org=appraisal.org,
            item=f"{entry.member.name}：民主评议不合格，限期改正",
            detail=entry.board_note,
            owner=entry.member,
            deadline=followup_deadline,
            source=entry,
            source_label=f"{appraisal.year} 年度民主评议党员",
        )
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=appraisal,
        verb="民主评议评定等次",
        changes={"ratings": {str(k): v for k, v in ratings.items()}},
    )
    return appraisal
