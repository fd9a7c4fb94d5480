"""Pages: the handlers' list (filters, query count), answering, FAQ; the member's phone
page (ask, answer a survey); the survey page with its charts' data and the Excel export;
the public portal (ask → code → track → rate, FAQ, public survey with a token)."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dangjian.engagement import services
from dangjian.engagement.models import Consultation, Survey, SurveyResponse
from tests.engagement.conftest import ANSWERS, make_consultation, make_survey
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


def test_handler_list_is_filtered_and_set_based(world, client_for):
    for i in range(3):
        make_consultation(world.a, actor=None, question=f"第{i}个问题：如何交党费？")
    make_consultation(world.b, actor=None, question="国库处的问题不给A看")
    c = client_for(world.user("sec_a"))
    resp = c.get("/engagement/")
    body = resp.content.decode()
    assert resp.status_code == 200 and "第0个问题" in body and "国库处的问题" not in body
    with CaptureQueriesContext(connection) as few:
        c.get("/engagement/")
    for i in range(10):
        make_consultation(world.a, actor=None, question=f"更多问题{i}：怎么办？")
    with CaptureQueriesContext(connection) as many:
        c.get("/engagement/")
    assert len(many) == len(few)
    assert "更多问题3" in c.get("/engagement/?q=更多问题3").content.decode()
    assert "第1个问题" not in c.get("/engagement/?status=answered").content.decode()


def test_member_is_not_a_handler(world, client_for):
    assert client_for(world.user("member_a")).get("/engagement/").status_code == 404


def test_handler_answers_and_publishes_faq(world, client_for):
    item = make_consultation(world.a, actor=None, faq_consent=True)
    c = client_for(world.user("sec_a"))
    resp = c.post(f"/engagement/consultations/{item.pk}/", {"text": "请向所在党支部提交。"})
    assert resp.status_code == 302
    item.refresh_from_db()
    assert item.status == Consultation.Status.ANSWERED
    c.post(f"/engagement/consultations/{item.pk}/faq/", {"publish": "1"})
    item.refresh_from_db()
    assert item.faq_published
    faq = client_for(None).get("/public/engagement/faq/").content.decode()
    assert "请向所在党支部提交。" in faq


def test_empty_reply_keeps_the_page_with_an_error(world, client_for):
    item = make_consultation(world.a, actor=None)
    resp = client_for(world.user("sec_a")).post(
        f"/engagement/consultations/{item.pk}/", {"text": ""}
    )
    assert resp.status_code == 200 and "is-invalid" in resp.content.decode()


def test_member_asks_and_rates_on_the_phone(world, client_for):
    c = client_for(world.user("member_a"))
    assert c.get("/engagement/mine/").status_code == 200
    resp = c.post(
        "/engagement/mine/",
        {"kind": "suggestion", "org": world.a.pk, "question": "建议增加线上党课的字幕。"},
    )
    assert resp.status_code == 302
    item = Consultation.objects.get()
    assert item.asker == world.user("member_a")
    services.consultation_reply(actor=SYSTEM, consultation=item, text="已采纳")
    page = c.get(f"/engagement/consultations/{item.pk}/").content.decode()
    assert "已采纳" in page and "提交评价" in page
    c.post(f"/engagement/consultations/{item.pk}/", {"rating": "5"})
    item.refresh_from_db()
    assert item.rating == 5
    # Another member of the branch does not see it.
    other = client_for(world.user("peer_a")).get(f"/engagement/consultations/{item.pk}/")
    assert other.status_code == 404


def test_member_answers_a_survey_once(world, client_for):
    survey = make_survey(world.a)
    c = client_for(world.user("member_a"))
    assert "去答卷" in c.get("/engagement/mine/").content.decode()
    post = {
        "q1": "0",
        "q2": ["0", "2"],
        "q3": "多开展现场教学",
        "q4": "5",
        "q5_0": "0",
        "q5_1": "1",
    }
    assert c.post(f"/engagement/mine/surveys/{survey.pk}/", post).status_code == 302
    again = c.post(f"/engagement/mine/surveys/{survey.pk}/", post)
    assert again.status_code == 200 and "只能答卷一次" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    assert "已参加" in c.get("/engagement/mine/").content.decode()


def test_missing_answer_shows_a_message(world, client_for):
    survey = make_survey(world.a)
    resp = client_for(world.user("member_a")).post(
        f"/engagement/mine/surveys/{survey.pk}/", {"q1": "0"}
    )
    assert resp.status_code == 200 and "必答题" in resp.content.decode()


def test_staff_create_a_survey_from_lines(world, client_for):
    c = client_for(world.user("sec_a"))
    resp = c.post(
        "/engagement/surveys/new/",
        {
            "title": "学习形式调查",
            "org": world.a.pk,
            "audience": "subtree",
            "anonymous": "on",
            "questions": "[单选] 总体评价：满意 / 不满意\n[评分] 满意度\n"
            "[矩阵] 各项评价：好 / 差 | 三会一课 / 党费\n[填空] 建议",
        },
    )
    assert resp.status_code == 302, resp.content.decode()
    survey = Survey.objects.get()
    kinds = list(survey.questions.values_list("kind", "options", "rows"))
    assert kinds[0] == ("single", ["满意", "不满意"], [])
    assert kinds[2] == ("matrix", ["好", "差"], ["三会一课", "党费"])
    bad = c.post(
        "/engagement/surveys/new/",
        {"title": "x", "org": world.a.pk, "audience": "subtree", "questions": "[问答] 什么"},
    )
    assert bad.status_code == 200 and "第 1 行格式不正确" in bad.content.decode()


def test_staff_edit_a_draft_from_its_own_lines_and_not_once_published(world, client_for):
    survey = make_survey(world.a, open_=False)
    c = client_for(world.user("sec_a"))
    assert "修改草稿" in c.get(f"/engagement/surveys/{survey.pk}/").content.decode()
    page = c.get(f"/engagement/surveys/{survey.pk}/edit/").content.decode()
    # The questions come back as the lines the form reads: saving them unchanged keeps them.
    assert "[矩阵] 各项工作评价：好 / 一般 / 差 | 三会一课 / 党费收缴" in page
    before = list(survey.questions.values_list("kind", "text", "options", "rows"))
    form = {
        "title": "2026年党员满意度调查（修订）",
        "org": world.a.pk,
        "audience": "subtree",
        "anonymous": "on",
        "closes_on": "2026-12-31",
        "questions": "\n".join(
            [
                "[单选] 您对本支部组织生活的总体评价：满意 / 基本满意 / 不满意",
                "[多选] 希望增加的学习形式：专题党课 / 现场教学 / 读书班",
                "[填空] 意见和建议",
                "[评分] 对党组织服务的满意度",
                "[矩阵] 各项工作评价：好 / 一般 / 差 | 三会一课 / 党费收缴",
            ]
        ),
    }
    assert c.post(f"/engagement/surveys/{survey.pk}/edit/", form).status_code == 302
    survey.refresh_from_db()
    assert survey.title.endswith("（修订）") and str(survey.closes_on) == "2026-12-31"
    assert list(survey.questions.values_list("kind", "text", "options", "rows")) == before
    bad = c.post(f"/engagement/surveys/{survey.pk}/edit/", {**form, "questions": "[问答] 什么"})
    assert bad.status_code == 200 and "第 1 行格式不正确" in bad.content.decode()
    services.survey_open(actor=world.user("sec_a"), survey=survey)
    resp = c.get(f"/engagement/surveys/{survey.pk}/edit/", follow=True)
    assert "不能再修改" in resp.content.decode()
    assert "修改草稿" not in c.get(f"/engagement/surveys/{survey.pk}/").content.decode()
    other = client_for(world.user("sec_b"))
    assert other.get(f"/engagement/surveys/{survey.pk}/edit/").status_code == 404


def test_survey_page_has_chart_data_and_the_export_counts(world, client_for):
    survey = make_survey(world.a)
    services.survey_respond(actor=world.user("member_a"), survey=survey, answers=ANSWERS)
    c = client_for(world.user("sec_a"))
    body = c.get(f"/engagement/surveys/{survey.pk}/").content.decode()
    assert 'id="survey-charts"' in body and "echarts.min.js" in body and "<script>" not in body
    assert "李四" not in body  # anonymous: no one is named
    resp = c.get(f"/engagement/surveys/{survey.pk}/export/")
    sheet = load_workbook(io.BytesIO(resp.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("题号", "题目", "题型", "行", "选项", "人数", "占比")
    assert (1, "您对本支部组织生活的总体评价", "单选", None, "满意", 1, 1) in rows


def test_public_ask_track_and_rate(world, client_for):
    anon = client_for(None)
    assert anon.get("/public/engagement/ask/").status_code == 200
    resp = anon.post(
        "/public/engagement/ask/",
        {"kind": "question", "org": world.a.pk, "question": "入党积极分子如何确定？"},
    )
    assert resp.status_code == 302 and resp["Location"] == "/public/engagement/track/"
    item = Consultation.objects.get()
    page = anon.get("/public/engagement/track/").content.decode()
    assert item.code in page
    assert item.code not in anon.get("/public/engagement/track/").content.decode()  # once
    services.consultation_reply(actor=SYSTEM, consultation=item, text="由支部委员会研究确定")
    tracked = anon.post("/public/engagement/track/", {"code": item.code.lower()})
    assert "由支部委员会研究确定" in tracked.content.decode()
    anon.post("/public/engagement/track/", {"code": item.code, "rating": "4"})
    item.refresh_from_db()
    assert item.rating == 4
    wrong = anon.post("/public/engagement/track/", {"code": "ZZZZZZZZZZZZ"}).content.decode()
    assert "查询码不存在" in wrong


def test_public_survey_with_a_token(world, client_for):
    survey = make_survey(
        world.c1, audience="public", questions=[{"kind": "rating", "text": "满意度"}]
    )
    (token,) = services.survey_tokens_issue(actor=SYSTEM, survey=survey, count=1)
    anon = client_for(None)
    url = f"/public/engagement/surveys/{survey.pk}/"
    assert anon.get(f"{url}?t={token}").status_code == 200
    assert anon.post(url, {"token": token, "q1": "4"}).status_code == 302
    again = anon.post(url, {"token": token, "q1": "5"})
    assert "口令已使用过" in again.content.decode()
    internal = make_survey(world.a)
    assert anon.get(f"/public/engagement/surveys/{internal.pk}/").status_code == 404


def test_survey_list_is_set_based(world, client_for):
    make_survey(world.a, title="第一个调查")
    c = client_for(world.user("sec_a"))
    c.get("/engagement/surveys/")  # the session's first request reads more
    with CaptureQueriesContext(connection) as few:
        assert "第一个调查" in c.get("/engagement/surveys/").content.decode()
    for i in range(5):
        survey = make_survey(world.a, title=f"调查{i}")
        services.survey_respond(actor=world.user("member_a"), survey=survey, answers=ANSWERS)
    with CaptureQueriesContext(connection) as many:
        body = c.get("/engagement/surveys/?sort=title").content.decode()
    assert len(many) == len(few) and "调查4" in body
