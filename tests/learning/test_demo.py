"""The learning demo step: published courses with generated media, and members of the
featured branch who studied the first course, credited by LRN-4."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.core.demo import demo_steps
from dangjian.learning import demo
from dangjian.learning.models import Course, Lesson, StudyCredit, StudySession
from tests.learning.conftest import demo_context

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def built(world):
    ctx = demo_context(world, TODAY)
    demo.build(ctx)
    return world


def test_the_step_is_registered():
    assert ("learning", "build") in [(s.label, s.name) for s in demo_steps()]


def test_demo_courses_are_published_with_real_media(built):
    courses = Course.objects.filter(status="published", year=2026)
    assert courses.count() == 2
    image = Lesson.objects.get(kind="image", course=courses.get(required=True))
    assert image.media_type == "image/png"
    assert image.media.open("rb").read(8) == b"\x89PNG\r\n\x1a\n"
    audio = Lesson.objects.filter(kind="audio").first()
    assert audio.media_type == "audio/wav"
    assert audio.duration_s == 3


def test_demo_members_finished_the_first_course_and_earned_lrn4_hours(built):
    credits = StudyCredit.objects.filter(source_type="learning.course")
    assert credits.count() == 2  # every other of the 4 members of branch A (small build)
    assert {str(c.hours) for c in credits} == {"0.25"}
    assert {c.rule_code for c in credits} == {"LRN-4"}
    assert not StudySession.objects.filter(ended_at__isnull=True).exists()


def test_wav_length_is_read_from_its_header():
    assert demo.wav_seconds(demo.tone_wav(2)) == 2


def test_demo_trainings_give_a_class_with_attendance_and_outside_records(world):
    from dangjian.learning.models import OutsideRecord, TrainingAttendance, TrainingClass

    ctx = demo_context(world, TODAY)
    demo.trainings(ctx)
    assert ("learning", "trainings") in [(s.label, s.name) for s in demo_steps()]
    assert TrainingClass.objects.filter(org=world.a).count() == 2
    rows = TrainingAttendance.objects.filter(training__title__contains="集中培训")
    assert sorted(rows.values_list("status", flat=True)) == [
        "absent",
        "leave",
        "present",
        "present",
    ]
    assert sorted(str(h) for h in rows.values_list("credited_hours", flat=True)) == [
        "0.00",
        "0.00",
        "7.00",
        "8.00",
    ]
    assert sorted(OutsideRecord.objects.values_list("status", flat=True)) == [
        "approved",
        "pending",
    ]
