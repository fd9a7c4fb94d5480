"""Server-measured progress: a script cannot earn time faster than a person could.

Every test passes explicit times (``at(seconds)``); nothing sleeps. LRN-4's defaults:
tolerance 5 s, max speed 2×, a gap counts at most 30 s, completion at 95 % position and
70 % credited time, text after 60 s."""

from __future__ import annotations

import pytest

from dangjian.core.errors import Conflict, DomainError
from dangjian.learning.models import LessonProgress, StudyCredit, StudySession
from dangjian.learning.policy import study_policy
from dangjian.learning.progress import heartbeat, is_complete, session_start
from tests.learning.conftest import at, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(world):
    return make_course(world.a).lessons.get()


def play(member, lesson, *, start=0, every=10, until=100, speed=1.0):
    """A person watching at ``speed`` from ``start``: one heartbeat every ``every`` s."""
    session = session_start(member=member, lesson=lesson, now=at(start))
    beat = None
    t = 0
    while t < until:
        t += every
        beat = heartbeat(session=session, position_s=t * speed, now=at(start + t))
    return session, beat


def test_real_watching_completes_and_credits_wall_clock(world, video):
    _, beat = play(world.members_a[1], video, until=100)
    assert beat.completed is True
    assert beat.max_position_s == 100
    assert beat.credited_s == pytest.approx(100)


def test_position_jump_to_the_end_earns_nothing_beyond_real_time(world, video):
    member = world.members_a[1]
    session = session_start(member=member, lesson=video, now=at(0))
    beat = heartbeat(session=session, position_s=100, now=at(10))
    # 10 s passed: the position may reach 20 (2×), the credit at most 10 s
    assert beat.max_position_s == 20
    assert beat.credited_s <= 10
    assert beat.completed is False
    assert not StudyCredit.objects.filter(member=member).exists()


def test_heartbeats_faster_than_real_time_earn_only_real_time(world, video):
    member = world.members_a[1]
    session = session_start(member=member, lesson=video, now=at(0))
    beat = None
    for i in range(1, 101):  # 100 heartbeats in 10 seconds, each claiming 1 s more
        beat = heartbeat(session=session, position_s=i, now=at(i / 10))
    assert beat.credited_s <= 10
    assert beat.max_position_s <= 20
    assert beat.completed is False


def test_restarting_sessions_over_and_over_earns_nothing(world):
    text = make_course(world.a, [{"title": "图文", "kind": "text", "body": "<p>x</p>"}])
    lesson = text.lessons.get()
    member = world.members_a[1]
    for i in range(50):  # 50 new sessions within one second, each reporting at once
        session = session_start(member=member, lesson=lesson, now=at(i / 50))
        beat = heartbeat(session=session, position_s=0, now=at(i / 50))
    assert beat.credited_s == 0


def test_a_replayed_heartbeat_at_the_same_instant_earns_nothing_more(world, video):
    member = world.members_a[1]
    session = session_start(member=member, lesson=video, now=at(0))
    first = heartbeat(session=session, position_s=10, now=at(10))
    again = [heartbeat(session=session, position_s=10 + i, now=at(10)) for i in range(1, 20)]
    assert again[-1].credited_s == first.credited_s


def test_two_sessions_at_once_the_first_ends_and_answers_conflict(world, video):
    member = world.members_a[1]
    other = make_course(world.a, title="第二门").lessons.get()
    first = session_start(member=member, lesson=video, now=at(0))
    heartbeat(session=first, position_s=10, now=at(10))
    second = session_start(member=member, lesson=other, now=at(10))
    with pytest.raises(Conflict):
        heartbeat(session=first, position_s=20, now=at(20))
    heartbeat(session=second, position_s=10, now=at(20))
    credited = sum(p.credited_s for p in LessonProgress.objects.filter(member=member))
    assert credited <= 20  # 20 s of wall clock
    assert StudySession.objects.filter(member=member, ended_at__isnull=True).count() == 1


def test_paused_video_earns_nothing(world, video):
    member = world.members_a[1]
    session = session_start(member=member, lesson=video, now=at(0))
    heartbeat(session=session, position_s=10, now=at(10))
    beat = heartbeat(session=session, position_s=10, now=at(300))
    assert beat.credited_s == pytest.approx(10)


def test_a_long_gap_counts_at_most_max_gap(world):
    text = make_course(world.a, [{"title": "图文", "kind": "text", "body": "<p>x</p>"}])
    lesson = text.lessons.get()
    session = session_start(member=world.members_a[1], lesson=lesson, now=at(0))
    beat = heartbeat(session=session, position_s=0, now=at(3600))  # page left for an hour
    assert beat.credited_s == pytest.approx(30 + 5)  # the gap counts 30 s, plus tolerance
    assert beat.completed is False


def test_seeking_back_is_allowed_and_earns_nothing_for_that_beat(world, video):
    member = world.members_a[1]
    session = session_start(member=member, lesson=video, now=at(0))
    heartbeat(session=session, position_s=10, now=at(10))
    beat = heartbeat(session=session, position_s=2, now=at(20))
    assert beat.credited_s == pytest.approx(10)
    beat = heartbeat(session=session, position_s=12, now=at(30))
    assert beat.credited_s == pytest.approx(20)
    assert beat.max_position_s == 12


@pytest.mark.parametrize(
    ("max_position", "credited", "complete"),
    [
        (190, 140, True),  # exactly 95 % and 70 % of 200 s
        (189.9, 200, False),
        (200, 139.9, False),
    ],
)
def test_media_completion_at_its_bounds(world, max_position, credited, complete):
    lesson = make_course(world.a, [{"title": "v", "kind": "video", "duration_s": 200}])
    lesson = lesson.lessons.get()
    progress = LessonProgress(max_position_s=max_position, credited_s=credited)
    assert is_complete(lesson, progress, study_policy()) is complete


def test_steady_watching_to_95_percent_completes(world):
    lesson = make_course(world.a, [{"title": "v", "kind": "video", "duration_s": 200}])
    lesson = lesson.lessons.get()
    session = session_start(member=world.members_a[1], lesson=lesson, now=at(0))
    beat = None
    for i in range(1, 20):  # 1× speed, stopping at 190 s (95 %)
        beat = heartbeat(session=session, position_s=min(i * 10, 190), now=at(i * 10))
    assert beat.max_position_s == pytest.approx(190)
    assert beat.credited_s == pytest.approx(190)
    assert beat.completed is True


def test_video_at_95_percent_with_credited_time_below_70_percent_is_not_complete(world):
    lesson = make_course(world.a, [{"title": "v", "kind": "video", "duration_s": 200}])
    lesson = lesson.lessons.get()
    session = session_start(member=world.members_a[1], lesson=lesson, now=at(0))
    beat = None
    for i in range(1, 11):  # 2× speed: 100 s of wall clock reaches 200
        beat = heartbeat(session=session, position_s=i * 20, now=at(i * 10))
    assert beat.max_position_s == pytest.approx(200)
    assert beat.credited_s == pytest.approx(100)  # the wall clock, below 140
    assert beat.completed is False


def test_text_completes_at_the_minimum_dwell_not_before(world):
    course = make_course(world.a, [{"title": "图文", "kind": "text", "body": "<p>x</p>"}])
    lesson = course.lessons.get()
    session = session_start(member=world.members_a[1], lesson=lesson, now=at(0))
    beats = [heartbeat(session=session, position_s=0, now=at(t)) for t in (10, 20, 30, 40, 50)]
    # credited up to the session's age: 50 s < 60
    assert beats[-1].credited_s == pytest.approx(50)
    assert beats[-1].completed is False
    assert heartbeat(session=session, position_s=0, now=at(59.9)).completed is False
    beat = heartbeat(session=session, position_s=0, now=at(60))
    assert beat.credited_s == pytest.approx(60)
    assert beat.completed is True


def test_finishing_the_course_adds_its_hours_once_by_lrn4(world, video):
    member = world.members_a[1]
    play(member, video, until=100)
    play(member, video, start=200, until=100)
    credit = StudyCredit.objects.get(member=member)
    assert credit.hours == 0.25  # 100 s < 15 minutes
    assert credit.rule_code == "LRN-4"
    assert credit.status == StudyCredit.Status.APPROVED


def test_a_draft_course_cannot_be_studied(world):
    lesson = make_course(world.a, publish=False).lessons.get()
    with pytest.raises(DomainError):
        session_start(member=world.members_a[1], lesson=lesson, now=at(0))


def test_a_course_of_another_branch_cannot_be_studied(world):
    lesson = make_course(world.b).lessons.get()
    with pytest.raises(DomainError):
        session_start(member=world.members_a[1], lesson=lesson, now=at(0))
