"""Recording a meeting as held: minutes checked for quality, attendance taken with
exceptions ("全部出席" but these), make-up requests sent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.core.audit import audit, diff, snapshot
from dangjian.core.choices import choices_text
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import AuditEntry
from dangjian.core.services import notify
from dangjian.meetings import quality
from dangjian.meetings.models import Attendance, Meeting
from dangjian.meetings.selectors import expected_members
from dangjian.meetings.services.common import aware, fill_window, users_of
from dangjian.meetings.services.meetings import attendance_ensure
from dangjian.members.models import Member


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
    held_at = aware(held_at) or meeting.held_at
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
        fill_window(meeting)
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
            users=users_of(absentees),
            title=f"请补学：{meeting.topic}",
            body="您未出席本次会议（请假或缺席），请学习会议内容后在“我的会议”中确认补学。",
            link=reverse("meetings:my_meetings"),
            dedupe_key=f"meeting-makeup-{meeting.pk}",
        )
    return meeting


RECORDABLE = [
    (value, label)
    for value, label in Attendance.Status.choices
    if value in {Attendance.Status.PRESENT, Attendance.Status.LEAVE, Attendance.Status.ABSENT}
]


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
        elif status not in {value for value, _ in RECORDABLE}:
            message = f"{name} 的出席情况无效，可选：{choices_text(RECORDABLE)}"
            errors.append({"field": "attendance", "message": message})
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
