"""The learning pages: staff course list and editing, the file with range requests, the
hours page, and the member's phone pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.learning.models import Course, Lesson, StudyCredit
from tests.learning.conftest import make_course, wav_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def audio(world):
    lessons = [{"title": "音频", "kind": "audio", "duration_s": 1, "media": wav_file()}]
    return make_course(world.a, lessons).lessons.get()


def test_staff_creates_a_course_adds_a_lesson_and_publishes(world, client_for):
    client = client_for(world.user("sec_a"))
    resp = client.post(
        reverse("learning:course_new"),
        {"title": "微课堂", "org": world.a.pk, "year": 2026, "summary": ""},
    )
    course = Course.objects.get()
    assert resp.status_code == 302
    resp = client.post(
        reverse("learning:course", args=[course.pk]),
        {"title": "音频导读", "kind": "audio", "duration_s": 1, "media": wav_file()},
    )
    assert resp.status_code == 302
    assert Lesson.objects.get().media_type == "audio/wav"
    client.post(reverse("learning:course_publish", args=[course.pk]))
    course.refresh_from_db()
    assert course.status == "published"
    assert course.reviewer == world.user("sec_a")


def test_a_wrong_file_shows_the_reason_on_the_form(world, client_for):
    course = make_course(world.a, publish=False)
    resp = client_for(world.user("sec_a")).post(
        reverse("learning:course", args=[course.pk]),
        {
            "title": "音频",
            "kind": "audio",
            "duration_s": 1,
            "media": SimpleUploadedFile("x.wav", b"not audio at all"),
        },
    )
    assert resp.status_code == 200
    assert "音频须为" in resp.content.decode()


def test_course_list_searches_and_hides_other_branches(world, client_for):
    make_course(world.a, title="条例学习")
    make_course(world.a, title="主题党日")
    make_course(world.b, title="别的支部")
    html = client_for(world.user("sec_a")).get(reverse("learning:courses"), {"q": "条例"})
    text = html.content.decode()
    assert "条例学习" in text
    assert "主题党日" not in text
    assert "别的支部" not in text


def test_media_answers_a_range_with_206(world, client_for, audio):
    client = client_for(world.user("member_a"))
    url = reverse("learning:media", args=[audio.pk])
    size = audio.media.size
    resp = client.get(url, HTTP_RANGE="bytes=0-9")
    assert resp.status_code == 206
    assert resp["Content-Range"] == f"bytes 0-9/{size}"
    assert b"".join(resp.streaming_content) == audio.media.open("rb").read()[:10]
    resp = client.get(url, HTTP_RANGE="bytes=-4")
    assert resp.status_code == 206
    assert resp["Content-Length"] == "4"
    whole = client.get(url)
    assert whole.status_code == 200
    assert whole["Accept-Ranges"] == "bytes"


def test_media_range_past_the_end_answers_416(world, client_for, audio):
    resp = client_for(world.user("member_a")).get(
        reverse("learning:media", args=[audio.pk]), HTTP_RANGE=f"bytes={10**9}-"
    )
    assert resp.status_code == 416
    assert resp["Content-Range"] == f"bytes */{audio.media.size}"


def test_media_of_another_branch_is_404(world, client_for):
    lessons = [{"title": "音频", "kind": "audio", "duration_s": 1, "media": wav_file()}]
    other = make_course(world.b, lessons).lessons.get()
    resp = client_for(world.user("member_a")).get(reverse("learning:media", args=[other.pk]))
    assert resp.status_code == 404


def test_member_sees_courses_of_the_branch_and_above_not_drafts(world, client_for):
    make_course(world.c1, title="党委课程")
    make_course(world.a, title="支部课程")
    make_course(world.a, title="草稿课程", publish=False)
    make_course(world.b, title="别的支部")
    text = client_for(world.user("member_a")).get(reverse("learning:my_courses")).content.decode()
    assert "党委课程" in text and "支部课程" in text
    assert "草稿课程" not in text and "别的支部" not in text


def test_study_page_loads_the_player_script_without_inline_script(world, client_for, audio):
    html = client_for(world.user("member_a")).get(reverse("learning:study", args=[audio.pk]))
    text = html.content.decode()
    assert html.status_code == 200
    assert "learning-player.js" in text
    assert f'data-study-lesson="{audio.pk}"' in text
    assert "<script>" not in text


def test_my_hours_shows_hours_against_the_requirement(world, client_for):
    StudyCredit.objects.create(
        member=world.members_a[1],
        year=2026,
        category="online",
        hours="12.5",
        title="网络课程：x",
        status="approved",
        rule_code="LRN-4",
    )
    text = client_for(world.user("member_a")).get(reverse("learning:my_hours")).content.decode()
    assert "12.50" in text
    assert "还差 19.50 学时" in text
    assert "依据 LRN-4" in text


def test_hours_page_shows_who_is_short_and_records_an_exemption(world, client_for):
    client = client_for(world.user("sec_a"))
    url = reverse("learning:hours")
    text = client.get(url, {"org": world.a.pk, "year": 2026}).content.decode()
    assert "4 人尚未达到年度学时要求" in text
    assert "不做排名" in text
    resp = client.post(
        f"{url}?org={world.a.pk}&year=2026",
        {"org": world.a.pk, "member": world.members_a[2].pk, "reason": "年老体弱"},
    )
    assert resp.status_code == 302
    text = client.get(url, {"org": world.a.pk, "year": 2026}).content.decode()
    assert "不作硬性要求（年老体弱）" in text


def test_hours_page_for_another_branch_is_404(world, client_for):
    resp = client_for(world.user("sec_a")).get(reverse("learning:hours"), {"org": world.b.pk})
    assert resp.status_code == 404
