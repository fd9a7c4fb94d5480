"""Courses and lessons through the services: media judged by content, text sanitized,
publishing, LRN-4 credit tiers and the summary's constant number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.errors import Conflict, DomainError
from dangjian.learning import selectors, services
from dangjian.learning.demo import chart_png
from dangjian.learning.models import Course, StudyCredit
from dangjian.learning.policy import study_policy
from tests.factories import SYSTEM, make_member
from tests.learning.conftest import make_course, wav_file

pytestmark = pytest.mark.django_db


def draft(world):
    return make_course(
        world.a, [{"title": "图文", "kind": "text", "body": "<p>x</p>"}], publish=False
    )


def test_audio_lesson_takes_a_wav_judged_by_its_content(world):
    lesson = services.lesson_add(
        actor=SYSTEM,
        course=draft(world),
        title="音频",
        kind="audio",
        duration_s=1,
        media=wav_file(name="renamed.mp4"),
    )
    assert lesson.media_type == "audio/wav"


def test_a_png_named_wav_is_refused_for_an_audio_lesson(world):
    fake = SimpleUploadedFile("tone.wav", chart_png([1, 2, 3]))
    with pytest.raises(DomainError, match="音频须为"):
        services.lesson_add(
            actor=SYSTEM, course=draft(world), title="音频", kind="audio", duration_s=1, media=fake
        )


def test_an_image_lesson_takes_a_png(world):
    png = SimpleUploadedFile("chart.png", chart_png([3, 1, 2]))
    lesson = services.lesson_add(
        actor=SYSTEM, course=draft(world), title="图", kind="image", media=png
    )
    assert lesson.media_type == "image/png"


def test_a_file_over_the_size_limit_is_refused(world, settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(DomainError, match="文件过大"):
        services.lesson_add(
            actor=SYSTEM,
            course=draft(world),
            title="音频",
            kind="audio",
            duration_s=1,
            media=wav_file(),
        )


def test_video_without_a_length_is_refused(world):
    with pytest.raises(DomainError, match="须填写时长"):
        services.lesson_add(actor=SYSTEM, course=draft(world), title="视频", kind="video")


def test_text_is_sanitized(world):
    lesson = services.lesson_add(
        actor=SYSTEM,
        course=draft(world),
        title="图文",
        kind="text",
        body='<p onclick="x()">要点<img src="javascript:alert(1)"></p><script>1</script>',
    )
    assert "onclick" not in lesson.body
    assert "javascript" not in lesson.body
    assert "<script" not in lesson.body
    assert "要点" in lesson.body


def test_publish_needs_a_lesson_and_locks_the_lessons(world):
    empty = services.course_create(actor=SYSTEM, org=world.a, title="空课程", year=2026)
    with pytest.raises(DomainError, match="至少需要一个课时"):
        services.course_publish(actor=SYSTEM, course=empty)
    course = make_course(world.a)
    assert course.status == Course.Status.PUBLISHED
    with pytest.raises(Conflict):
        services.lesson_add(actor=SYSTEM, course=course, title="补充", kind="text")


@pytest.mark.parametrize(
    ("seconds", "hours"),
    [(30 * 60, "1"), (30 * 60 - 1, "0.5"), (15 * 60, "0.5"), (15 * 60 - 1, "0.25"), (60, "0.25")],
)
def test_lrn4_tiers_at_their_bounds(db, seconds, hours):
    assert study_policy().course_hours(seconds) == Decimal(hours)


def test_org_summary_takes_a_constant_number_of_queries(world):
    with CaptureQueriesContext(connection) as few:
        selectors.org_hours(world.w, 2026)
    for i in range(10):
        member = make_member(world.b, f"新党员{i}")
        StudyCredit.objects.create(
            member=member, year=2026, category="online", hours=1, title="x", status="approved"
        )
    with CaptureQueriesContext(connection) as many:
        rows = selectors.org_hours(world.w, 2026)
    assert len(many) == len(few)
    assert len(rows) == 8 + 10


def test_org_summary_lists_people_in_roll_order_never_by_hours(world):
    for member, hours in zip(world.members_a, (1, 40, 5, 20), strict=True):
        StudyCredit.objects.create(
            member=member, year=2026, category="online", hours=hours, title="x", status="approved"
        )
    rows = selectors.org_hours(world.a, 2026)
    assert [r.member.name for r in rows] == sorted(m.name for m in world.members_a)
