"""法规问答 pages: /standards/ask/ (PC) and /standards/m/ask/ (phone), the top bar's search
and the command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db
PC = "/standards/ask/"
PHONE = "/standards/m/ask/"


def test_pc_page_shows_rule_article_params_and_standing(world, client_for):
    r = client_for(world.user("sec_a")).get(PC, {"q": "党员大会多久开一次"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "支部党员大会一般每季度召开1次" in html and "第十一条" in html
    assert "现行参数" in html and f"{world.a.name} " in html and "年执行情况" in html
    assert "board_meeting" not in html and "general_meeting" not in html


def test_phone_page_in_the_member_shell(world, client_for):
    r = client_for(world.user("member_a")).get(PHONE, {"q": "退休党员党费怎么交"})
    html = r.content.decode()
    assert r.status_code == 200 and "dj-tabbar" in html
    assert "离退休党员按月基本退休费交纳" in html and "年执行情况" not in html


@pytest.mark.parametrize("url", [PC, PHONE])
def test_without_a_question_the_page_offers_examples(world, client_for, url):
    html = client_for(world.user("member_a")).get(url).content.decode()
    assert "支委会多久开一次" in html and "invalid-feedback" not in html


@pytest.mark.parametrize("url", [PC, PHONE])
def test_empty_and_overlong_questions_say_what_to_do(world, client_for, url):
    c = client_for(world.user("sec_a"))
    assert "请输入要查询的问题" in c.get(url, {"q": " "}).content.decode()
    r = c.get(url, {"q": "党" * 500})
    assert r.status_code == 200 and "问题过长（500 字）" in r.content.decode()


def test_garbage_says_nothing_was_found(world, client_for):
    html = client_for(world.user("sec_a")).get(PC, {"q": "？？？"}).content.decode()
    assert "没能从问题中识别出关键词" in html


def test_page_queries_do_not_grow_with_the_answers(world, client_for):
    c = client_for(world.user("member_a"))
    c.get(PC, {"q": "党费"})
    counts = []
    for more in ("0", "1"):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(PC, {"q": "党费", "more": more}).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1] and counts[1] <= 15, counts


def test_standing_is_read_in_a_bounded_number_of_queries(world, client_for):
    # The standing evaluates only the answered checked rules for the org's subtree (the
    # kept findings are not fresh in a test): a few queries per checker, none per answer.
    c = client_for(world.user("sec_a"))
    c.get(PC, {"q": "党费"})
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(PC, {"q": "党费", "more": "1"}).status_code == 200
    assert len(ctx) <= 40, len(ctx)


def test_top_bar_search_links_to_ask(world, client_for):
    r = client_for(world.user("sec_a")).get("/search/", {"q": "支委会多久开一次"})
    html = r.content.decode()
    assert "/standards/ask/?q=" in html and "/standards/rules/MTG-3/" in html


def test_top_bar_search_for_an_org_name_shows_no_rules(world, client_for):
    r = client_for(world.user("sec_a")).get("/search/", {"q": "预算处党支部"})
    html = r.content.decode()
    assert "/standards/ask/?q=" not in html and "/standards/rules/" not in html


def test_library_has_the_ask_box(world, client_for):
    html = client_for(world.user("member_a")).get("/standards/").content.decode()
    assert 'action="/standards/ask/"' in html


def test_anonymous_goes_to_login(client):
    r = client.get(PC, {"q": "党费"})
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_command_answers_a_question():
    out = StringIO()
    call_command("standards", "ask", "支委会多久开一次", stdout=out)
    text = out.getvalue()
    assert text.startswith("1. MTG-3 支部委员会会议一般每月召开1次") and "现行参数" in text


def test_command_refuses_an_empty_question():
    with pytest.raises(CommandError, match="请输入要查询的问题"):
        call_command("standards", "ask", stdout=StringIO())
