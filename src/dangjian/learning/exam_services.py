"""Every change to question banks and exams (issue 12, part 6): banks and their questions,
an exam and its paper (fixed questions or random rules) while it is a draft, publishing.
Taking an exam: ``exam_attempts``."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.db import transaction
from django.utils import timezone

from dangjian.core.actors import actor_user
from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError
from dangjian.learning.models import Course
from dangjian.learning.models_exams import (
    Exam,
    ExamItem,
    ExamRule,
    Question,
    QuestionBank,
)
from dangjian.learning.services import _text
from dangjian.orgs.models import Org

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


def answer_letters(values, n_options: int, *, field: str) -> list[str]:
    out = []
    for v in values:
        letter = str(v).strip().upper()
        if len(letter) != 1 or letter not in LETTERS[:n_options]:
            raise DomainError(f"答案须为选项字母 A–{LETTERS[n_options - 1]}", field=field)
        out.append(letter)
    return sorted(set(out))


def answer_true_false(values, *, field: str) -> list[str]:
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
        answer = answer_letters(answer, len(options), field=f"{f}answer")
        if kind == Question.Kind.SINGLE and len(answer) != 1:
            raise DomainError("单选题只能有一个正确答案", field=f"{f}answer")
    elif kind == Question.Kind.TRUE_FALSE:
        options = list(TRUE_FALSE)
        answer = answer_true_false(answer, field=f"{f}answer")
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


def _exam_values(
    *, org: Org, title, pass_score, attempts, time_limit_min, opens_at, closes_at, course
) -> dict:
    """The checked settings of an exam (everything but its org, mode and bank)."""
    _window(opens_at, closes_at)
    if course is not None and not org.path.startswith(course.org.path):
        raise DomainError("关联课程须面向本组织或上级组织", field="course")
    return {
        "title": _text(title, field="title", label="考试名称", limit=100),
        "pass_score": _int(pass_score, field="pass_score", label="及格分", low=0, high=10_000),
        "attempts": _int(attempts, field="attempts", label="可考次数", low=1, high=20),
        "time_limit_min": (
            _int(time_limit_min, field="time_limit_min", label="限时（分钟）", low=1, high=600)
            if time_limit_min not in (None, "")
            else None
        ),
        "opens_at": opens_at,
        "closes_at": closes_at,
        "course": course,
    }


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
    if mode == Exam.Mode.RANDOM and bank is None:
        raise DomainError("随机组卷须选择题库", field="bank")
    if (
        bank is not None
        and not org.path.startswith(bank.org.path)
        and not bank.org.path.startswith(org.path)
    ):
        raise DomainError("题库须属于本组织的上级或下级组织", field="bank")
    values = _exam_values(
        org=org,
        title=title,
        pass_score=pass_score,
        attempts=attempts,
        time_limit_min=time_limit_min,
        opens_at=opens_at,
        closes_at=closes_at,
        course=course,
    )
    exam = Exam.objects.create(
        org=org, mode=mode, bank=bank, created_by=actor_user(actor), **values
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
def exam_update(*, actor, exam: Exam, **settings) -> Exam:
    """Change a draft's settings (its org, mode and bank stay: the paper rests on them)."""
    exam = Exam.objects.select_for_update(of=("self",)).select_related("org").get(pk=exam.pk)
    _editable(exam)
    for name, value in _exam_values(org=exam.org, **settings).items():
        setattr(exam, name, value)
    exam.save()
    audit(actor=actor, action="update", obj=exam, verb=f"修改考试 {exam.title[:40]}")
    return exam


@transaction.atomic
def exam_paper_remove(*, actor, exam: Exam, item_id=None, rule_id=None) -> None:
    """Take a question (fixed paper; the rest are renumbered) or a random rule off a draft."""
    exam = Exam.objects.select_for_update().get(pk=exam.pk)
    _editable(exam)
    if item_id is not None:
        deleted, _ = exam.items.filter(pk=item_id).delete()
        items = list(exam.items.order_by("position", "id"))
        for position, item in enumerate(items, start=1):
            item.position = position
        ExamItem.objects.bulk_update(items, ["position"])
        what = "试题"
    else:
        deleted, _ = exam.rules.filter(pk=rule_id).delete()
        what = "抽题规则"
    if not deleted:
        raise DomainError(f"{what}不在这份试卷中")
    audit(actor=actor, action="update", obj=exam, verb=f"考试 {exam.title[:30]} 移除{what}")


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


def question_pool(exam: Exam, kind: str, category: str, difficulty: str):
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
    available = question_pool(exam, kind, category, difficulty).count()
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
