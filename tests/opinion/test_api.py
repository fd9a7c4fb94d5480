import pytest

from dangjian.core.models import AuditEntry
from dangjian.opinion.models import KeywordSet, OpinionCase, OpinionItem, OpinionSource
from tests.opinion.conftest import make_case, make_item, make_keywords, make_source

pytestmark = pytest.mark.django_db


def test_committee_staff_add_a_source_and_a_secretary_is_refused(world, api_for):
    body = {"name": "市政府门户", "url": "https://www.example.gov.cn/rss.xml", "org": world.a.pk}
    resp = api_for(world.user("c1_admin")).post(
        "/api/v1/opinion/sources", body, content_type="application/json"
    )
    assert resp.status_code == 201, resp.content
    assert resp.json()["org"] == world.a.pk and resp.json()["name"] == "市政府门户"
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/opinion/sources",
        {**body, "url": body["url"] + "?2"},
        content_type="application/json",
    )
    assert resp.status_code == 403 and "管理员" in resp.json()["detail"]
    assert OpinionSource.objects.count() == 1


def test_a_source_for_an_org_out_of_reach_answers_404(world, api_for):
    body = {"name": "x", "url": "https://x.example.cn/rss", "org": world.d.pk}
    resp = api_for(world.user("c1_admin")).post(
        "/api/v1/opinion/sources", body, content_type="application/json"
    )
    assert resp.status_code == 404


def test_keyword_set_contract(world, api_for):
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/opinion/keyword-sets",
        {"org": world.a.pk, "words": ["预算", "财政"], "exclude": []},
        content_type="application/json",
    )
    assert resp.status_code == 201
    assert resp.json()["words"] == ["预算", "财政"]
    assert KeywordSet.objects.get().org == world.a


def test_bad_keyword_set_is_422_in_chinese(world, api_for):
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/opinion/keyword-sets",
        {"org": world.a.pk, "words": [], "exclude": []},
        content_type="application/json",
    )
    assert resp.status_code == 422 and "关注词" in resp.json()["detail"]


def test_fetch_twice_adds_nothing(world, api_for, feed_server, allow_private):
    make_keywords(world.a)
    source = make_source(world.a, url=feed_server.url)
    api = api_for(world.user("sec_a"))
    first = api.post(f"/api/v1/opinion/sources/{source.pk}/fetch")
    assert first.status_code == 200
    assert first.json() == {"fetched": 3, "new": 3, "matched": 1}
    second = api.post(f"/api/v1/opinion/sources/{source.pk}/fetch")
    assert second.json()["new"] == 0 and second.json()["matched"] == 0
    assert OpinionItem.objects.count() == 3


def test_fetch_refused_without_the_setting_is_422(world, api_for, feed_server):
    source = make_source(world.a, url=feed_server.url)
    resp = api_for(world.user("sec_a")).post(f"/api/v1/opinion/sources/{source.pk}/fetch")
    assert resp.status_code == 422 and "内网" in resp.json()["detail"]


def test_items_filtered_by_org_and_matched(world, api_for, django_assert_max_num_queries):
    make_keywords(world.c1, words=["预算"], exclude=[])
    make_item(world.a, title="预算公开")
    make_item(world.a, title="天气预报", summary="明日有雨")
    make_item(world.b, title="预算执行")
    api = api_for(world.user("c1_admin"))
    with django_assert_max_num_queries(12):
        resp = api.get(f"/api/v1/opinion/items?org={world.a.pk}&matched=true")
    data = resp.json()
    assert data["count"] == 1 and data["page"] == 1 and data["page_size"] == 50
    assert data["results"][0]["title"] == "预算公开"
    assert data["results"][0]["matched_words"] == ["预算"]
    other = api_for(world.user("sec_a")).get(f"/api/v1/opinion/items?org={world.b.pk}")
    assert other.status_code == 404


def test_open_a_case_contract_and_repeat(world, api_for):
    item = make_item(world.a)
    api = api_for(world.user("sec_a"))
    url = f"/api/v1/opinion/items/{item.pk}/case"
    body = {"level": "major", "analysis": "涉及预算公开"}
    resp = api.post(url, body, content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert resp.status_code == 201 and resp.json()["level"] == "major"
    again = api.post(url, body, content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert again.status_code == 201 and again.json()["id"] == resp.json()["id"]
    plain = api.post(url, body, content_type="application/json")
    assert plain.status_code == 409
    assert OpinionCase.objects.count() == 1


@pytest.mark.parametrize("body", [{"level": "huge", "analysis": "x"}, {"level": "general"}, []])
def test_bad_case_bodies_are_refused(world, api_for, body):
    item = make_item(world.a)
    resp = api_for(world.user("sec_a")).post(
        f"/api/v1/opinion/items/{item.pk}/case", body, content_type="application/json"
    )
    assert resp.status_code in (400, 422)
    assert not OpinionCase.objects.exists()


def test_answer_and_close(world, api_for):
    case = make_case(make_item(world.a))
    api = api_for(world.user("sec_a"))
    before = AuditEntry.objects.count()
    r = api.post(
        f"/api/v1/opinion/cases/{case.pk}/answer",
        {"answer": "已回应"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "answered"
    r = api.post(
        f"/api/v1/opinion/cases/{case.pk}/close",
        {"closure": "办结"},
        content_type="application/json",
    )
    assert r.json()["status"] == "closed"
    assert AuditEntry.objects.count() == before + 2


def test_manual_item_through_the_api(world, api_for):
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/opinion/items",
        {"org": world.a.pk, "channel": "12345 热线", "title": "反映窗口排队时间长"},
        content_type="application/json",
    )
    assert resp.status_code == 201 and resp.json()["source"] is None
