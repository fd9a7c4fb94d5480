"""Taking an exam (issue 12, part 6): starting an attempt, saving and submitting answers,
grading, and the paper a member sees.

The server keeps the answers and grades: a member's paper (``paper_out``) names questions,
options and scores only. Time limits are the server's: an attempt's ``deadline_at`` is its
start plus the limit; a save or submit later than the deadline plus EXM-1's ``grace_s`` is
not taken, and the attempt is graded on the answers saved by then (``late``). Submitting an
attempt twice returns the first result: nothing is graded twice. Authoring (banks, exams,
papers): ``exam_services``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dangjian.core.actors import SYSTEM
from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError
from dangjian.learning.exam_services import (
    ANSWER_MAX,
    LETTERS,
    answer_letters,
    answer_true_false,
    normalize,
    question_pool,
)
from dangjian.learning.models import Lesson, LessonProgress, StudyCredit
from dangjian.learning.models_exams import Attempt, Exam, Question
from dangjian.learning.policy import study_policy
from dangjian.members.models import Member
from dangjian.standards.selectors import rule_in_force


def grace_s(on: dt.date) -> int:
    return int(rule_in_force("EXM-1", on).params.get("grace_s", 0))


def _draw(exam: Exam) -> list[dict]:
    """The questions of one paper: the fixed list, or a fresh random draw per rule."""
    if exam.mode == Exam.Mode.FIXED:
        return [{"question": i.question_id, "score": i.score} for i in exam.items.all()]
    rng = secrets.SystemRandom()
    chosen: list[dict] = []
    taken: set[int] = set()
    for rule in exam.rules.all():
        pool = [
            pk
            for pk in question_pool(exam, rule.kind, rule.category, rule.difficulty).values_list(
                "pk", flat=True
            )
            if pk not in taken
        ]
        if len(pool) < rule.count:
            raise DomainError("题库试题不足，暂时无法组卷，请联系组织管理员", field="exam")
        for pk in rng.sample(pool, rule.count):
            taken.add(pk)
            chosen.append({"question": pk, "score": rule.score})
    return chosen


def _check_open(exam: Exam, member: Member, now: dt.datetime) -> None:
    if exam.status != Exam.Status.PUBLISHED:
        raise DomainError("考试尚未发布", field="exam")
    if not member.org.path.startswith(exam.org.path):
        raise DomainError("该考试不面向您所在的组织", field="exam")
    if exam.opens_at and now < exam.opens_at:
        local = timezone.localtime(exam.opens_at)
        raise Conflict(f"考试尚未开始，开始时间 {local:%Y-%m-%d %H:%M}")
    if exam.closes_at and now >= exam.closes_at:
        raise Conflict("考试已截止")


def close_expired(*, member: Member, exam: Exam, now: dt.datetime) -> None:
    """Grade the member's open attempt at ``exam`` whose time is up (with the answers saved
    before the deadline), so that an abandoned attempt has its result."""
    for attempt in Attempt.objects.filter(member=member, exam=exam, submitted_at__isnull=True):
        if _expired(attempt, now):
            attempt_submit(actor=SYSTEM, attempt=attempt, answers=None, now=now)


def _expired(attempt: Attempt, now: dt.datetime) -> bool:
    if attempt.deadline_at is None:
        closes = attempt.exam.closes_at
        return bool(closes and now >= closes + dt.timedelta(seconds=grace_s(now.date())))
    return now > attempt.deadline_at + dt.timedelta(seconds=grace_s(now.date()))


@transaction.atomic
def attempt_start(*, actor, member: Member, exam: Exam, now: dt.datetime | None = None) -> Attempt:
    """A new paper for ``member``, or the attempt still open (a page reloaded)."""
    now = now or timezone.now()
    Member.objects.select_for_update().filter(pk=member.pk).first()  # one start at a time
    close_expired(member=member, exam=exam, now=now)
    open_one = Attempt.objects.filter(member=member, exam=exam, submitted_at__isnull=True).first()
    if open_one is not None:
        return open_one
    _check_open(exam, member, now)
    done = list(Attempt.objects.filter(member=member, exam=exam).values_list("passed", flat=True))
    if any(done):
        raise Conflict("您已通过本次考试，无需再考")
    if len(done) >= exam.attempts:
        raise Conflict(f"本次考试最多可考 {exam.attempts} 次，您的机会已用完")
    paper = _draw(exam)
    deadline = None
    if exam.time_limit_min:
        deadline = now + dt.timedelta(minutes=exam.time_limit_min)
        if exam.closes_at:
            deadline = min(deadline, exam.closes_at)
    elif exam.closes_at:
        deadline = exam.closes_at
    attempt = Attempt.objects.create(
        member=member,
        exam=exam,
        number=len(done) + 1,
        paper=paper,
        started_at=now,
        deadline_at=deadline,
        total=sum(p["score"] for p in paper),
    )
    audit(
        actor=actor,
        action="create",
        obj=attempt,
        org_path=member.org.path,
        verb=f"{member.name} 开始考试 {exam.title[:30]}（第 {attempt.number} 次）",
    )
    return attempt


def clean_answers(attempt: Attempt, answers, questions: dict[int, Question]) -> dict:
    """The member's answers as stored: ``{"<question id>": [values]}``, only for questions
    of this paper, option letters checked."""
    if answers is None:
        return {}
    if not isinstance(answers, dict):
        raise DomainError("答案格式无效", field="answers")
    out = {}
    for key, given in answers.items():
        try:
            qid = int(key)
        except (TypeError, ValueError):
            raise DomainError(f"试题编号无效：{str(key)[:20]}", field="answers") from None
        if qid not in questions:
            raise DomainError(f"试题 {qid} 不在本试卷中", field="answers")
        if isinstance(given, str):
            given = [given]
        if not isinstance(given, list) or len(given) > len(LETTERS):
            raise DomainError("每道题的答案须为列表", field="answers")
        given = [str(g).strip() for g in given if str(g).strip()]
        q = questions[qid]
        if q.kind == Question.Kind.FILL_IN:
            if any(len(g) > ANSWER_MAX for g in given):
                raise DomainError(f"填空答案过长（最多 {ANSWER_MAX} 字）", field="answers")
            out[str(qid)] = given[:1]
        elif q.kind == Question.Kind.TRUE_FALSE:
            out[str(qid)] = answer_true_false(given, field="answers")
        else:
            out[str(qid)] = answer_letters(given, len(q.options), field="answers")
    return out


def paper_questions(attempt: Attempt) -> dict[int, Question]:
    ids = [p["question"] for p in attempt.paper]
    return Question.objects.in_bulk(ids)


def is_right(question: Question, given: list[str]) -> bool:
    """Server-side grading: choices by the exact set of letters (a multiple choice with one
    letter missing is wrong); a fill-in by any accepted text, compared normalized."""
    if not given:
        return False
    if question.kind == Question.Kind.FILL_IN:
        accepted = {normalize(a) for a in question.answer}
        return normalize(given[0]) in accepted
    return sorted(set(given)) == sorted(question.answer)


@transaction.atomic
def attempt_save(*, actor, attempt: Attempt, answers, now: dt.datetime | None = None) -> Attempt:
    """Keep the member's answers so far (the page saves as they go)."""
    now = now or timezone.now()
    attempt = (
        Attempt.objects.select_for_update(of=("self",)).select_related("exam").get(pk=attempt.pk)
    )
    if attempt.submitted_at is not None:
        raise Conflict("已交卷，不能再修改答案")
    if _expired(attempt, now):
        raise Conflict("考试时间已到，本次作答未保存；系统按时限内已保存的答案评分")
    merged = {**attempt.answers, **clean_answers(attempt, answers, paper_questions(attempt))}
    attempt.answers = merged
    attempt.saved_at = now
    attempt.save(update_fields=["answers", "saved_at", "updated_at"])
    return attempt


@transaction.atomic
def attempt_submit(
    *, actor, attempt: Attempt, answers=None, now: dt.datetime | None = None
) -> Attempt:
    """Hand in and grade. A second submit returns the first result unchanged. A submit later
    than the deadline plus the grace keeps only the answers saved before, marked late."""
    now = now or timezone.now()
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("exam__course", "member__org")
        .get(pk=attempt.pk)
    )
    if attempt.submitted_at is not None:
        return attempt  # retried: graded once
    questions = paper_questions(attempt)
    late = _expired(attempt, now)
    if not late and answers is not None:
        attempt.answers = {**attempt.answers, **clean_answers(attempt, answers, questions)}
    score = 0
    for p in attempt.paper:
        q = questions.get(p["question"])
        if q is not None and is_right(q, attempt.answers.get(str(q.pk), [])):
            score += p["score"]
    exam = attempt.exam
    attempt.score = score
    attempt.passed = score >= exam.pass_score
    attempt.late = late
    attempt.submitted_at = min(now, attempt.deadline_at) if late and attempt.deadline_at else now
    attempt.save()
    member = attempt.member
    audit(
        actor=actor,
        action="action",
        obj=attempt,
        org_path=member.org.path,
        verb=f"{member.name} 交卷 {exam.title[:30]}：{score} 分"
        + ("，通过" if attempt.passed else "，未通过")
        + ("（超时，按时限内保存的答案评分）" if late else ""),
    )
    if attempt.passed:
        _on_pass(attempt, now)
    return attempt


def _on_pass(attempt: Attempt, now: dt.datetime) -> None:
    """Points for passing (PNT rules), and when the exam is a course's test: its quiz
    lessons complete, the test's hours (LRN-4 ``test_hours``) and, with every lesson done,
    the course's own credit."""
    from dangjian.learning import points
    from dangjian.learning.services import course_credit, online_credit

    exam, member = attempt.exam, attempt.member
    points.point_award(
        event="exam_passed",
        member=member,
        source=exam,
        title=f"通过考试：{exam.title}",
        on=timezone.localdate(now),
    )
    course = exam.course
    if course is None:
        return
    for lesson in course.lessons.filter(kind=Lesson.Kind.QUIZ):
        progress, _ = LessonProgress.objects.get_or_create(member=member, lesson=lesson)
        if progress.completed_at is None:
            progress.completed_at = now
            progress.save(update_fields=["completed_at", "updated_at"])
    policy = study_policy(timezone.localdate(now))
    hours = Decimal(str(policy.rule.params.get("test_hours") or 0))
    exists = StudyCredit.objects.filter(
        member=member, source_type="learning.exam", source_id=exam.pk
    ).exists()
    if hours > 0 and not exists:
        online_credit(
            member=member,
            hours=hours,
            title=f"课程测试：{exam.title}",
            source=("learning.exam", exam.pk),
            policy=policy,
            now=now,
            verb=f"{member.name} 通过课程测试",
        )
    course_credit(member=member, course=course, now=now)


def paper_out(attempt: Attempt) -> list[dict]:
    """The paper as the member gets it: no answers, no explanations."""
    questions = paper_questions(attempt)
    out = []
    for i, p in enumerate(attempt.paper, start=1):
        q = questions.get(p["question"])
        if q is None:
            continue
        out.append(
            {
                "id": q.pk,
                "number": i,
                "kind": q.kind,
                "kind_label": q.get_kind_display(),
                "text": q.text,
                "options": [{"key": LETTERS[j], "text": text} for j, text in enumerate(q.options)],
                "score": p["score"],
            }
        )
    return out
