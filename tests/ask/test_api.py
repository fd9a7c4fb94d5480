"""GET /api/v1/standards/ask?q=… — the contract of issue 17, part 6."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db
URL = "/api/v1/standards/ask"


def test_answers_in_the_contract_best_first(world, api_for):
    r = api_for(world.user("sec_a")).get(URL, {"q": "支委会多久开一次"})
    assert r.status_code == 200, r.content
    answers = r.json()["answers"]
    assert answers, r.json()
    for a in answers:
        assert {"rule", "standard", "article", "title", "score"} <= set(a)
        assert isinstance(a["score"], float)
    first = answers[0]
    assert (first["rule"], first["standard"], first["article"]) == ("MTG-3", "branch", "第十二条")
    assert first["title"] == "支部委员会会议一般每月召开1次"
    scores = [a["score"] for a in answers]
    assert scores == sorted(scores, reverse=True)


def test_issue_questions_over_the_api(world, api_for):
    c = api_for(world.user("member_a"))
    for q, rule in [("预备党员可以当入党介绍人吗", "DEV-9"), ("退休党员党费怎么交", "DUE-3")]:
        assert c.get(URL, {"q": q}).json()["answers"][0]["rule"] == rule


def test_checked_rule_carries_params_and_the_askers_standing(world, api_for):
    r = api_for(world.user("sec_a")).get(URL, {"q": "党员大会多久开一次"})
    body = r.json()
    assert body["org"] == world.a.pk
    hit = next(a for a in body["answers"] if a["rule"] == "MTG-1")
    assert hit["checked"] and {p["name"]: p["text"] for p in hit["params"]}["min"] == "1 次"
    assert hit["standing"]["org"] == world.a.pk
    assert all(isinstance(n, int) for n in hit["standing"]["counts"].values())
    assert hit["article"] == "第十一条" and "每季度召开1次" in hit["article_text"]


def test_org_in_reach_shows_its_standing(world, api_for):
    body = api_for(world.user("c1_admin")).get(URL, {"q": "党员大会", "org": world.a.pk}).json()
    assert body["org"] == world.a.pk


def test_org_outside_reach_is_404(world, api_for):
    r = api_for(world.user("sec_a")).get(URL, {"q": "党员大会", "org": world.b.pk})
    assert r.status_code == 404


@pytest.mark.parametrize("q", ["", "   "])
def test_empty_question_is_422_with_a_chinese_message(world, api_for, q):
    r = api_for(world.user("sec_a")).get(URL, {"q": q})
    assert r.status_code == 422
    assert "请输入要查询的问题" in r.json()["detail"]
    assert r.json()["errors"][0]["field"] == "q"


def test_missing_question_is_422(world, api_for):
    r = api_for(world.user("sec_a")).get(URL)
    assert r.status_code == 422 and "请输入" in r.json()["detail"]


def test_overlong_question_is_422(world, api_for):
    r = api_for(world.user("sec_a")).get(URL, {"q": "支委会" * 100})
    assert r.status_code == 422 and "问题过长" in r.json()["detail"]


@pytest.mark.parametrize("q", ["!!!", "的吗", "<script>alert(1)</script>", "' OR 1=1 --"])
def test_garbage_is_200_with_no_answers_and_a_message(world, api_for, q):
    r = api_for(world.user("sec_a")).get(URL, {"q": q})
    assert r.status_code == 200
    assert r.json()["answers"] == [] and r.json()["message"]


@pytest.mark.parametrize("limit", ["0", "21", "x"])
def test_bad_limit_is_422(world, api_for, limit):
    r = api_for(world.user("sec_a")).get(URL, {"q": "党费", "limit": limit})
    assert r.status_code == 422


def test_limit_caps_the_answers(world, api_for):
    r = api_for(world.user("member_a")).get(URL, {"q": "党费", "limit": 2})
    assert len(r.json()["answers"]) == 2


def test_faq_answer_over_the_api(world, api_for, faq):
    a = api_for(world.user("member_a")).get(URL, {"q": "党员证明怎么开具"}).json()["answers"][0]
    assert a["kind"] == "faq" and a["rule"] is None and a["standard"] is None
    assert a["answer"].startswith("向所在党支部申请") and a["url"] == "/public/faq/1/"


def test_anonymous_is_401(client):
    assert client.get(URL, {"q": "党费"}).status_code == 401


def test_queries_do_not_grow_with_the_answers(world, api_for):
    c = api_for(world.user("member_a"))
    c.get(URL, {"q": "党费"})  # builds the index
    counts = []
    for limit in (2, 20):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(URL, {"q": "党费", "limit": limit}).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1] and counts[1] <= 12, counts
