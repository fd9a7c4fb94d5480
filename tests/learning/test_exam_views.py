"""Exam pages: banks and questions, the exam editor, results as rates per org (no names),
points per org; the member takes an exam on the phone (answers saved on the server, no
answers in the page), sees the score and their own points; lists in constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.learning import exam_attempts
from dangjian.learning import exam_services as svc
from dangjian.learning.models import Attempt, Exam, ExamItem, Question, QuestionBank
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db

FILL = {"kind": "fill_in", "text": "预备期为几年", "answer": ["一年之约"], "score": 50}
SINGLE = {"kind": "single", "text": "选甲", "options": ["甲", "乙"], "answer": ["A"], "score": 50}


def exam_of(org, title="支部测试", **kw):
    return svc.exam_create(
        actor=SYSTEM,
        org=org,
        title=title,
        pass_score=60,
        questions=[FILL, SINGLE],
        publish=True,
        **kw,
    )


def queries(client, url) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_exam_list_queries_do_not_grow_with_exams(world, client_for):
    client, url = client_for(world.user("sec_a")), reverse("learning:exams")
    exam_of(world.a)
    one = queries(client, url)
    for i in range(6):
        exam_of(world.a, title=f"测试{i}")
    assert queries(client, url) == one


def test_bank_list_and_questions_in_constant_queries(world, client_for):
    client = client_for(world.user("sec_a"))
    bank = svc.bank_create(actor=SYSTEM, org=world.a, title="题库甲")
    svc.question_add(actor=SYSTEM, bank=bank, **{k: v for k, v in SINGLE.items() if k != "score"})
    list_one, bank_one = (
        queries(client, reverse("learning:banks")),
        queries(client, reverse("learning:bank", args=[bank.pk])),
    )
    for i in range(5):
        svc.bank_create(actor=SYSTEM, org=world.a, title=f"题库{i}")
        svc.question_add(actor=SYSTEM, bank=bank, **{**SINGLE, "text": f"题{i}", "score": None})
    assert queries(client, reverse("learning:banks")) == list_one
    assert queries(client, reverse("learning:bank", args=[bank.pk])) == bank_one


def test_bank_page_adds_a_multiple_choice_question_from_lines(world, client_for):
    bank = svc.bank_create(actor=SYSTEM, org=world.a, title="题库甲")
    resp = client_for(world.user("sec_a")).post(
        reverse("learning:bank", args=[bank.pk]),
        {
            "kind": "multiple",
            "text": "学习形式",
            "options": "集中培训\n网络学习\n打卡",
            "answer": "A，B",
            "difficulty": "easy",
        },
    )
    assert resp.status_code == 302
    q = Question.objects.get()
    assert (q.options, q.answer) == (["集中培训", "网络学习", "打卡"], ["A", "B"])


def test_bad_answer_letter_is_shown_next_to_the_field(world, client_for):
    bank = svc.bank_create(actor=SYSTEM, org=world.a, title="题库甲")
    resp = client_for(world.user("sec_a")).post(
        reverse("learning:bank", args=[bank.pk]),
        {"kind": "single", "text": "x", "options": "甲\n乙", "answer": "D", "difficulty": "easy"},
    )
    assert resp.status_code == 200
    assert "答案须为选项字母" in resp.content.decode()
    assert not Question.objects.exists()


def test_new_exam_then_questions_then_publish(world, client_for):
    client = client_for(world.user("sec_a"))
    resp = client.post(
        reverse("learning:exam_new"),
        {"title": "新测试", "org": world.a.pk, "mode": "fixed", "pass_score": 5, "attempts": 1},
    )
    exam = Exam.objects.get()
    assert resp.status_code == 302 and exam.status == "draft"
    resp = client.post(
        reverse("learning:exam", args=[exam.pk]),
        {"kind": "true_false", "text": "对吗", "answer": "对", "difficulty": "easy", "score": 10},
    )
    assert resp.status_code == 302
    assert ExamItem.objects.get(exam=exam).question.answer == ["A"]
    client.post(reverse("learning:exam_publish", args=[exam.pk]))
    exam.refresh_from_db()
    assert exam.status == "published"


def test_a_draft_is_edited_and_loses_a_question_and_a_published_exam_is_not(world, client_for):
    c = client_for(world.user("sec_a"))
    exam = svc.exam_create(
        actor=SYSTEM, org=world.a, title="草稿测试", pass_score=60, questions=[FILL, SINGLE]
    )
    edit = reverse("learning:exam_edit", args=[exam.pk])
    assert "草稿测试" in c.get(edit).content.decode()
    form = {"title": "七一测试", "pass_score": "50", "attempts": "3", "time_limit_min": ""}
    bad = c.post(edit, form | {"opens_at": "2026-07-02T09:00", "closes_at": "2026-07-01T09:00"})
    assert "截止时间须晚于开始时间" in bad.content.decode()
    assert c.post(edit, form).status_code == 302
    exam.refresh_from_db()
    assert (exam.title, exam.pass_score, exam.attempts) == ("七一测试", 50, 3)
    first = exam.items.order_by("position").first()
    remove = reverse("learning:exam_paper_remove", args=[exam.pk])
    assert c.post(remove, {"item": first.pk}).status_code == 302
    assert list(exam.items.values_list("position", "question__text")) == [(1, "选甲")]
    assert Question.objects.filter(pk=first.question_id).exists()  # the bank keeps it
    svc.exam_publish(actor=SYSTEM, exam=exam)
    assert c.get(edit).status_code == 302
    c.post(remove, {"item": exam.items.get().pk})
    assert exam.items.count() == 1  # a published paper stays as it is
    other = svc.exam_create(
        actor=SYSTEM, org=world.b, title="乙支部测试", pass_score=60, questions=[FILL]
    )
    assert c.get(reverse("learning:exam_edit", args=[other.pk])).status_code == 404


def test_random_exam_without_bank_is_a_field_error(world, client_for):
    resp = client_for(world.user("sec_a")).post(
        reverse("learning:exam_new"),
        {"title": "随机", "org": world.a.pk, "mode": "random", "pass_score": 5, "attempts": 1},
    )
    assert resp.status_code == 200
    assert "随机组卷须选择题库" in resp.content.decode()


def test_member_takes_the_exam_on_the_phone(world, client_for):
    exam = exam_of(world.a)
    client = client_for(world.user("member_a"))
    page = client.get(reverse("learning:my_exam", args=[exam.pk])).content.decode()
    assert "开始考试" in page and "满分 100 分" in page
    resp = client.post(reverse("learning:my_exam", args=[exam.pk]))
    attempt = Attempt.objects.get()
    assert resp["Location"] == reverse("learning:take", args=[attempt.pk])
    paper = client.get(resp["Location"]).content.decode()
    assert "预备期为几年" in paper
    assert "一年之约" not in paper  # the answer never reaches the member
    fill, single = (Question.objects.get(kind=k) for k in ("fill_in", "single"))
    url = reverse("learning:take", args=[attempt.pk])
    client.post(url, {f"q{fill.pk}": "一年之约", "save": "1"})
    attempt.refresh_from_db()
    assert attempt.answers == {str(fill.pk): ["一年之约"]} and attempt.submitted_at is None
    client.post(url, {f"q{single.pk}": "B", "submit": "1"})
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (50, False)  # the saved answer counted
    assert "得分 <strong>50</strong> / 100" in client.get(url).content.decode()


def test_secretary_reads_a_members_attempt_without_a_form(world, client_for):
    exam = exam_of(world.a)
    attempt = exam_attempts.attempt_start(actor=SYSTEM, member=world.members_a[1], exam=exam)
    html = client_for(world.user("sec_a")).get(reverse("learning:take", args=[attempt.pk]))
    text = html.content.decode()
    assert "李四 的答卷（只读）" in text and 'name="submit"' not in text


def test_results_are_rates_per_org_without_names(world, client_for):
    exam = exam_of(world.c1)
    for member in world.members_a[:2]:
        attempt = exam_attempts.attempt_start(actor=SYSTEM, member=member, exam=exam)
        exam_attempts.attempt_submit(actor=SYSTEM, attempt=attempt, answers={})
    client = client_for(world.user("c1_admin"))
    url = reverse("learning:exam_results", args=[exam.pk])
    resp = client.get(url)
    rows = {r.org: r for r in resp.context["rows"]}
    assert (rows[world.a].members, rows[world.a].taken, rows[world.a].passed) == (4, 2, 0)
    text = resp.content.decode()
    assert "50%" in text and "张三" not in text and "李四" not in text
    one = queries(client, url)
    attempt = exam_attempts.attempt_start(actor=SYSTEM, member=world.members_b[1], exam=exam)
    exam_attempts.attempt_submit(actor=SYSTEM, attempt=attempt, answers={})
    assert queries(client, url) == one


def test_my_points_page_and_org_points_page(world, client_for):
    exam = exam_of(world.a)
    attempt = exam_attempts.attempt_start(actor=SYSTEM, member=world.members_a[1], exam=exam)
    fill, single = (Question.objects.get(kind=k) for k in ("fill_in", "single"))
    exam_attempts.attempt_submit(
        actor=SYSTEM, attempt=attempt, answers={str(fill.pk): ["一年之约"], str(single.pk): ["A"]}
    )
    mine = client_for(world.user("member_a")).get(reverse("learning:my_points")).content.decode()
    assert 'id="points-total">5<' in mine and "通过考试：支部测试" in mine
    staff = client_for(world.user("sec_a")).get(reverse("learning:points")).content.decode()
    assert "积分合计" in staff and "李四" not in staff and "不排名" in staff


def test_workbench_shows_exam_to_take_for_a_secretary_who_is_a_member(world, client_for):
    exam = exam_of(world.a)
    text = client_for(world.user("sec_a")).get(reverse("core:home")).content.decode()
    assert f"参加考试：{exam.title}" in text


def test_draft_exam_is_404_on_the_phone(world, client_for):
    exam = svc.exam_create(actor=SYSTEM, org=world.a, title="草稿", pass_score=1, questions=[FILL])
    resp = client_for(world.user("member_a")).get(reverse("learning:my_exam", args=[exam.pk]))
    assert resp.status_code == 404
    assert QuestionBank.objects.count() == 1


def test_autosave_keeps_answers_with_204_and_refuses_after_submit(world, client_for):
    exam = exam_of(world.a)
    attempt = exam_attempts.attempt_start(actor=SYSTEM, member=world.members_a[1], exam=exam)
    single = Question.objects.get(kind="single")
    client = client_for(world.user("member_a"))
    url = reverse("learning:take", args=[attempt.pk])
    resp = client.post(url, {f"q{single.pk}": "A", "save": "1"}, headers={"X-Autosave": "1"})
    assert resp.status_code == 204
    attempt.refresh_from_db()
    assert attempt.answers == {str(single.pk): ["A"]}
    exam_attempts.attempt_submit(actor=SYSTEM, attempt=attempt, answers=None)
    resp = client.post(url, {f"q{single.pk}": "B", "save": "1"}, headers={"X-Autosave": "1"})
    assert resp.status_code == 409
    assert "已交卷" in resp.content.decode()
