"""Surveys and polls: questions of five kinds, open and close dates, one answer per person
(the roll ``SurveyVoter``) or per one-time token (``SurveyToken``), anonymous responses that
nothing links to a person, and the results."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections import Counter

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.core.actors import actor_user
from dangjian.core.audit import audit
from dangjian.core.checks import checked_text
from dangjian.core.dates import check_sensible_date
from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.models import AuditEntry
from dangjian.engagement.models import (
    RATING_MAX,
    Question,
    Survey,
    SurveyResponse,
    SurveyToken,
    SurveyVoter,
)
from dangjian.orgs.models import Org

K = Question.Kind
MAX_QUESTIONS = 100
MAX_OPTIONS = 30
MAX_TOKENS = 2000  # per batch
CHOICE_KINDS = (K.SINGLE, K.MULTIPLE, K.MATRIX)


def token_digest(token: str) -> str:
    return hashlib.sha256(str(token or "").strip().encode()).hexdigest()


def _strings(values, *, field: str, label: str, least: int) -> list[str]:
    if not isinstance(values, list | tuple):
        raise DomainError(f"{label}应为列表", field=field)
    out = [
        checked_text(v if isinstance(v, str) else "", field=field, label=label, limit=200)
        for v in values
    ]
    if len(out) < least:
        raise DomainError(f"{label}至少 {least} 项", field=field)
    if len(out) > MAX_OPTIONS:
        raise DomainError(f"{label}最多 {MAX_OPTIONS} 项", field=field)
    if len(set(out)) != len(out):
        raise DomainError(f"{label}有重复", field=field)
    return out


def _questions(rows) -> list[Question]:
    if not isinstance(rows, list) or not rows:
        raise DomainError("请至少添加一道题目", field="questions")
    if len(rows) > MAX_QUESTIONS:
        raise DomainError(f"题目最多 {MAX_QUESTIONS} 道", field="questions")
    out = []
    for i, row in enumerate(rows):
        f = f"questions.{i}."
        if not isinstance(row, dict):
            raise DomainError(f"第{i + 1}题格式不正确", field=f"questions.{i}")
        kind = row.get("kind")
        if kind not in K.values:
            raise DomainError(
                f"第{i + 1}题题型只能是单选、多选、填空、评分或矩阵单选", field=f"{f}kind"
            )
        text = checked_text(
            row.get("text") if isinstance(row.get("text"), str) else "",
            field=f"{f}text",
            label=f"第{i + 1}题题目",
            limit=300,
        )
        options = rows_ = []
        if kind in CHOICE_KINDS:
            options = _strings(row.get("options"), field=f"{f}options", label="选项", least=2)
        if kind == K.MATRIX:
            rows_ = _strings(row.get("rows"), field=f"{f}rows", label="矩阵行", least=1)
        required = row.get("required", True)
        out.append(
            Question(
                number=i + 1,
                kind=kind,
                text=text,
                options=options,
                rows=rows_,
                required=bool(required),
            )
        )
    return out


def _dates(opens_on, closes_on) -> None:
    for name, day in (("opens_on", opens_on), ("closes_on", closes_on)):
        if day is not None:
            check_sensible_date(day, field=name)
    if opens_on and closes_on and closes_on < opens_on:
        raise DomainError("截止日期不能早于开始日期", field="closes_on")


def _checked(
    title, intro, anonymous, audience, satisfaction, opens_on, closes_on, questions
) -> tuple[dict, list[Question]]:
    """A survey's fields and its questions as ``survey_create`` and ``survey_update`` store
    them, each checked: a bad one raises ``DomainError`` naming its field."""
    title = checked_text(title, field="title", label="标题", limit=200)
    intro = checked_text(intro, field="intro", label="说明", limit=2000, required=False)
    if audience not in Survey.Audience.values:
        raise DomainError("对象只能是本组织及下级党员或公开链接", field="audience")
    _dates(opens_on, closes_on)
    made = _questions(questions)
    if satisfaction and not any(q.kind == K.RATING for q in made):
        raise DomainError("满意度测评至少要有一道评分题", field="satisfaction")
    fields = {
        "title": title,
        "intro": intro,
        "anonymous": bool(anonymous),
        "audience": audience,
        "satisfaction": bool(satisfaction),
        "opens_on": opens_on,
        "closes_on": closes_on,
    }
    return fields, made


def _store_questions(survey: Survey, made: list[Question]) -> None:
    for q in made:
        q.survey = survey
    Question.objects.bulk_create(made)


@transaction.atomic
def survey_create(
    *,
    actor,
    org: Org,
    title: str,
    questions: list[dict],
    intro: str = "",
    anonymous: bool = True,
    audience: str = Survey.Audience.SUBTREE,
    satisfaction: bool = False,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
) -> Survey:
    fields, made = _checked(
        title, intro, anonymous, audience, satisfaction, opens_on, closes_on, questions
    )
    survey = Survey.objects.create(org=org, created_by=actor_user(actor), **fields)
    _store_questions(survey, made)
    audit(actor=actor, action=AuditEntry.Action.CREATE, obj=survey, verb="创建调查")
    return survey


@transaction.atomic
def survey_update(
    *,
    actor,
    survey: Survey,
    title: str,
    questions: list[dict],
    intro: str = "",
    anonymous: bool = True,
    audience: str = Survey.Audience.SUBTREE,
    satisfaction: bool = False,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
) -> Survey:
    """A draft rewritten whole, questions included (nobody has answered a draft); once
    published its questions stay as they were answered."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.DRAFT:
        raise Conflict("调查已发布，题目和设置不能再修改")
    fields, made = _checked(
        title, intro, anonymous, audience, satisfaction, opens_on, closes_on, questions
    )
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.save(update_fields=[*fields, "updated_at"])
    survey.questions.all().delete()
    _store_questions(survey, made)
    audit(actor=actor, action=AuditEntry.Action.UPDATE, obj=survey, verb="修改调查草稿")
    return survey


@transaction.atomic
def survey_open(*, actor, survey: Survey, today: dt.date | None = None) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.DRAFT:
        raise Conflict("只有草稿状态的调查可以发布")
    today = today or timezone.localdate()
    if survey.closes_on and survey.closes_on < today:
        raise DomainError("截止日期已过，请先修改截止日期", field="closes_on")
    survey.status = Survey.Status.OPEN
    survey.opens_on = survey.opens_on or today
    survey.save(update_fields=["status", "opens_on", "updated_at"])
    audit(actor=actor, action=AuditEntry.Action.UPDATE, obj=survey, verb="发布调查")
    return survey


@transaction.atomic
def survey_close(*, actor, survey: Survey, today: dt.date | None = None) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.OPEN:
        raise Conflict("只有进行中的调查可以结束")
    survey.status = Survey.Status.CLOSED
    survey.closes_on = min(survey.closes_on or dt.date.max, today or timezone.localdate())
    survey.save(update_fields=["status", "closes_on", "updated_at"])
    audit(actor=actor, action=AuditEntry.Action.UPDATE, obj=survey, verb="结束调查")
    return survey


@transaction.atomic
def survey_tokens_issue(*, actor, survey: Survey, count: int) -> list[str]:
    """``count`` one-time tokens for a public survey; the tokens themselves are returned
    once (to hand out) and only their digests kept."""
    if survey.audience != Survey.Audience.PUBLIC:
        raise DomainError("只有公开链接的调查需要一次性口令", field="count")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_TOKENS:
        raise DomainError(f"口令数量应为1至{MAX_TOKENS}", field="count")
    tokens = [secrets.token_urlsafe(12) for _ in range(count)]
    SurveyToken.objects.bulk_create(
        [SurveyToken(survey=survey, digest=token_digest(t)) for t in tokens]
    )
    audit(
        actor=actor, action=AuditEntry.Action.CREATE, obj=survey, verb=f"生成一次性口令 {count} 个"
    )
    return tokens


def _answer(q: Question, value, i: int):
    """One answer checked against its question: a list (``[0]``, ``[0, 2]``, ``[4]``,
    ``["文字"]``, one option per matrix row); ``[]`` when not answered."""
    field = f"answers.{i}"
    label = f"第{q.number}题"
    if value is None or value == [] or value == "":
        if q.required:
            raise DomainError(f"{label}为必答题", field=field)
        return []
    if not isinstance(value, list):
        value = [value]
    if q.kind == K.TEXT:
        if len(value) != 1 or not isinstance(value[0], str):
            raise DomainError(f"{label}应填写文字", field=field)
        text = checked_text(value[0], field=field, label=label, limit=1000, required=q.required)
        return [text] if text else []
    if any(isinstance(v, bool) or not isinstance(v, int) for v in value):
        raise DomainError(f"{label}的答案应为选项序号", field=field)
    n = len(q.options)
    if q.kind == K.SINGLE:
        if len(value) != 1 or not 0 <= value[0] < n:
            raise DomainError(f"{label}请选择一个选项", field=field)
    elif q.kind == K.MULTIPLE:
        if len(set(value)) != len(value) or not all(0 <= v < n for v in value):
            raise DomainError(f"{label}的选项不正确", field=field)
        value = sorted(value)
    elif q.kind == K.RATING:
        if len(value) != 1 or not 1 <= value[0] <= RATING_MAX:
            raise DomainError(f"{label}请评1至{RATING_MAX}分", field=field)
    elif q.kind == K.MATRIX and (len(value) != len(q.rows) or not all(0 <= v < n for v in value)):
        raise DomainError(f"{label}每一行请选择一个选项", field=field)
    return value


def _answers(survey: Survey, answers) -> list:
    questions = list(survey.questions.all())
    if not isinstance(answers, list) or len(answers) != len(questions):
        raise DomainError(f"答案应为 {len(questions)} 项，与题目一一对应", field="answers")
    return [_answer(q, v, i) for i, (q, v) in enumerate(zip(questions, answers, strict=True))]


def can_answer(user, survey: Survey) -> bool:
    """A subtree survey is for the members on the rolls of its org's subtree."""
    member_id = getattr(user, "member_id", None)
    if not member_id:
        return False
    from dangjian.members.models import Member

    return Member.objects.on_rolls().in_subtree(survey.org).filter(pk=member_id).exists()


@transaction.atomic
def survey_respond(
    *, actor, survey: Survey, answers, token: str = "", today: dt.date | None = None
) -> None:
    """Record one response: a member of the audience once (the roll), or a public token
    once. An anonymous response holds the answers only."""
    survey = Survey.objects.select_for_update().select_related("org").get(pk=survey.pk)
    today = today or timezone.localdate()
    if survey.status == Survey.Status.DRAFT or (survey.opens_on and today < survey.opens_on):
        raise Conflict("该调查尚未开始")
    if survey.status == Survey.Status.CLOSED or (survey.closes_on and today > survey.closes_on):
        raise Conflict("该调查已结束")
    clean = _answers(survey, answers)
    user = actor_user(actor)
    if survey.audience == Survey.Audience.PUBLIC:
        row = SurveyToken.objects.filter(survey=survey, digest=token_digest(token)).first()
        if not token or row is None:
            raise DomainError("口令无效，请使用调查组织方提供的链接", field="token")
        if SurveyToken.objects.filter(pk=row.pk, used=False).update(used=True) != 1:
            raise Conflict("该口令已使用过，每个口令只能答卷一次")
    else:
        if not can_answer(user, survey):
            raise Forbidden("您不在该调查的对象范围内")
        try:
            with transaction.atomic():
                SurveyVoter.objects.create(survey=survey, user=user)
        except IntegrityError:
            raise Conflict("您已参加过该调查，每人只能答卷一次") from None
    SurveyResponse.objects.create(
        survey=survey, answers=clean, respondent=None if survey.anonymous else user
    )
    # The audit says that someone took part, never what they answered.
    audit(actor=actor, action=AuditEntry.Action.CREATE, obj=survey, verb="参加调查")


def survey_results(survey: Survey) -> dict:
    """Counts per question (per option; per score for a rating, with the average; per row
    and option for a matrix; answered for a text). Two queries."""
    questions = list(survey.questions.all())
    answers = list(SurveyResponse.objects.filter(survey=survey).values_list("answers", flat=True))
    out = []
    for i, q in enumerate(questions):
        given = [a[i] for a in answers if i < len(a) and a[i]]
        row = {
            "number": q.number,
            "kind": q.kind,
            "text": q.text,
            "options": q.options,
            "rows": q.rows,
            "answered": len(given),
        }
        if q.kind in (K.SINGLE, K.MULTIPLE):
            c = Counter(v for a in given for v in a)
            row["counts"] = [c.get(j, 0) for j in range(len(q.options))]
        elif q.kind == K.RATING:
            c = Counter(a[0] for a in given)
            row["counts"] = [c.get(s, 0) for s in range(1, RATING_MAX + 1)]
            row["options"] = [f"{s}分" for s in range(1, RATING_MAX + 1)]
            row["average"] = round(sum(a[0] for a in given) / len(given), 2) if given else None
        elif q.kind == K.MATRIX:
            row["counts"] = [
                [sum(1 for a in given if a[r] == j) for j in range(len(q.options))]
                for r in range(len(q.rows))
            ]
        else:
            row["counts"] = [len(given)]
            row["texts"] = [a[0] for a in given]
        out.append(row)
    return {"responses": len(answers), "questions": out}
