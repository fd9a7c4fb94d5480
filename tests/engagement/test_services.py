"""Consultation and survey services: routing, deadline, reply, rating, FAQ consent; survey
questions, one answer per person or token, anonymity, results."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.models import AuditEntry
from dangjian.engagement import services
from dangjian.engagement.models import (
    Consultation,
    SurveyResponse,
    SurveyToken,
    SurveyVoter,
    Topic,
)
from tests.engagement.conftest import ANSWERS, make_consultation, make_survey
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


# ---- consultations -----------------------------------------------------------------------


def test_public_question_gets_an_unguessable_code_and_the_rule_deadline(world):
    c = make_consultation(world.a, actor=None, contact="13800000000")
    assert len(c.code) == 12 and c.code.isalnum() and c.code.isupper()
    assert c.channel == Consultation.Channel.PUBLIC and c.asker is None
    assert c.due_on == timezone.localdate() + dt.timedelta(days=5)  # ENG-1 reply_days
    other = make_consultation(world.a, actor=None)
    assert other.code != c.code


def test_reply_days_come_from_the_rule(world):
    from dangjian.standards.models import Rule

    rule = Rule.objects.filter(code="ENG-1").order_by("-version").first()
    rule.params = {**rule.params, "reply_days": 10}
    rule.save()
    c = make_consultation(world.a)
    assert c.due_on == timezone.localdate() + dt.timedelta(days=10)


def test_topic_routes_the_question_to_its_org(world):
    topic = services.topic_create(actor=SYSTEM, org=world.c1, name="党费交纳")
    c = make_consultation(None, topic=topic)
    assert c.org == world.c1 and c.topic == topic


def test_no_org_and_no_topic_is_refused(world):
    with pytest.raises(DomainError) as e:
        make_consultation(None)
    assert e.value.field == "org"


def test_too_short_question_is_refused(world):
    with pytest.raises(DomainError):
        make_consultation(world.a, question="问")


def test_member_question_is_theirs(world):
    user = world.user("member_a")
    c = make_consultation(world.a, actor=user, kind="suggestion")
    assert c.asker == user and c.channel == Consultation.Channel.MEMBER
    assert list(Consultation.objects.visible_to(user)) == [c]
    assert not Consultation.objects.visible_to(world.user("peer_a")).exists()
    assert not Consultation.objects.visible_to(world.user("sec_b")).exists()
    assert Consultation.objects.visible_to(world.user("sec_a")).get() == c


def test_the_member_asker_is_told_of_the_reply(world):
    from dangjian.core.models import Notification

    user = world.user("member_a")
    c = make_consultation(world.a, actor=user)
    services.consultation_reply(actor=world.user("sec_a"), consultation=c, text="已答复内容")
    note = Notification.objects.get(user=user)
    assert "已答复" in note.title and note.link.endswith(f"/engagement/consultations/{c.pk}/")


def test_a_retried_ask_with_the_same_key_records_once(world):
    first = make_consultation(world.a, actor=None, client_key="k-1")
    again = make_consultation(world.a, actor=None, client_key="k-1")
    assert first.pk == again.pk and Consultation.objects.count() == 1


def test_reply_then_rate_once(world):
    c = make_consultation(world.a, actor=None)
    with pytest.raises(Conflict):
        services.consultation_rate(actor=None, consultation=c, rating=5)
    c = services.consultation_reply(actor=world.user("sec_a"), consultation=c, text="请见发展细则")
    assert c.status == Consultation.Status.ANSWERED and c.replied_by == world.user("sec_a")
    with pytest.raises(Conflict):
        services.consultation_reply(actor=world.user("sec_a"), consultation=c, text="再答")
    with pytest.raises(DomainError):
        services.consultation_rate(actor=None, consultation=c, rating=6)
    c = services.consultation_rate(actor=None, consultation=c, rating=4, note="很及时")
    assert c.rating == 4
    with pytest.raises(Conflict):
        services.consultation_rate(actor=None, consultation=c, rating=5)
    verbs = list(AuditEntry.objects.filter(object_id=str(c.pk)).values_list("verb", flat=True))
    assert any("答复" in v for v in verbs) and any("4 星" in v for v in verbs)


def test_faq_needs_the_askers_consent(world):
    c = make_consultation(world.a, actor=None)
    services.consultation_reply(actor=SYSTEM, consultation=c, text="答复内容")
    with pytest.raises(DomainError):
        services.consultation_faq(actor=SYSTEM, consultation=c)
    ok = make_consultation(world.a, actor=None, faq_consent=True)
    with pytest.raises(Conflict):  # not answered yet
        services.consultation_faq(actor=SYSTEM, consultation=ok)
    services.consultation_reply(actor=SYSTEM, consultation=ok, text="答复内容")
    services.consultation_faq(actor=SYSTEM, consultation=ok)
    assert list(Consultation.objects.faq()) == [ok]

    from dangjian.engagement.selectors import published_faq

    (row,) = published_faq()
    assert row == {
        "id": ok.pk,
        "question": ok.question,
        "answer": "答复内容",
        "url": f"/public/engagement/faq/#faq-{ok.pk}",
    }


def test_duplicate_topic_is_refused(world):
    services.topic_create(actor=SYSTEM, org=world.a, name="组织关系转接")
    with pytest.raises(DomainError):
        services.topic_create(actor=SYSTEM, org=world.b, name="组织关系转接")
    assert Topic.objects.count() == 1


# ---- surveys -----------------------------------------------------------------------------


def test_survey_questions_are_checked(world):
    with pytest.raises(DomainError) as e:
        make_survey(
            world.a, questions=[{"kind": "single", "text": "只有一个选项", "options": ["是"]}]
        )
    assert e.value.field == "questions.0.options"
    with pytest.raises(DomainError):
        make_survey(world.a, questions=[{"kind": "essay", "text": "题"}])
    with pytest.raises(DomainError):
        make_survey(world.a, questions=[])
    with pytest.raises(DomainError):  # satisfaction needs a rating question
        make_survey(world.a, satisfaction=True, questions=[{"kind": "text", "text": "建议"}])


def test_member_answers_once(world):
    survey = make_survey(world.a)
    user = world.user("member_a")
    services.survey_respond(actor=user, survey=survey, answers=ANSWERS)
    with pytest.raises(Conflict):
        services.survey_respond(actor=user, survey=survey, answers=ANSWERS)
    assert SurveyResponse.objects.count() == 1 and SurveyVoter.objects.count() == 1


def test_outside_the_audience_cannot_answer(world):
    survey = make_survey(world.a)
    with pytest.raises(Forbidden):
        services.survey_respond(actor=world.user("sec_b"), survey=survey, answers=ANSWERS)


def test_answers_are_checked_against_the_questions(world):
    survey = make_survey(world.a)
    user = world.user("member_a")
    for bad in (
        [[0]],
        [[9], [0], [], [5], [0, 1]],
        [[0], [0, 0], [], [5], [0, 1]],
        [[0], [0], [], [6], [0, 1]],
        [[0], [0], [], [5], [0]],
        "x",
        [[0], [0], [], [True], [0, 1]],
        [[0], [0], [3], [5], [0, 1]],
    ):
        with pytest.raises(DomainError):
            services.survey_respond(actor=user, survey=survey, answers=bad)
    assert not SurveyVoter.objects.exists()  # nothing half-recorded


def test_draft_and_closed_surveys_take_no_answers(world):
    survey = make_survey(world.a, open_=False)
    with pytest.raises(Conflict):
        services.survey_respond(actor=world.user("member_a"), survey=survey, answers=ANSWERS)
    services.survey_open(actor=SYSTEM, survey=survey)
    services.survey_close(actor=SYSTEM, survey=survey)
    with pytest.raises(Conflict):
        services.survey_respond(actor=world.user("member_a"), survey=survey, answers=ANSWERS)
    with pytest.raises(Conflict):
        services.survey_open(actor=SYSTEM, survey=survey)


def test_public_survey_takes_each_token_once(world):
    survey = make_survey(world.a, audience="public")
    tokens = services.survey_tokens_issue(actor=SYSTEM, survey=survey, count=3)
    assert not SurveyToken.objects.filter(digest__in=tokens).exists()  # only digests kept
    services.survey_respond(actor=None, survey=survey, answers=ANSWERS, token=tokens[0])
    with pytest.raises(Conflict):
        services.survey_respond(actor=None, survey=survey, answers=ANSWERS, token=tokens[0])
    with pytest.raises(DomainError):
        services.survey_respond(actor=None, survey=survey, answers=ANSWERS, token="guess")
    assert SurveyResponse.objects.count() == 1


def test_nothing_links_an_anonymous_response_to_a_person(world):
    """No column of a response names a person, a time or a token; the roll and the tokens
    have no column pointing at a response; the response key is random."""
    survey = make_survey(world.a, anonymous=True)
    user = world.user("member_a")
    services.survey_respond(actor=user, survey=survey, answers=ANSWERS)
    response = SurveyResponse.objects.get()
    assert response.respondent_id is None
    columns = {f.column for f in SurveyResponse._meta.concrete_fields}
    assert columns == {"id", "survey_id", "answers", "respondent_id"}
    for model in (SurveyVoter, SurveyToken):
        related = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
        assert SurveyResponse not in related
    assert not any(
        f.related_model in (SurveyVoter, SurveyToken)
        for f in SurveyResponse._meta.concrete_fields
        if f.is_relation
    )
    with connection.cursor() as cur:
        cur.execute("SELECT respondent_id FROM engagement_surveyresponse")
        assert cur.fetchall() == [(None,)]
    entry = AuditEntry.objects.filter(verb="参加调查").get()
    assert entry.object_id == str(survey.pk) and not entry.changes  # who took part, not what


def test_named_survey_records_the_respondent(world):
    survey = make_survey(world.a, anonymous=False)
    services.survey_respond(actor=world.user("member_a"), survey=survey, answers=ANSWERS)
    assert SurveyResponse.objects.get().respondent == world.user("member_a")


def test_results_count_every_kind(world):
    survey = make_survey(world.a)
    services.survey_respond(actor=world.user("member_a"), survey=survey, answers=ANSWERS)
    services.survey_respond(
        actor=world.user("peer_a"), survey=survey, answers=[[1], [2], [], [3], [0, 0]]
    )
    r = services.survey_results(survey)
    assert r["responses"] == 2
    single, multiple, text, rating, matrix = r["questions"]
    assert single["counts"] == [1, 1, 0]
    assert multiple["counts"] == [1, 0, 2]
    assert text["counts"] == [1] and text["texts"] == ["多组织现场教学"]
    assert rating["counts"] == [0, 0, 1, 0, 1] and rating["average"] == 4
    assert matrix["counts"] == [[2, 0, 0], [1, 1, 0]]


def test_a_published_faq_answers_in_ask_the_regulations(world):
    """Engagement registers its FAQ as a source of 法规问答 (engagement/apps.py)."""
    from dangjian.standards.ask.answers import ask
    from dangjian.standards.ask.index import invalidate

    c = make_consultation(
        world.a, actor=None, faq_consent=True, question="单位食堂的党员活动室可以预约使用吗"
    )
    services.consultation_reply(actor=SYSTEM, consultation=c, text="可以，向机关党委办公室预约")
    services.consultation_faq(actor=SYSTEM, consultation=c)
    invalidate()
    result = ask("党员活动室预约")
    assert [a.entry.kind for a in result.answers][:1] == ["faq"]
    assert result.answers[0].url == f"/public/engagement/faq/#faq-{c.pk}"
