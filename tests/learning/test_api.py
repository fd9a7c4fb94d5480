"""The learning API as issue 12 writes it: courses, publish, sessions, heartbeats (409 on
an ended session), hours and exemptions."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from dangjian.learning.models import Course, StudyCredit, StudySession
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


def post(client, path, body=None):
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


COURSE = {
    "title": "微党课：条例要点",
    "year": 2026,
    "required": True,
    "lessons": [
        {"title": "视频导读", "kind": "video", "duration_s": 20},
        {"title": "图文", "kind": "text", "body": "<p>学习<script>alert(1)</script>要点</p>"},
    ],
}


def create(api_for, world, user="sec_a"):
    resp = post(
        api_for(world.user(user)), "/api/v1/learning/courses", {**COURSE, "org": world.a.pk}
    )
    assert resp.status_code == 201, resp.content
    return resp.json()


def test_create_course_answers_201_with_lesson_ids_and_sanitized_text(world, api_for):
    body = create(api_for, world)
    assert body["status"] == "draft"
    assert [x["kind"] for x in body["lessons"]] == ["video", "text"]
    assert all(isinstance(x["id"], int) for x in body["lessons"])
    assert "<script>" not in body["lessons"][1]["body"]
    assert "学习" in body["lessons"][1]["body"]


def test_create_course_for_another_branch_answers_404(world, api_for):
    resp = post(
        api_for(world.user("sec_a")), "/api/v1/learning/courses", {**COURSE, "org": world.b.pk}
    )
    assert resp.status_code == 404
    assert not Course.objects.exists()


def test_unknown_lesson_kind_answers_422_in_chinese(world, api_for):
    bad = {**COURSE, "org": world.a.pk, "lessons": [{"title": "x", "kind": "hologram"}]}
    resp = post(api_for(world.user("sec_a")), "/api/v1/learning/courses", bad)
    assert resp.status_code == 422
    assert "课时类型无效" in resp.json()["detail"]


def test_publish_records_the_reviewer_and_twice_is_409(world, api_for):
    course = create(api_for, world)
    client = api_for(world.user("sec_a"))
    resp = post(client, f"/api/v1/learning/courses/{course['id']}/publish")
    assert resp.status_code == 200
    assert resp.json()["status"] == "published"
    assert resp.json()["reviewer"]
    assert post(client, f"/api/v1/learning/courses/{course['id']}/publish").status_code == 409


def test_member_studies_through_sessions_and_heartbeats(world, api_for):
    course = create(api_for, world)
    post(api_for(world.user("sec_a")), f"/api/v1/learning/courses/{course['id']}/publish")
    lesson = course["lessons"][0]["id"]
    member = api_for(world.user("member_a"))
    resp = post(member, f"/api/v1/learning/lessons/{lesson}/sessions")
    assert resp.status_code == 201
    token = resp.json()["session"]
    resp = post(
        member, f"/api/v1/learning/lessons/{lesson}/heartbeat", {"session": token, "position_s": 20}
    )
    assert resp.status_code == 200
    body = resp.json()
    assert set(body) >= {"credited_s", "max_position_s", "completed"}
    # no time has passed on the server's clock: only the tolerance, and no completion
    assert body["credited_s"] <= 5
    assert body["completed"] is False


def test_heartbeat_on_an_ended_session_answers_409(world, api_for):
    course = create(api_for, world)
    post(api_for(world.user("sec_a")), f"/api/v1/learning/courses/{course['id']}/publish")
    first, second = (x["id"] for x in course["lessons"])
    member = api_for(world.user("member_a"))
    token = post(member, f"/api/v1/learning/lessons/{first}/sessions").json()["session"]
    post(member, f"/api/v1/learning/lessons/{second}/sessions")  # ends the first
    resp = post(
        member, f"/api/v1/learning/lessons/{first}/heartbeat", {"session": token, "position_s": 1}
    )
    assert resp.status_code == 409
    assert "已结束" in resp.json()["detail"]
    assert StudySession.objects.filter(ended_at__isnull=True).count() == 1


def test_someone_elses_session_token_answers_404(world, api_for):
    course = create(api_for, world)
    post(api_for(world.user("sec_a")), f"/api/v1/learning/courses/{course['id']}/publish")
    lesson = course["lessons"][0]["id"]
    token = post(api_for(world.user("member_a")), f"/api/v1/learning/lessons/{lesson}/sessions")
    resp = post(
        api_for(world.user("peer_a")),
        f"/api/v1/learning/lessons/{lesson}/heartbeat",
        {"session": token.json()["session"], "position_s": 1},
    )
    assert resp.status_code == 404


def test_hours_answer_totals_as_decimal_strings_with_the_requirement(world, api_for):
    member = world.members_a[1]
    for category, hours in (("online", "20.5"), ("org_life", "12")):
        StudyCredit.objects.create(
            member=member,
            year=2026,
            category=category,
            hours=Decimal(hours),
            title="x",
            status="approved",
        )
    resp = api_for(world.user("sec_a")).get(f"/api/v1/learning/hours?member={member.pk}&year=2026")
    assert resp.status_code == 200
    assert resp.json() == {
        "member": member.pk,
        "year": 2026,
        "total": "32.50",
        "required": "32",
        "exempt": False,
        "by_category": {"online": "20.50", "org_life": "12.00"},
        "pending": "0.00",
    }


def test_secretary_requirement_is_56(world, api_for):
    resp = api_for(world.user("sec_a")).get("/api/v1/learning/hours?year=2026")
    assert resp.json()["member"] == world.members_a[0].pk
    assert resp.json()["required"] == "56"


def test_hours_of_a_member_of_another_branch_answers_404(world, api_for):
    resp = api_for(world.user("sec_a")).get(
        f"/api/v1/learning/hours?member={world.members_b[1].pk}"
    )
    assert resp.status_code == 404


def test_exemption_is_recorded_once_and_shows_in_hours(world, api_for):
    client = api_for(world.user("sec_a"))
    member = world.members_a[2]
    body = {"member": member.pk, "year": 2026, "reason": "长期患病"}
    resp = post(client, "/api/v1/learning/exemptions", body)
    assert resp.status_code == 201
    assert resp.json()["reason"] == "长期患病"
    assert post(client, "/api/v1/learning/exemptions", body).status_code == 409
    hours = client.get(f"/api/v1/learning/hours?member={member.pk}&year=2026").json()
    assert hours["exempt"] is True


def test_a_plain_member_cannot_record_an_exemption(world, api_for):
    body = {"member": world.members_a[1].pk, "year": 2026, "reason": "x"}
    resp = post(api_for(world.user("member_a")), "/api/v1/learning/exemptions", body)
    assert resp.status_code == 404


def test_course_list_has_the_list_shape_and_stays_in_reach(world, api_for):
    create(api_for, world)
    from dangjian.learning import services

    services.course_create(actor=SYSTEM, org=world.b, title="别的支部课程", year=2026)
    resp = api_for(world.user("sec_a")).get("/api/v1/learning/courses?page_size=10")
    body = resp.json()
    assert set(body) == {"count", "page", "page_size", "results"}
    assert [r["title"] for r in body["results"]] == [COURSE["title"]]
