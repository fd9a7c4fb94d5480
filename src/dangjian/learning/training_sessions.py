"""Sessions (课次) of a training class that runs over several half-days or days.

A class without sessions takes attendance once, with the hours missed entered by the
organizer. A class with sessions takes attendance per session: a member signs in (QR or
code, as at a meeting) to the session under way, or the organizer ticks the session's roll.
The hours a member missed are then the hours of the sessions they did not attend; their
row on the class list and their study credit follow (LRN-5, within LRN-3's absence limit),
set-based for the whole roll."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError
from dangjian.learning.models import (
    StudyCredit,
    TrainingAttendance,
    TrainingClass,
    TrainingSession,
    TrainingSessionAttendance,
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
from dangjian.meetings.models import Attendance

ZERO = Decimal(0)


def _locked_open(training: TrainingClass) -> TrainingClass:
    training = TrainingClass.objects.select_for_update().get(pk=training.pk)
    _open(training)
    return training


@transaction.atomic
def session_add(
    *, actor, training: TrainingClass, title: str, starts_at, ends_at, hours
) -> TrainingSession:
    """Add a session inside the class's time, not overlapping another, with hours that LRN-5
    allows for its length and that keep the sessions' total within the class's hours."""
    training = _locked_open(training)
    title = (title or "").strip()
    if not title:
        raise DomainError("请填写课次名称，如“第一天上午”", field="title")
    if len(title) > 100:
        raise DomainError("课次名称过长（最多 100 字）", field="title")
    starts_at = _aware(starts_at, "starts_at", "开始时间")
    ends_at = _aware(ends_at, "ends_at", "结束时间")
    if ends_at <= starts_at:
        raise DomainError("结束时间须晚于开始时间", field="ends_at")
    if starts_at < training.starts_at or ends_at > training.ends_at:
        first, last = timezone.localtime(training.starts_at), timezone.localtime(training.ends_at)
        raise DomainError(
            f"课次须在培训班时间内（{first:%m月%d日 %H:%M} 至 {last:%m月%d日 %H:%M}）",
            field="starts_at",
        )
    hours = parse_hours(hours)
    policy = training_policy(timezone.localdate(training.starts_at))
    most = policy.max_hours(starts_at, ends_at)
    if hours > most:
        raise DomainError(f"按 {policy.rule.code}，该课次时长最多认定 {most} 学时", field="hours")
    sessions = training.sessions.all()
    clash = sessions.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).first()
    if clash is not None:
        raise DomainError(f"与课次“{clash.title}”时间重叠", field="starts_at")
    planned = sessions.aggregate(total=Sum("hours"))["total"] or ZERO
    if planned + hours > training.hours:
        raise DomainError(
            f"各课次学时合计不能超过培训班学时 {training.hours}（已排 {planned}）", field="hours"
        )
    session = TrainingSession.objects.create(
        training=training, title=title, starts_at=starts_at, ends_at=ends_at, hours=hours
    )
    audit(
        actor=actor,
        action="update",
        obj=training,
        verb=f"新增课次 {title}（{hours} 学时）",
        changes={"session": session.pk, "hours": str(hours)},
    )
    recount(training, actor=actor)
    return session


@transaction.atomic
def session_remove(*, actor, session: TrainingSession) -> None:
    """Remove a session that nobody has attended yet (a mistake in the plan)."""
    training = _locked_open(session.training)
    if session.presences.exists():
        raise Conflict("本课次已有出勤记录，不能删除；如有误请先在点名表中取消勾选")
    title = session.title
    session.delete()
    audit(actor=actor, action="update", obj=training, verb=f"删除课次 {title}")
    recount(training, actor=actor)


@transaction.atomic
def session_roll(*, actor, session: TrainingSession, present: set[int]) -> dict[str, int]:
    """The organizer's roll call for one session: exactly the members in ``present`` (ids,
    all on the class's list) attended it. Returns how many were added and removed."""
    training = _locked_open(session.training)
    roll = set(training.attendances.values_list("member_id", flat=True))
    strangers = set(present) - roll
    if strangers:
        raise DomainError(f"有 {len(strangers)} 人不在本培训班的学员名单中", field="present")
    have = dict(session.presences.values_list("member_id", "pk"))
    added = sorted(set(present) - set(have))
    removed = [pk for member_id, pk in have.items() if member_id not in present]
    now = timezone.now()
    TrainingSessionAttendance.objects.bulk_create(
        [
            TrainingSessionAttendance(
                session=session, member_id=m, channel=Attendance.Channel.SECRETARY, signed_at=now
            )
            for m in added
        ]
    )
    TrainingSessionAttendance.objects.filter(pk__in=removed).delete()
    changed = set(added) | {m for m, pk in have.items() if pk in removed}
    if changed:
        recount(training, actor=actor, members=changed)
        audit(
            actor=actor,
            action="update",
            obj=training,
            verb=f"课次点名：{session.title}，出席 {len(present)} 人",
            changes={"session": session.pk, "added": len(added), "removed": len(removed)},
        )
    return {"added": len(added), "removed": len(removed)}


def mark_whole_class(*, actor, training: TrainingClass, member_id: int, present: bool) -> None:
    """Attendance marked for the whole class on a class with sessions: present at every
    session, or at none (leave, absent). The caller holds the class's lock."""
    presences = TrainingSessionAttendance.objects.filter(
        session__training=training, member_id=member_id
    )
    if present:
        have = set(presences.values_list("session_id", flat=True))
        now = timezone.now()
        TrainingSessionAttendance.objects.bulk_create(
            [
                TrainingSessionAttendance(
                    session_id=s,
                    member_id=member_id,
                    channel=Attendance.Channel.SECRETARY,
                    signed_at=now,
                )
                for s in training.sessions.values_list("pk", flat=True)
                if s not in have
            ]
        )
    else:
        presences.delete()


def current_session(training: TrainingClass, now: dt.datetime) -> TrainingSession:
    """The session a sign-in at ``now`` belongs to: from 30 minutes before it starts to its end."""
    session = (
        training.sessions.filter(starts_at__lte=now + SIGN_IN_EARLY, ends_at__gte=now)
        .order_by("starts_at")
        .first()
    )
    if session is None:
        raise DomainError("现在不在任何课次的签到时间内（课次开始前 30 分钟至结束）")
    return session


def sign_in_session(*, actor, training: TrainingClass, member_id: int, channel: str, now) -> bool:
    """Record the member at the session under way. True when this is a new presence."""
    session = current_session(training, now)
    try:
        with transaction.atomic():
            training = TrainingClass.objects.select_for_update().get(pk=training.pk)
            _, created = TrainingSessionAttendance.objects.get_or_create(
                session=session,
                member_id=member_id,
                defaults={"channel": channel, "signed_at": now},
            )
            if created:
                recount(training, actor=actor, members={member_id})
                audit(
                    actor=actor,
                    action="action",
                    obj=training,
                    verb=f"培训签到：{session.title}",
                    changes={"member": member_id, "session": session.pk, "channel": channel},
                )
    except IntegrityError:
        return False  # a concurrent sign-in of the same member at the same session
    return created


def recount(training: TrainingClass, *, actor, members: set[int] | None = None) -> None:
    """Bring the class list's rows (of ``members``, default all) and their study credits in
    line with the sessions attended, in a fixed number of queries."""
    planned = training.sessions.aggregate(total=Sum("hours"))["total"] or ZERO
    if not planned:
        return
    presences = TrainingSessionAttendance.objects.filter(session__training=training)
    roll = training.attendances.all()
    if members is not None:  # a sign-in or a roll call: read only the members it changed
        presences = presences.filter(member_id__in=members)
        roll = roll.filter(member_id__in=members)
    attended = dict(
        presences.values("member_id")
        .annotate(hours=Sum("session__hours"))
        .values_list("member_id", "hours")
    )
    rows = list(roll)
    policy = training_policy(timezone.localdate(training.starts_at))
    now = timezone.now()
    changed_rows, credits = [], {}
    for row in rows:
        got = attended.get(row.member_id, ZERO)
        if got > 0:
            status, absent = TrainingAttendance.Status.PRESENT, planned - got
        elif row.status == TrainingAttendance.Status.PRESENT:
            status, absent = TrainingAttendance.Status.EXPECTED, ZERO
        else:
            status, absent = row.status, ZERO
        hours = policy.credit(training.hours, absent) if status == "present" else ZERO
        if (row.status, row.absent_hours, row.credited_hours) != (status, absent, hours):
            row.status, row.absent_hours, row.credited_hours = status, absent, hours
            if status == "present" and not row.signed_at:
                row.channel, row.signed_at = Attendance.Channel.SECRETARY, now
            row.updated_at = now
            changed_rows.append(row)
        credits[row.member_id] = hours
    TrainingAttendance.objects.bulk_update(
        changed_rows,
        ["status", "absent_hours", "credited_hours", "channel", "signed_at", "updated_at"],
    )
    _write_credits(training, credits, policy=policy, actor=actor, now=now)


def _write_credits(training, credits: dict[int, Decimal], *, policy, actor, now) -> None:
    """The ledger rows of the class for these members: created, updated or removed."""
    existing = {
        c.member_id: c
        for c in StudyCredit.objects.filter(
            source_type=TRAINING, source_id=training.pk, member_id__in=list(credits)
        )
    }
    gone = [c.pk for m, c in existing.items() if credits[m] <= 0]
    update = []
    for member_id, hours in credits.items():
        row = existing.get(member_id)
        if row is not None and hours > 0 and row.hours != hours:
            row.hours, row.rule_version = hours, policy.rule.version
            update.append(row)
    StudyCredit.objects.filter(pk__in=gone).delete()
    StudyCredit.objects.bulk_update(update, ["hours", "rule_version"])
    StudyCredit.objects.bulk_create(
        [
            class_credit(training, member_id, hours, policy=policy, actor=actor, now=now)
            for member_id, hours in credits.items()
            if hours > 0 and member_id not in existing
        ]
    )
