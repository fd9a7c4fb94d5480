"""Every change to question banks, exams and answer sheets (issue 12, part 6).

The server keeps the answers and grades: a member's paper (``paper_out``) names questions,
options and scores only. Time limits are the server's: an attempt's ``deadline_at`` is its
start plus the limit; a save or submit later than the deadline plus EXM-1's ``grace_s`` is
not taken, and the attempt is graded on the answers saved by then (``late``). Submitting an
attempt twice returns the first result: nothing is graded twice.
"""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dangjian.core.actors import SYSTEM, actor_user
from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError
from dangjian.learning.models import Course, Lesson, LessonProgress, StudyCredit
from dangjian.learning.models_exams import (
    Attempt,
    Exam,
    ExamItem,
    ExamRule,
    Question,
    QuestionBank,
)
from dangjian.learning.policy import study_policy
from dangjian.learning.services import _text
from dangjian.members.models import Member
from dangjian.orgs.models import Org
from dangjian.standards.selectors import rule_in_force

LETTERS = "ABCDEFGHIJ"
TRUE_FALSE = ["正确", "错误"]
MAX_SCORE = 100  # a question's score
MAX_QUESTIONS = 200  # a paper's questions
ANSWER_MAX = 200  # characters of a fill-in answer
# Ways of writing true / false in an API call or a form, to the letters A / B.
TRUTHY = {"A", "T", "TRUE", "对", "正确", "是", "√"}
FALSY = {"B", "F", "FALSE", "错", "错误", "否", "×"}


def _int(value, *, field: str, label: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError(f"{label}须为整数", field=field) from None
    if not low <= number <= high:
        raise DomainError(f"{label}须在 {low} 到 {high} 之间", field=field)
    return number


def normalize(text: str) -> str:
    """A fill-in answer as compared: full-width folded, spaces dropped, case ignored."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


def _letters(values, n_options: int, *, field: str) -> list[str]:
    out = []
    for v in values:
        letter = str(v).strip().upper()
        if len(letter) != 1 or letter not in LETTERS[:n_options]:
            raise DomainError(f"答案须为选项字母 A–{LETTERS[n_options - 1]}", field=field)
        out.append(letter)
    return sorted(set(out))


def _true_false(values, *, field: str) -> list[str]:
    out = set()
    for v in values:
        word = str(v).strip().upper()
        if word in TRUTHY:
            out.add("A")
        elif word in FALSY:
            out.add("B")
        else:
            raise DomainError("判断题答案须为 A（正确）或 B（错误）", field=field)
    return sorted(out)


def question_values(spec: dict, *, prefix: str = "") -> dict:
    """Validated fields of a question from ``spec`` (kind, text, options, answer, category,
    difficulty, tags, explanation)."""
    f = prefix
    kind = spec.get("kind") or ""
    if kind not in Question.Kind.values:
        raise DomainError(
            "题型无效，可选：" + "、".join(f"{k.value}（{k.label}）" for k in Question.Kind),
            field=f"{f}kind",
        )
    values = {
        "kind": kind,
        "text": _text(spec.get("text"), field=f"{f}text", label="题干", limit=1000),
        "category": _text(
            spec.get("category"), field=f"{f}category", label="分类", limit=50, required=False
        ),
        "tags": _text(spec.get("tags"), field=f"{f}tags", label="标签", limit=200, required=False),
        "explanation": _text(
            spec.get("explanation"),
            field=f"{f}explanation",
            label="解析",
            limit=1000,
            required=False,
        ),
    }
    difficulty = spec.get("difficulty") or Question.Difficulty.MEDIUM
    if difficulty not in Question.Difficulty.values:
        raise DomainError(
            "难度须为 easy（容易）、medium（中等）或 hard（较难）", field=f"{f}difficulty"
        )
    values["difficulty"] = difficulty
    answer = spec.get("answer") or []
    if isinstance(answer, str):
        answer = [answer]
    if not isinstance(answer, list) or not answer:
        raise DomainError("请填写答案", field=f"{f}answer")
    options = spec.get("options") or []
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        if not isinstance(options, list) or not 2 <= len(options) <= len(LETTERS):
            raise DomainError(f"选择题须有 2 到 {len(LETTERS)} 个选项", field=f"{f}options")
        options = [_text(o, field=f"{f}options", label="选项", limit=300) for o in options]
        answer = _letters(answer, len(options), field=f"{f}answer")
        if kind == Question.Kind.SINGLE and len(answer) != 1:
            raise DomainError("单选题只能有一个正确答案", field=f"{f}answer")
    elif kind == Question.Kind.TRUE_FALSE:
        options = list(TRUE_FALSE)
        answer = _true_false(answer, field=f"{f}answer")
        if len(answer) != 1:
            raise DomainError("判断题只能有一个答案", field=f"{f}answer")
    else:
        options = []
        answer = [_text(a, field=f"{f}answer", label="答案", limit=ANSWER_MAX) for a in answer]
    values |= {"options": options, "answer": answer}
    return values


@transaction.atomic
def bank_create(*, actor, org: Org, title: str, summary: str = "") -> QuestionBank:
    bank = QuestionBank.objects.create(
        org=org,
        title=_text(title, field="title", label="题库名称", limit=100),
        summary=_text(summary, field="summary", label="说明", limit=300, required=False),
        created_by=actor_user(actor),
    )
    audit(actor=actor, action="create", obj=bank, org=org, verb=f"新建题库 {bank.title[:40]}")
    return bank


@transaction.atomic
def question_add(*, actor, bank: QuestionBank, **spec) -> Question:
    question = Question.objects.create(bank=bank, **question_values(spec))
    audit(
        actor=actor,
        action="create",
        obj=question,
        org=bank.org,
        verb=f"题库 {bank.title[:20]} 增加试题",
    )
    return question


def _window(opens_at, closes_at) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        raise DomainError("截止时间须晚于开始时间", field="closes_at")


def _editable(exam: Exam) -> None:
    if exam.status != Exam.Status.DRAFT:
        raise Conflict("考试已发布，不能再修改试卷")


@transaction.atomic
def exam_create(
    *,
    actor,
    org: Org,
    title: str,
    pass_score,
    attempts=1,
    time_limit_min=None,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    course: Course | None = None,
    bank: QuestionBank | None = None,
    mode: str = Exam.Mode.FIXED,
    questions: list[dict] | None = None,
    publish: bool = False,
) -> Exam:
    """A draft exam for ``org``'s subtree. ``questions`` (dicts of a question's fields and
    its ``score``) go into ``bank`` (a new bank named after the exam when none is given)
    and make the fixed paper; ``publish`` publishes at once."""
    if mode not in Exam.Mode.values:
        raise DomainError("组卷方式须为 fixed（固定试题）或 random（随机组卷）", field="mode")
    _window(opens_at, closes_at)
    if mode == Exam.Mode.RANDOM and bank is None:
        raise DomainError("随机组卷须选择题库", field="bank")
    if (
        bank is not None
        and not org.path.startswith(bank.org.path)
        and not bank.org.path.startswith(org.path)
    ):
        raise DomainError("题库须属于本组织的上级或下级组织", field="bank")
    if course is not None and not org.path.startswith(course.org.path):
        raise DomainError("关联课程须面向本组织或上级组织", field="course")
    exam = Exam.objects.create(
        org=org,
        title=_text(title, field="title", label="考试名称", limit=100),
        mode=mode,
        bank=bank,
        pass_score=_int(pass_score, field="pass_score", label="及格分", low=0, high=10_000),
        attempts=_int(attempts, field="attempts", label="可考次数", low=1, high=20),
        time_limit_min=(
            _int(time_limit_min, field="time_limit_min", label="限时（分钟）", low=1, high=600)
            if time_limit_min not in (None, "")
            else None
        ),
        opens_at=opens_at,
        closes_at=closes_at,
        course=course,
        created_by=actor_user(actor),
    )
    if questions:
        if len(questions) > MAX_QUESTIONS:
            raise DomainError(f"一份试卷最多 {MAX_QUESTIONS} 题", field="questions")
        if exam.bank is None:
            exam.bank = QuestionBank.objects.create(
                org=org, title=f"{exam.title[:90]}（试题）", created_by=actor_user(actor)
            )
            exam.save(update_fields=["bank", "updated_at"])
        for i, spec in enumerate(questions):
            score = _int(
                spec.get("score"),
                field=f"questions.{i}.score",
                label="分值",
                low=1,
                high=MAX_SCORE,
            )
            q = Question.objects.create(
                bank=exam.bank, **question_values(spec, prefix=f"questions.{i}.")
            )
            ExamItem.objects.create(exam=exam, question=q, position=i + 1, score=score)
    audit(actor=actor, action="create", obj=exam, org=org, verb=f"新建考试 {exam.title[:40]}")
    if publish:
        exam = exam_publish(actor=actor, exam=exam)
    return exam


@transaction.atomic
def exam_item_add(*, actor, exam: Exam, question: Question, score) -> ExamItem:
    _editable(exam)
    if exam.mode != Exam.Mode.FIXED:
        raise DomainError("随机组卷的考试请添加抽题规则", field="question")
    if exam.items.filter(question=question).exists():
        raise Conflict("该试题已在试卷中", field="question")
    position = exam.items.count() + 1
    if position > MAX_QUESTIONS:
        raise DomainError(f"一份试卷最多 {MAX_QUESTIONS} 题", field="question")
    item = ExamItem.objects.create(
        exam=exam,
        question=question,
        position=position,
        score=_int(score, field="score", label="分值", low=1, high=MAX_SCORE),
    )
    audit(actor=actor, action="update", obj=exam, verb=f"考试 {exam.title[:30]} 增加试题")
    return item


@transaction.atomic
def exam_question_add(*, actor, exam: Exam, score, **spec) -> ExamItem:
    """A new question written for a fixed paper: kept in the exam's bank (made when the
    exam has none) and added with its score."""
    _editable(exam)
    score = _int(score, field="score", label="本卷分值", low=1, high=MAX_SCORE)
    values = question_values(spec)
    if exam.bank is None:
        exam.bank = QuestionBank.objects.create(
            org=exam.org, title=f"{exam.title[:90]}（试题）", created_by=actor_user(actor)
        )
        exam.save(update_fields=["bank", "updated_at"])
    question = Question.objects.create(bank=exam.bank, **values)
    return exam_item_add(actor=actor, exam=exam, question=question, score=score)


def _pool(exam: Exam, kind: str, category: str, difficulty: str):
    qs = Question.objects.filter(bank=exam.bank, kind=kind)
    if category:
        qs = qs.filter(category=category)
    if difficulty:
        qs = qs.filter(difficulty=difficulty)
    return qs


@transaction.atomic
def exam_rule_add(
    *, actor, exam: Exam, kind: str, count, score, category: str = "", difficulty: str = ""
) -> ExamRule:
    _editable(exam)
    if exam.mode != Exam.Mode.RANDOM or exam.bank is None:
        raise DomainError("抽题规则只用于选定题库的随机组卷考试", field="kind")
    if kind not in Question.Kind.values:
        raise DomainError("题型无效", field="kind")
    if difficulty and difficulty not in Question.Difficulty.values:
        raise DomainError("难度无效", field="difficulty")
    category = _text(category, field="category", label="分类", limit=50, required=False)
    count = _int(count, field="count", label="题数", low=1, high=MAX_QUESTIONS)
    available = _pool(exam, kind, category, difficulty).count()
    if available < count:
        raise DomainError(
            f"题库中符合条件的试题只有 {available} 道，不足 {count} 道", field="count"
        )
    rule = ExamRule.objects.create(
        exam=exam,
        kind=kind,
        category=category,
        difficulty=difficulty,
        count=count,
        score=_int(score, field="score", label="每题分值", low=1, high=MAX_SCORE),
    )
    audit(actor=actor, action="update", obj=exam, verb=f"考试 {exam.title[:30]} 增加抽题规则")
    return rule


def full_marks(exam: Exam) -> int:
    if exam.mode == Exam.Mode.RANDOM:
        return sum(r.count * r.score for r in exam.rules.all())
    return sum(i.score for i in exam.items.all())


@transaction.atomic
def exam_publish(*, actor, exam: Exam, now: dt.datetime | None = None) -> Exam:
    exam = Exam.objects.select_for_update().get(pk=exam.pk)
    if exam.status == Exam.Status.PUBLISHED:
        raise Conflict("考试已发布")
    marks = full_marks(exam)
    if marks == 0:
        raise DomainError("试卷还没有试题，请先添加试题或抽题规则", field="questions")
    if exam.pass_score > marks:
        raise DomainError(f"及格分 {exam.pass_score} 高于满分 {marks}", field="pass_score")
    exam.status = Exam.Status.PUBLISHED
    exam.published_at = now or timezone.now()
    exam.save(update_fields=["status", "published_at", "updated_at"])
    audit(actor=actor, action="action", obj=exam, verb=f"发布考试 {exam.title[:40]}")
    return exam


# ---- taking an exam ------------------------------------------------------------------


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
            for pk in _pool(exam, rule.kind, rule.category, rule.difficulty).values_list(
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
            out[str(qid)] = _true_false(given, field="answers")
        else:
            out[str(qid)] = _letters(given, len(q.options), field="answers")
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
