"""Exams through the services: random papers by rule, the server's time limit (a late
submit is graded on the answers saved in time), windows, passing a course's test."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.core.errors import Conflict, DomainError
from dangjian.learning import exam_attempts
from dangjian.learning import exam_services as svc
from dangjian.learning.models import Attempt, Exam, LessonProgress, StudyCredit
from tests.factories import SYSTEM
from tests.learning.conftest import at, make_course

pytestmark = pytest.mark.django_db

SINGLE = {"kind": "single", "text": "问题", "options": ["甲", "乙"], "answer": ["A"]}


def bank_with(org, n=6, **spec):
    bank = svc.bank_create(actor=SYSTEM, org=org, title="题库")
    for i in range(n):
        svc.question_add(actor=SYSTEM, bank=bank, **{**SINGLE, "text": f"问题{i}", **spec})
    return bank


def fixed_exam(org, **kw):
    questions = [{**SINGLE, "score": 50}, {**SINGLE, "text": "二", "answer": ["B"], "score": 50}]
    return svc.exam_create(
        actor=SYSTEM, org=org, title="测试", pass_score=60, questions=questions, publish=True, **kw
    )


def test_random_paper_draws_count_questions_of_the_rule_without_repeats(world):
    bank = bank_with(world.a, 6, category="党章", difficulty="easy")
    bank_with_other = svc.question_add(
        actor=SYSTEM, bank=bank, **{**SINGLE, "category": "条例", "difficulty": "hard"}
    )
    exam = svc.exam_create(
        actor=SYSTEM, org=world.a, title="随机", pass_score=6, mode="random", bank=bank
    )
    svc.exam_rule_add(
        actor=SYSTEM, exam=exam, kind="single", category="党章", difficulty="easy", count=4, score=3
    )
    exam = svc.exam_publish(actor=SYSTEM, exam=exam)
    attempt = exam_attempts.attempt_start(
        actor=SYSTEM, member=world.members_a[1], exam=exam, now=at(0)
    )
    ids = [p["question"] for p in attempt.paper]
    assert len(ids) == len(set(ids)) == 4
    assert bank_with_other.pk not in ids
    assert attempt.total == 12


def test_rule_asking_more_than_the_bank_holds_is_refused(world):
    bank = bank_with(world.a, 2)
    exam = svc.exam_create(
        actor=SYSTEM, org=world.a, title="随机", pass_score=1, mode="random", bank=bank
    )
    with pytest.raises(DomainError, match="只有 2 道"):
        svc.exam_rule_add(actor=SYSTEM, exam=exam, kind="single", count=3, score=1)


def test_submit_within_the_grace_is_graded_with_its_answers(world):
    exam = fixed_exam(world.a, time_limit_min=10)
    attempt = exam_attempts.attempt_start(
        actor=SYSTEM, member=world.members_a[1], exam=exam, now=at(0)
    )
    q1, q2 = (p["question"] for p in attempt.paper)
    done = exam_attempts.attempt_submit(
        actor=SYSTEM, attempt=attempt, answers={str(q1): ["A"], str(q2): ["B"]}, now=at(600 + 29)
    )
    assert (done.score, done.passed, done.late) == (100, True, False)


def test_submit_after_limit_and_grace_keeps_only_answers_saved_in_time(world):
    exam = fixed_exam(world.a, time_limit_min=10)
    attempt = exam_attempts.attempt_start(
        actor=SYSTEM, member=world.members_a[1], exam=exam, now=at(0)
    )
    q1, q2 = (p["question"] for p in attempt.paper)
    exam_attempts.attempt_save(actor=SYSTEM, attempt=attempt, answers={str(q1): ["A"]}, now=at(300))
    with pytest.raises(Conflict, match="时间已到"):
        exam_attempts.attempt_save(
            actor=SYSTEM, attempt=attempt, answers={str(q2): ["B"]}, now=at(631)
        )
    done = exam_attempts.attempt_submit(
        actor=SYSTEM, attempt=attempt, answers={str(q1): ["A"], str(q2): ["B"]}, now=at(3600)
    )
    assert (done.score, done.passed, done.late) == (50, False, True)
    assert done.submitted_at == at(600)  # graded as handed in at the limit


def test_an_abandoned_attempt_is_graded_when_the_member_comes_back(world):
    exam = fixed_exam(world.a, time_limit_min=10, attempts=2)
    member = world.members_a[1]
    first = exam_attempts.attempt_start(actor=SYSTEM, member=member, exam=exam, now=at(0))
    q1 = first.paper[0]["question"]
    exam_attempts.attempt_save(actor=SYSTEM, attempt=first, answers={str(q1): ["A"]}, now=at(60))
    second = exam_attempts.attempt_start(actor=SYSTEM, member=member, exam=exam, now=at(7200))
    first.refresh_from_db()
    assert (first.score, first.late, second.number) == (50, True, 2)


def test_reloading_an_open_attempt_returns_the_same_paper(world):
    exam = fixed_exam(world.a, time_limit_min=10)
    one = exam_attempts.attempt_start(actor=SYSTEM, member=world.members_a[1], exam=exam, now=at(0))
    two = exam_attempts.attempt_start(
        actor=SYSTEM, member=world.members_a[1], exam=exam, now=at(30)
    )
    assert one.pk == two.pk
    assert Attempt.objects.count() == 1


def test_exam_outside_its_window_cannot_be_started(world):
    exam = fixed_exam(world.a, opens_at=at(3600), closes_at=at(7200))
    with pytest.raises(Conflict, match="尚未开始"):
        exam_attempts.attempt_start(actor=SYSTEM, member=world.members_a[1], exam=exam, now=at(0))
    with pytest.raises(Conflict, match="已截止"):
        exam_attempts.attempt_start(
            actor=SYSTEM, member=world.members_a[1], exam=exam, now=at(7200)
        )


def test_member_of_another_branch_cannot_start(world):
    exam = fixed_exam(world.a)
    with pytest.raises(DomainError, match="不面向"):
        exam_attempts.attempt_start(actor=SYSTEM, member=world.members_b[1], exam=exam, now=at(0))


def test_passed_member_cannot_start_again(world):
    exam = fixed_exam(world.a, attempts=3)
    attempt = exam_attempts.attempt_start(
        actor=SYSTEM, member=world.members_a[1], exam=exam, now=at(0)
    )
    q1, q2 = (p["question"] for p in attempt.paper)
    exam_attempts.attempt_submit(
        actor=SYSTEM, attempt=attempt, answers={str(q1): ["A"], str(q2): ["B"]}, now=at(9)
    )
    with pytest.raises(Conflict, match="已通过"):
        exam_attempts.attempt_start(actor=SYSTEM, member=world.members_a[1], exam=exam, now=at(20))


def test_published_exam_cannot_take_more_questions(world):
    exam = fixed_exam(world.a)
    bank = bank_with(world.a, 1)
    with pytest.raises(Conflict):
        svc.exam_item_add(actor=SYSTEM, exam=exam, question=bank.questions.get(), score=5)


def test_passing_a_course_test_completes_its_quiz_and_credits_the_course(world):
    course = make_course(
        world.a,
        [
            {"title": "图文", "kind": "text", "body": "<p>x</p>"},
            {"title": "测验", "kind": "quiz"},
        ],
    )
    member = world.members_a[1]
    text = course.lessons.get(kind="text")
    LessonProgress.objects.create(member=member, lesson=text, credited_s=60, completed_at=at(0))
    exam = fixed_exam(world.a, course=course)
    attempt = exam_attempts.attempt_start(actor=SYSTEM, member=member, exam=exam, now=at(10))
    q1, q2 = (p["question"] for p in attempt.paper)
    exam_attempts.attempt_submit(
        actor=SYSTEM, attempt=attempt, answers={str(q1): ["A"], str(q2): ["B"]}, now=at(20)
    )
    sources = set(StudyCredit.objects.filter(member=member).values_list("source_type", flat=True))
    assert sources == {"learning.exam", "learning.course"}
    assert LessonProgress.objects.get(member=member, lesson__kind="quiz").completed_at


def test_draft_exam_cannot_be_started(world):
    exam = svc.exam_create(
        actor=SYSTEM, org=world.a, title="草稿", pass_score=1, questions=[{**SINGLE, "score": 1}]
    )
    assert exam.status == Exam.Status.DRAFT
    with pytest.raises(DomainError, match="尚未发布"):
        exam_attempts.attempt_start(
            actor=SYSTEM, member=world.members_a[1], exam=exam, now=dt.datetime.now(dt.UTC)
        )
