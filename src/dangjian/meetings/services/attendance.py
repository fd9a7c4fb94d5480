"""Attendance: sign-in by the member (QR or code), marking by the secretary, leave
requests and their decision, make-up study (补学)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.core.audit import audit
from dangjian.core.choices import choices_text
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import AuditEntry
from dangjian.core.services import notify
from dangjian.meetings.models import Attendance, Meeting
from dangjian.meetings.selectors import expected_members
from dangjian.meetings.services.common import actor_member, secretaries_of, users_of
from dangjian.members.models import Member


def check_sign_in_window(opens, closes, now: dt.datetime, *, what: str = "会议") -> None:
    """Self sign-in is open between ``opens`` and ``closes`` (shared with other sign-ins,
    e.g. learning's training classes)."""
    if opens is None or closes is None:
        raise DomainError(f"本次{what}尚未安排时间，暂不能签到")
    span = (
        f"签到时间为 {timezone.localtime(opens):%m-%d %H:%M} 至 "
        f"{timezone.localtime(closes):%m-%d %H:%M}"
    )
    if now < opens:
        raise DomainError(f"签到尚未开始，{span}")
    if now > closes:
        raise DomainError(f"签到已截止，{span}")


def _check_window(meeting: Meeting, now: dt.datetime) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise DomainError("会议已取消，不能签到")
    if meeting.sign_in_opens_at is None or meeting.sign_in_closes_at is None:
        raise DomainError("本次会议尚未安排召开时间，暂不能签到")
    check_sign_in_window(meeting.sign_in_opens_at, meeting.sign_in_closes_at, now)


def _misses_key(meeting: Meeting, member: Member) -> str:
    return f"meetings:sign-in-code-misses:{meeting.pk}:{member.pk}"


def proof_of_presence(
    *,
    code: str | None,
    token: str | None,
    current_code: str,
    current_token: str,
    misses_key: str,
) -> str:
    """The channel that proves the member is in the room: the QR code's token or the 6-digit
    code shown there (compared in constant time). Without either, no self sign-in. After
    ``SIGN_IN_CODE_TRIES`` wrong codes (counted under ``misses_key``: one sign-in of one
    member) a member may not try another code for ``SIGN_IN_CODE_LOCK_MINUTES`` (a million
    codes are not guessed one by one); the QR code and the secretary's marking still work.
    Shared by every sign-in that shows a code in the room (meetings, training classes)."""
    code, token = (code or "").strip(), (token or "").strip()

    def same(given: str, current: str) -> bool:
        return bool(current) and secrets.compare_digest(given.encode(), current.encode())

    if not code and not token:
        raise DomainError("请输入现场显示的6位签到码，或扫描现场二维码签到", field="code")
    if token and same(token, current_token):
        return Attendance.Channel.QR
    if code:
        tries = settings.SIGN_IN_CODE_TRIES
        if (cache.get(misses_key) or 0) >= tries:
            raise DomainError(
                f"签到码已连续输错 {tries} 次，请 {settings.SIGN_IN_CODE_LOCK_MINUTES} 分钟后"
                "再试，或扫描现场二维码、请书记代为登记",
                field="code",
            )
        if same(code, current_code):
            cache.delete(misses_key)
            return Attendance.Channel.CODE
        cache.add(misses_key, 0, settings.SIGN_IN_CODE_LOCK_MINUTES * 60)
        cache.incr(misses_key)
        raise DomainError("签到码不正确", field="code")
    raise DomainError("二维码已失效，请重新扫码", field="token")


def _proof_of_presence(
    meeting: Meeting, member: Member, *, code: str | None, token: str | None
) -> str:
    return proof_of_presence(
        code=code,
        token=token,
        current_code=meeting.sign_in_code,
        current_token=meeting.sign_in_token,
        misses_key=_misses_key(meeting, member),
    )


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
    member = actor_member(actor)
    now = now or timezone.now()
    _check_window(meeting, now)
    channel = _proof_of_presence(meeting, member, code=code, token=token)
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
    allowed = [c for c in Attendance.Status.choices if c[0] != Attendance.Status.EXPECTED]
    if status not in {value for value, _ in allowed}:
        raise DomainError("出席情况无效，可选：" + choices_text(allowed), field="status")
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
    member = actor_member(actor)
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
    secretaries = secretaries_of(meeting.org)
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
        users=users_of([row.member_id]),
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
    member = actor_member(actor)
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
