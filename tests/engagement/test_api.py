"""The consultation and survey API, to the issue's contract: surveys (create, open, respond
once, results with counts only), public consultations without a token, handlers' list and
reply."""

from __future__ import annotations

import json

import pytest

from dangjian.engagement.models import Consultation, SurveyResponse
from tests.engagement.conftest import make_consultation, make_survey

pytestmark = pytest.mark.django_db


def post(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def test_survey_create_open_respond_once_and_results(world, api_for):
    sec = api_for(world.user("sec_a"))
    body = {
        "title": "组织生活满意度",
        "org": world.a.pk,
        "anonymous": True,
        "questions": [{"kind": "single", "text": "总体评价", "options": ["满意", "不满意"]}],
    }
    resp = post(sec, "/api/v1/surveys", body)
    assert resp.status_code == 201, resp.content
    survey_id = resp.json()["id"]
    assert resp.json()["status"] == "draft"
    assert post(sec, f"/api/v1/surveys/{survey_id}/open", {}).status_code == 200
    member = api_for(world.user("member_a"))
    resp = post(member, f"/api/v1/surveys/{survey_id}/responses", {"answers": [[0]]})
    assert resp.status_code == 201, resp.content
    again = post(member, f"/api/v1/surveys/{survey_id}/responses", {"answers": [[1]]})
    assert again.status_code == 409
    results = sec.get(f"/api/v1/surveys/{survey_id}/results").json()
    assert results["responses"] == 1
    assert results["questions"][0]["counts"] == [1, 0]


def test_anonymous_results_name_no_one(world, api_for):
    survey = make_survey(world.a)
    post(
        api_for(world.user("member_a")),
        f"/api/v1/surveys/{survey.pk}/responses",
        {"answers": [[0], [1], ["建议"], [4], [0, 0]]},
    )
    sec = api_for(world.user("sec_a"))
    for url in (f"/api/v1/surveys/{survey.pk}/results", f"/api/v1/surveys/{survey.pk}"):
        text = sec.get(url).content.decode()
        assert "member_a" not in text and "李四" not in text and "respondent" not in text


def test_survey_respond_retry_with_key_is_answered_not_repeated(world, api_for):
    survey = make_survey(world.a, questions=[{"kind": "rating", "text": "满意度"}])
    member = api_for(world.user("member_a"))
    url = f"/api/v1/surveys/{survey.pk}/responses"
    first = post(member, url, {"answers": [[5]]}, HTTP_IDEMPOTENCY_KEY="r-1")
    retry = post(member, url, {"answers": [[5]]}, HTTP_IDEMPOTENCY_KEY="r-1")
    assert first.status_code == retry.status_code == 201
    assert SurveyResponse.objects.count() == 1


def test_bad_answers_are_422_with_a_chinese_message(world, api_for):
    survey = make_survey(world.a)
    member = api_for(world.user("member_a"))
    resp = post(member, f"/api/v1/surveys/{survey.pk}/responses", {"answers": [[7]]})
    assert resp.status_code == 422 and "答案" in resp.json()["detail"]
    for junk in ({"answers": "x"}, {"answers": [{"a": 1}]}, {}):
        assert post(member, f"/api/v1/surveys/{survey.pk}/responses", junk).status_code in (
            400,
            422,
        )


def test_public_consultation_without_token_gets_a_code(world, api_for):
    anon = api_for(None)
    body = {"org": world.a.pk, "question": "入党申请书应当交给谁？", "contact": "13800000000"}
    resp = post(anon, "/api/v1/public/consultations", body)
    assert resp.status_code == 201
    code = resp.json()["code"]
    assert list(resp.json()) == ["code"]
    tracked = anon.get(f"/api/v1/public/consultations/{code.lower()}").json()
    assert tracked["status"] == "open" and tracked["org_name"] == world.a.name
    assert "contact" not in tracked and "13800000000" not in json.dumps(tracked)
    assert anon.get("/api/v1/public/consultations/AAAABBBBCCCC").status_code == 404


def test_public_retry_with_the_same_key_records_once(world, api_for):
    anon = api_for(None)
    body = {"org": world.a.pk, "question": "党费可以线上交纳吗？"}
    a = post(anon, "/api/v1/public/consultations", body, HTTP_IDEMPOTENCY_KEY="abc")
    b = post(anon, "/api/v1/public/consultations", body, HTTP_IDEMPOTENCY_KEY="abc")
    assert a.json()["code"] == b.json()["code"] and Consultation.objects.count() == 1


def test_public_writes_are_rate_limited(world, api_for, settings, fresh_rate_limits):
    settings.PUBLIC_WRITES_PER_MINUTE = 2
    anon = api_for(None)
    body = {"org": world.a.pk, "question": "党费可以线上交纳吗？"}
    codes = [post(anon, "/api/v1/public/consultations", body).status_code for _ in range(3)]
    assert codes[:2] == [201, 201] and codes[2] == 429
    assert Consultation.objects.count() == 2


def test_public_bad_input_is_422_never_500(world, api_for):
    anon = api_for(None)
    for body in (
        {"org": 999999, "question": "问题问题问题"},
        {"question": "问题问题问题"},
        {"org": world.a.pk, "question": ""},
        {"org": "x", "question": 3},
    ):
        assert post(anon, "/api/v1/public/consultations", body).status_code == 422


def test_handlers_list_and_reply(world, api_for):
    item = make_consultation(world.a, actor=None)
    make_consultation(world.b, actor=None)
    sec = api_for(world.user("sec_a"))
    page = sec.get(f"/api/v1/consultations?org={world.a.pk}").json()
    assert page["count"] == 1 and page["results"][0]["id"] == item.pk
    assert set(page) == {"count", "page", "page_size", "results"}
    assert sec.get(f"/api/v1/consultations?org={world.b.pk}").status_code == 404
    resp = post(sec, f"/api/v1/consultations/{item.pk}/reply", {"text": "交给所在党支部"})
    assert resp.status_code == 200 and resp.json()["status"] == "answered"
    assert post(sec, f"/api/v1/consultations/{item.pk}/reply", {"text": "再答"}).status_code == 409
    other = make_consultation(world.b, actor=None)
    assert post(sec, f"/api/v1/consultations/{other.pk}/reply", {"text": "答"}).status_code == 404


def test_public_rating_by_code(world, api_for):
    from dangjian.engagement import services

    item = make_consultation(world.a, actor=None)
    services.consultation_reply(actor=world.user("sec_a"), consultation=item, text="答复")
    anon = api_for(None)
    url = f"/api/v1/public/consultations/{item.code}/rating"
    assert post(anon, url, {"rating": 5}).json()["rating"] == 5
    assert post(anon, url, {"rating": 4}).status_code == 409


def test_survey_draft_replaced_whole_then_409_once_published(world, api_for):
    survey = make_survey(world.a, open_=False)
    sec = api_for(world.user("sec_a"))
    body = {
        "title": "组织生活满意度（修订）",
        "org": world.a.pk,
        "questions": [{"kind": "rating", "text": "满意度"}],
        "satisfaction": True,
    }
    url = f"/api/v1/surveys/{survey.pk}"
    resp = sec.put(url, data=json.dumps(body), content_type="application/json")
    assert resp.status_code == 200, resp.content
    got = resp.json()
    assert got["title"] == body["title"] and [q["kind"] for q in got["questions"]] == ["rating"]
    moved = {**body, "org": world.b.pk}
    resp = sec.put(url, data=json.dumps(moved), content_type="application/json")
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "org"
    assert post(sec, f"{url}/open", {}).status_code == 200
    resp = sec.put(url, data=json.dumps(body), content_type="application/json")
    assert resp.status_code == 409
    other = api_for(world.user("sec_b"))
    assert other.put(url, data=json.dumps(body), content_type="application/json").status_code == 404
