"""法规问答 (issue 17, part 4): the questions a secretary asks find the rules that apply, in
the top three, over the real standards library (loaded by the migrations)."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.core.errors import DomainError
from dangjian.standards.ask import sources
from dangjian.standards.ask.answers import ask, clean_question
from dangjian.standards.ask.index import get_index
from dangjian.standards.ask.text import analyzer
from dangjian.standards.services import rule_update
from tests.ask.questions import QUESTIONS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("question", "rule"), QUESTIONS)
def test_question_finds_its_rule_in_the_top_three(question, rule):
    top = [a.entry.rule for a in ask(question).answers[:3]]
    assert rule in top, f"{question} → {top}"


def test_issue_questions_rank_their_rule_first():
    for question, rule in QUESTIONS[:3]:
        assert ask(question).answers[0].entry.rule == rule


def test_synonyms_read_as_one_word():
    words = analyzer().words
    assert "支委会" in words("党支部委员会会议一般每月召开1次")
    assert "支委会" in words("支委会多久开一次")
    assert "党费" in words("交纳党费") and "退休" in words("离退休党员")


def test_answer_carries_article_text_and_current_params():
    answer = ask("支委会多久开一次").answers[0]
    assert answer.rule.code == "MTG-3" and answer.standard.short_name == "支部条例"
    assert answer.article.number == "第十二条" and "每月召开1次" in answer.article.text
    labels = {p["name"]: p["text"] for p in answer.params}
    assert labels["min"] == "1 次" and answer.checked


def test_a_new_rule_version_rebuilds_the_index(world):
    before = get_index()
    rule_update(
        actor=world.user("admin"),
        code="MTG-3",
        effective_from=dt.date(2026, 1, 1),
        change_reason="本系统支委会改为每月两次",
        params={"kind": "board_meeting", "period": "month", "min": 2},
    )
    answer = ask("支委会多久开一次").answers[0]
    assert get_index() is not before
    assert answer.rule.version == 2
    assert {p["name"]: p["text"] for p in answer.params}["min"] == "2 次"


def test_index_is_built_once_while_the_library_is_unchanged():
    first = get_index()
    ask("党费怎么交")
    assert get_index() is first


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", None])
def test_empty_question_is_refused_with_a_message(text):
    with pytest.raises(DomainError, match="请输入要查询的问题"):
        clean_question(text)


def test_overlong_question_is_refused_with_a_message(settings):
    with pytest.raises(DomainError, match="问题过长（201 字）"):
        ask("党" * 201)


@pytest.mark.parametrize("text", ["!!!???", "的了吗", "ＡＢＣ＠＃", "zzqqxx", "🙂🙂"])
def test_garbage_gives_no_answers_and_a_message(text):
    result = ask(text)
    assert result.answers == [] and result.message


def test_faq_source_is_searched(faq):
    answers = ask("党员证明怎么开具").answers
    assert answers[0].kind == "faq"
    assert answers[0].entry.faq.answer.startswith("向所在党支部申请")
    assert answers[0].url == "/public/faq/1/"


def test_faq_link_to_another_site_is_dropped(faq):
    hit = next(a for a in ask("外链不被信任").answers if a.kind == "faq")
    assert hit.url == ""


def test_failing_faq_source_does_not_fail_the_question():
    def broken():
        raise RuntimeError("down")

    sources.register_source("broken", broken)
    try:
        assert ask("支委会多久开一次").answers[0].entry.rule == "MTG-3"
    finally:
        sources.unregister_source("broken")


def test_secretary_sees_her_branch_standing_on_a_checked_rule(world):
    answer = next(
        a for a in ask("党员大会多久开一次", user=world.user("sec_a")).answers if a.checked
    )
    assert answer.standing is not None and answer.standing.org == world.a
    assert sum(n for _, _, n in answer.standing.counts) > 0
    assert all(f.org_id == world.a.pk for f in answer.standing.own)


def test_plain_member_sees_no_standing(world):
    answers = ask("党员大会多久开一次", user=world.user("member_a")).answers
    assert answers and all(a.standing is None for a in answers)


def test_rule_without_checker_has_no_standing(world):
    answer = ask("预备党员可以当入党介绍人吗", user=world.user("sec_a")).answers[0]
    assert answer.rule.code == "DEV-9" and not answer.checked and answer.standing is None


def test_standing_reads_the_kept_findings_once_evaluated(world):
    from dangjian.standards import kept
    from dangjian.standards.models import KeptFinding

    kept.refresh(world.a)
    rows = KeptFinding.objects.filter(rule_code="MTG-1", org=world.a)
    answer = next(
        a for a in ask("党员大会多久开一次", user=world.user("sec_a")).answers if a.checked
    )
    standing = answer.standing
    assert standing.evaluated_at is not None
    assert sum(n for _, _, n in standing.counts) == rows.count() > 0
    assert {f.period for f in standing.own} <= set(rows.values_list("period", flat=True))
