import pytest
from django.urls import reverse

from dangjian.opinion import services
from dangjian.opinion.models import KeywordSet, OpinionCase, OpinionSource
from tests.factories import SYSTEM
from tests.opinion.conftest import make_case, make_item, make_keywords, make_source

pytestmark = pytest.mark.django_db


def test_the_queue_highlights_matched_words_escaped(world, client_for):
    make_keywords(world.a, words=["预算"], exclude=[])
    services.item_create(
        actor=SYSTEM,
        org=world.a,
        channel="微信群",
        title="<script>alert(1)</script>预算公开",
        summary="",
    )
    body = client_for(world.user("sec_a")).get(reverse("opinion:items")).content.decode()
    assert '<mark class="dj-hit">预算</mark>' in body
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body


def test_the_queue_reads_a_constant_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    make_keywords(world.a, words=["预算"], exclude=[])
    for i in range(6):
        make_item(world.a, title=f"预算问题{i}", summary=f"第{i}条")
    client = client_for(world.user("sec_a"))
    client.get(reverse("opinion:items"))
    with django_assert_max_num_queries(14):
        resp = client.get(reverse("opinion:items") + "?matched=1&sort=negative")
    assert resp.content.decode().count('<td data-label="信息">') == 6


def test_cases_list_reads_a_constant_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    for i in range(5):
        make_case(make_item(world.a, title=f"问题{i}", summary=""))
    client = client_for(world.user("sec_a"))
    client.get(reverse("opinion:cases"))
    with django_assert_max_num_queries(14):
        resp = client.get(reverse("opinion:cases") + "?sort=level")
    assert resp.status_code == 200 and "一般" in resp.content.decode()


def test_open_a_case_from_the_item_page(world, client_for):
    item = make_item(world.a)
    client = client_for(world.user("sec_a"))
    resp = client.post(
        reverse("opinion:item", args=[item.pk]), {"level": "critical", "analysis": "重大"}
    )
    case = OpinionCase.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("opinion:case", args=[case.pk])
    page = client.get(resp["Location"]).content.decode()
    assert "重大" in page and "登记回应" in page


def test_a_case_form_without_analysis_keeps_the_input(world, client_for):
    item = make_item(world.a)
    resp = client_for(world.user("sec_a")).post(
        reverse("opinion:item", args=[item.pk]), {"level": "major", "responder": "张三"}
    )
    assert resp.status_code == 200 and "张三" in resp.content.decode()
    assert not OpinionCase.objects.exists()


def test_answer_then_close_on_the_case_page(world, client_for):
    case = make_case(make_item(world.a))
    client = client_for(world.user("sec_a"))
    client.post(reverse("opinion:case_answer", args=[case.pk]), {"answer-answer": "已回应"})
    client.post(reverse("opinion:case_close", args=[case.pk]), {"close-closure": "已平息"})
    case.refresh_from_db()
    assert case.status == OpinionCase.Status.CLOSED


def test_only_admins_see_the_source_form(world, client_for):
    assert (
        "添加来源"
        not in client_for(world.user("sec_a")).get(reverse("opinion:sources")).content.decode()
    )
    client = client_for(world.user("c1_admin"))
    assert "添加来源" in client.get(reverse("opinion:sources")).content.decode()
    resp = client.post(
        reverse("opinion:sources"),
        {"org": world.a.pk, "name": "门户", "url": "https://www.example.gov.cn/rss"},
    )
    assert resp.status_code == 302 and OpinionSource.objects.count() == 1


def test_a_bad_source_url_is_shown_next_to_its_field(world, client_for):
    resp = client_for(world.user("c1_admin")).post(
        reverse("opinion:sources"), {"org": world.a.pk, "name": "门户", "url": "ftp://x"}
    )
    assert resp.status_code == 200 and "http://" in resp.content.decode()


def test_fetch_from_the_sources_page_reports_the_refusal(world, client_for, feed_server):
    source = make_source(world.a, url=feed_server.url)
    client = client_for(world.user("sec_a"))
    resp = client.post(reverse("opinion:source_fetch", args=[source.pk]), follow=True)
    assert "内网或本机" in resp.content.decode()


def test_keyword_sets_page_creates_and_edits(world, client_for):
    client = client_for(world.user("sec_a"))
    resp = client.post(
        reverse("opinion:keyword_sets"),
        {"org": world.a.pk, "words": "预算，财政", "synonyms": "预算=预决算", "exclude": "招聘"},
    )
    assert resp.status_code == 302
    kset = KeywordSet.objects.get()
    assert kset.words == ["预算", "财政"] and kset.synonyms == {"预算": ["预决算"]}
    resp = client.post(
        reverse("opinion:keyword_set", args=[kset.pk]),
        {"words": "收费", "exclude": "", "synonyms": "", "active": "on"},
    )
    kset.refresh_from_db()
    assert kset.words == ["收费"] and kset.exclude == []


def test_the_top_bar_search_finds_items_in_reach_only(world, client_for):
    make_item(world.a, title="窗口排队问题甲", summary="")
    make_item(world.b, title="窗口排队问题乙", summary="")
    body = client_for(world.user("sec_a")).get("/search/?q=窗口排队").content.decode()
    assert "窗口排队问题甲" in body and "窗口排队问题乙" not in body
