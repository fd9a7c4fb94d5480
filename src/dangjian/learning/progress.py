"""Server-measured study (issue 12, part 2): a study session per member and lesson, and
heartbeats that credit only time that really passed.

Everything the client sends is a claim; the server decides:

- one active session per member: starting another ends the first (a database constraint);
- a heartbeat credits at most the wall-clock time since the previous one plus
  ``tolerance_s`` (a gap longer than ``max_gap_s``, a page left open in the background,
  counts only that much), and a session's total never exceeds its own wall-clock age;
- for audio and video the position may advance at most ``max_speed`` times the wall clock;
  a jump further is cut back, and time is credited only while the position advances
  (paused or sought backwards: nothing);
- audio and video complete when the furthest position is ≥ ``complete_position`` of the
  length and the credited time ≥ ``complete_credited`` of it; other lessons after
  ``text_min_dwell_s`` credited seconds.

The numbers are LRN-4's parameters (``learning.policy``). Services take ``now`` so that
tests pass explicit times instead of sleeping.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangjian.core.errors import Conflict, DomainError
from dangjian.learning.models import Course, Lesson, LessonProgress, StudySession
from dangjian.learning.policy import StudyPolicy, study_policy
from dangjian.learning.services import course_credit
from dangjian.members.models import Member


@dataclass(frozen=True)
class Beat:
    credited_s: float  # credited in this lesson so far (all sessions)
    max_position_s: float
    completed: bool
    percent: int  # how far towards completion, 0–100
    credit_hours: str | None = None  # hours the course earned, when this beat finished it


def percent_done(lesson: Lesson, progress: LessonProgress, policy: StudyPolicy) -> int:
    if progress.completed_at is not None:
        return 100
    if lesson.is_timed:
        need_pos = policy.complete_position * lesson.duration_s
        need_time = policy.complete_credited * lesson.duration_s
        share = min(progress.max_position_s / need_pos, progress.credited_s / need_time)
    else:
        share = progress.credited_s / policy.text_min_dwell_s if policy.text_min_dwell_s else 1
    return max(0, min(99, int(share * 100)))


def is_complete(lesson: Lesson, progress: LessonProgress, policy: StudyPolicy) -> bool:
    if lesson.is_timed:
        return (
            progress.max_position_s >= policy.complete_position * lesson.duration_s
            and progress.credited_s >= policy.complete_credited * lesson.duration_s
        )
    return progress.credited_s >= policy.text_min_dwell_s


@transaction.atomic
def session_start(*, member: Member, lesson: Lesson, now: dt.datetime | None = None):
    """Start studying ``lesson``; any session the member still has open is ended first."""
    now = now or timezone.now()
    course = lesson.course
    if course.status != Course.Status.PUBLISHED:
        raise DomainError("课程尚未发布", field="lesson")
    if not member.org.path.startswith(course.org.path):
        raise DomainError("该课程不面向您所在的组织", field="lesson")
    Member.objects.select_for_update().filter(pk=member.pk).first()  # one start at a time
    StudySession.objects.filter(member=member, ended_at__isnull=True).update(ended_at=now)
    LessonProgress.objects.get_or_create(member=member, lesson=lesson)
    return StudySession.objects.create(
        token=secrets.token_urlsafe(24),
        member=member,
        lesson=lesson,
        started_at=now,
        last_beat_at=now,
    )


@transaction.atomic
def heartbeat(*, session: StudySession, position_s: float, now: dt.datetime | None = None) -> Beat:
    """Credit what really passed since the previous heartbeat of ``session``."""
    now = now or timezone.now()
    session = (
        StudySession.objects.select_for_update(of=("self",))
        .select_related("lesson__course", "member__org")
        .get(pk=session.pk)
    )
    if session.ended_at is not None:
        raise Conflict("本次学习已结束，请重新进入课时")
    lesson = session.lesson
    policy = study_policy(timezone.localdate(now))
    elapsed = max(0.0, min((now - session.last_beat_at).total_seconds(), policy.max_gap_s))
    lifetime = max(0.0, (now - session.started_at).total_seconds())
    # The tolerance lets a late beat catch up; a session never earns more than its own age
    # (so restarting sessions over and over earns nothing either).
    budget = max(0.0, lifetime - session.credited_s)
    credit = min(elapsed + policy.tolerance_s, budget)
    if lesson.is_timed:
        claimed = min(max(float(position_s or 0), 0.0), float(lesson.duration_s))
        if claimed >= session.position_s:
            reached = min(claimed, session.position_s + elapsed * policy.max_speed)
        else:  # sought backwards: allowed, earns nothing
            reached = claimed
        credit = min(credit, max(0.0, reached - session.position_s))
        session.position_s = reached
    session.credited_s += credit
    session.last_beat_at = now
    session.save(update_fields=["position_s", "credited_s", "last_beat_at", "updated_at"])

    progress = LessonProgress.objects.select_for_update().get(member=session.member, lesson=lesson)
    progress.credited_s += credit
    progress.max_position_s = max(progress.max_position_s, session.position_s)
    finished = progress.completed_at is None and is_complete(lesson, progress, policy)
    if finished:
        progress.completed_at = now
    progress.save(update_fields=["credited_s", "max_position_s", "completed_at", "updated_at"])
    hours = None
    if finished:
        earned = course_credit(member=session.member, course=lesson.course, now=now)
        hours = str(earned.hours) if earned else None
    return Beat(
        credited_s=round(progress.credited_s, 1),
        max_position_s=round(progress.max_position_s, 1),
        completed=progress.completed_at is not None,
        percent=percent_done(lesson, progress, policy),
        credit_hours=hours,
    )
