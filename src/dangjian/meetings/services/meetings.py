"""Meetings: create, update, cancel, send the notice, attach photos and PDFs."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.core.actors import actor_user
from dangjian.core.audit import audit, diff, snapshot
from dangjian.core.choices import choices_text
from dangjian.core.dates import sensible_date_error
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import AuditEntry
from dangjian.core.services import notify
from dangjian.core.uploads import IMAGE_AND_PDF, accept
from dangjian.meetings.models import (
    Attendance,
    Meeting,
    MeetingAttachment,
    PlanSlot,
)
from dangjian.meetings.selectors import MEETING_ORG_KINDS, expected_members
from dangjian.meetings.services.common import (
    aware,
    fill_window,
    local_date,
    users_of,
)
from dangjian.members.models import Member
from dangjian.orgs.models import Org

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
        err("kind", "会议类型无效，可选：" + choices_text(Meeting.Kind.choices))
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
        err("status", "状态无效，可选：" + choices_text(Meeting.Status.choices))
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
    held_at = aware(held_at)
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
        "sign_in_opens_at": aware(sign_in_opens_at),
        "sign_in_closes_at": aware(sign_in_closes_at),
    }
    if data["status"] == Meeting.Status.CANCELLED:
        raise DomainError("不能新建已取消的会议", field="status")
    _validate(data, now=now)
    if slot is not None and (slot.org_id != org.pk or slot.kind != kind):
        raise DomainError("所选年度计划项与会议的组织或类型不符", field="slot")
    if data["planned_on"] is None and held_at is not None:
        data["planned_on"] = local_date(held_at)
    meeting = Meeting(**data, slot=slot, created_by=actor_user(actor))
    meeting.backfilled = meeting.status == Meeting.Status.HELD
    meeting.sign_in_code = new_sign_in_code()
    meeting.sign_in_token = secrets.token_urlsafe(24)
    fill_window(meeting)
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
            fields[key] = aware(fields[key])
    if "held_at" in fields and fields["held_at"] != meeting.held_at:
        # A new start time moves the default window with it.
        fields.setdefault("sign_in_opens_at", None)
        fields.setdefault("sign_in_closes_at", None)
    data = {f: getattr(meeting, f) for f in MEETING_FIELDS}
    data.update(fields)
    _validate(data, now=timezone.now())
    for key, value in fields.items():
        setattr(meeting, key, value)
    fill_window(meeting)
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
    users = users_of(meeting.attendances.values_list("member_id", flat=True))
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
    users = users_of(meeting.attendances.values_list("member_id", flat=True))
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
