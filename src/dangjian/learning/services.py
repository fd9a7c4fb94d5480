"""Every change to learning data: courses and lessons (draft → published, with the
reviewer), the study-hour ledger and EDU-6 exemptions. Study sessions: ``progress``."""

from __future__ import annotations

import datetime as dt

import nh3
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dangjian.core.actors import SYSTEM, actor_user
from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.uploads import accept
from dangjian.learning.models import Course, Lesson, LessonProgress, StudyCredit, StudyExemption
from dangjian.learning.points import point_award
from dangjian.learning.policy import study_policy
from dangjian.members.models import Member
from dangjian.orgs.models import Org

YEARS = (2000, 2100)
MAX_DURATION_S = 6 * 3600
BODY_MAX = 50_000
# Content types a lesson's file may have, by kind (judged from its first bytes).
MEDIA_TYPES = {
    Lesson.Kind.IMAGE: frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"}),
    Lesson.Kind.AUDIO: frozenset({"audio/wav", "audio/mpeg", "audio/ogg", "audio/mp4"}),
    Lesson.Kind.VIDEO: frozenset({"video/mp4", "video/webm"}),
    Lesson.Kind.DOCUMENT: frozenset({"application/pdf"}),
}
MEDIA_HINT = {
    Lesson.Kind.IMAGE: "图片须为 PNG、JPEG、GIF 或 WebP",
    Lesson.Kind.AUDIO: "音频须为 WAV、MP3、OGG 或 M4A",
    Lesson.Kind.VIDEO: "视频须为 MP4 或 WebM",
    Lesson.Kind.DOCUMENT: "文档须为 PDF",
}


def _text(value: str | None, *, field: str, label: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"请填写{label}", field=field)
    if len(value) > limit:
        raise DomainError(f"{label}过长（最多 {limit} 字）", field=field)
    return value


def _year(year) -> int:
    if not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]:
        raise DomainError("年度无效", field="year")
    return year


def _check_course(title: str, summary: str, year) -> tuple[str, str, int]:
    return (
        _text(title, field="title", label="课程名称", limit=100, required=True),
        _text(summary, field="summary", label="简介", limit=300, required=False),
        _year(year),
    )


def _lesson_values(
    *, title: str, kind: str, duration_s, body: str, media, field_prefix: str = ""
) -> dict:
    f = field_prefix
    if kind not in Lesson.Kind.values:
        raise DomainError(
            "课时类型无效，可选：" + "、".join(f"{k.value}（{k.label}）" for k in Lesson.Kind),
            field=f"{f}kind",
        )
    duration_s = int(duration_s or 0)
    if not 0 <= duration_s <= MAX_DURATION_S:
        raise DomainError("时长须在 0 到 6 小时之间", field=f"{f}duration_s")
    if kind in (Lesson.Kind.AUDIO, Lesson.Kind.VIDEO) and duration_s <= 0:
        raise DomainError("音频、视频课时须填写时长（秒）", field=f"{f}duration_s")
    if len(body or "") > BODY_MAX:
        raise DomainError("正文过长", field=f"{f}body")
    values = {
        "title": _text(title, field=f"{f}title", label="课时名称", limit=100, required=True),
        "kind": kind,
        "duration_s": duration_s,
        "body": nh3.clean(body or "").strip(),
    }
    if media is not None:
        if kind not in MEDIA_TYPES:
            raise DomainError("该类型的课时不需要上传文件", field="file")
        ctype, _ext = accept(media, MEDIA_TYPES[kind], type_message=MEDIA_HINT[kind])
        values |= {"media": media, "media_type": ctype}
    return values


def _editable(course: Course) -> None:
    if course.status != Course.Status.DRAFT:
        raise Conflict("课程已发布，不能再修改课时")


@transaction.atomic
def course_create(
    *,
    actor,
    org: Org,
    title: str,
    year: int,
    required: bool = False,
    summary: str = "",
    lessons: list[dict] | None = None,
) -> Course:
    """A draft course for ``org``'s subtree, with its lessons (each a dict of
    ``lesson_add``'s keyword arguments)."""
    title, summary, year = _check_course(title, summary, year)
    course = Course.objects.create(
        org=org,
        title=title,
        summary=summary,
        year=year,
        required=bool(required),
        created_by=actor_user(actor),
    )
    for i, spec in enumerate(lessons or []):
        values = _lesson_values(
            title=spec.get("title", ""),
            kind=spec.get("kind", ""),
            duration_s=spec.get("duration_s"),
            body=spec.get("body", ""),
            media=spec.get("media"),
            field_prefix=f"lessons.{i}.",
        )
        Lesson.objects.create(course=course, position=i + 1, **values)
    audit(actor=actor, action="create", obj=course, org=org, verb=f"新建课程 {title[:40]}")
    return course


@transaction.atomic
def course_update(
    *, actor, course: Course, title: str, year: int, required: bool, summary: str = ""
) -> Course:
    title, summary, year = _check_course(title, summary, year)
    course.title, course.summary, course.year, course.required = title, summary, year, required
    course.save(update_fields=["title", "summary", "year", "required", "updated_at"])
    audit(actor=actor, action="update", obj=course, verb=f"修改课程 {title[:40]}")
    return course


@transaction.atomic
def lesson_add(
    *, actor, course: Course, title: str, kind: str, duration_s=0, body: str = "", media=None
) -> Lesson:
    _editable(course)
    values = _lesson_values(title=title, kind=kind, duration_s=duration_s, body=body, media=media)
    last = course.lessons.aggregate(n=Max("position"))["n"] or 0
    lesson = Lesson.objects.create(course=course, position=last + 1, **values)
    audit(
        actor=actor,
        action="create",
        obj=lesson,
        org=course.org,
        verb=f"课程增加课时 {lesson.title[:40]}",
    )
    return lesson


@transaction.atomic
def lesson_update(
    *, actor, lesson: Lesson, title: str, kind: str, duration_s=0, body: str = "", media=None
) -> Lesson:
    _editable(lesson.course)
    values = _lesson_values(title=title, kind=kind, duration_s=duration_s, body=body, media=media)
    if kind not in MEDIA_TYPES:
        values |= {"media": "", "media_type": ""}
    for key, value in values.items():
        setattr(lesson, key, value)
    lesson.save()
    audit(
        actor=actor,
        action="update",
        obj=lesson,
        org=lesson.course.org,
        verb=f"修改课时 {lesson.title[:40]}",
    )
    return lesson


@transaction.atomic
def lesson_delete(*, actor, lesson: Lesson) -> None:
    _editable(lesson.course)
    audit(
        actor=actor,
        action="delete",
        obj=lesson,
        org=lesson.course.org,
        verb=f"删除课时 {lesson.title[:40]}",
    )
    lesson.delete()


@transaction.atomic
def course_publish(*, actor, course: Course, now: dt.datetime | None = None) -> Course:
    """Publish a draft course to its org's subtree; the publisher is recorded as reviewer."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status == Course.Status.PUBLISHED:
        raise Conflict("课程已发布")
    if not course.lessons.exists():
        raise DomainError("课程至少需要一个课时才能发布", field="lessons")
    course.status = Course.Status.PUBLISHED
    course.reviewer = actor_user(actor)
    course.published_at = now or timezone.now()
    course.save(update_fields=["status", "reviewer", "published_at", "updated_at"])
    audit(actor=actor, action="action", obj=course, verb=f"发布课程 {course.title[:40]}")
    return course


def online_credit(
    *, member: Member, hours, title: str, source: tuple[str, int], policy, now, verb: str
) -> StudyCredit:
    """An approved online-study row of the ledger, by ``policy``'s rule (LRN-4)."""
    credit = StudyCredit.objects.create(
        member=member,
        year=timezone.localdate(now).year,
        category=StudyCredit.Category.ONLINE,
        hours=hours,
        title=title,
        source_type=source[0],
        source_id=source[1],
        rule_code=policy.rule.code,
        rule_version=policy.rule.version,
        status=StudyCredit.Status.APPROVED,
        approved_at=now,
    )
    audit(
        actor=SYSTEM,
        action="create",
        obj=credit,
        org_path=member.org.path,
        verb=f"{verb}，按 {policy.rule.code} 记 {hours} 学时",
    )
    return credit


def course_credit(*, member: Member, course: Course, now: dt.datetime) -> StudyCredit | None:
    """When every lesson of ``course`` is completed by ``member``: the course's hours by
    LRN-4 (its total length), once (idempotent per member and course). Called inside the
    heartbeat's transaction."""
    lessons = list(course.lessons.values_list("pk", "duration_s"))
    done = LessonProgress.objects.filter(
        member=member, lesson__course=course, completed_at__isnull=False
    ).count()
    if done < len(lessons):
        return None
    if StudyCredit.objects.filter(
        member=member, source_type="learning.course", source_id=course.pk
    ).exists():
        return None
    policy = study_policy(timezone.localdate(now))
    hours = policy.course_hours(sum(d for _, d in lessons))
    if hours <= 0:
        return None
    credit = online_credit(
        member=member,
        hours=hours,
        title=f"网络课程：{course.title}",
        source=("learning.course", course.pk),
        policy=policy,
        now=now,
        verb=f"{member.name} 学完课程",
    )
    point_award(
        event="course_completed",
        member=member,
        source=course,
        title=f"学完课程：{course.title}",
        on=timezone.localdate(now),
    )
    return credit


@transaction.atomic
def exemption_record(*, actor, member: Member, year: int, reason: str) -> StudyExemption:
    """EDU-6: the member has no hard study-hour requirement in ``year``."""
    year = _year(year)
    reason = _text(reason, field="reason", label="豁免原因", limit=200, required=True)
    if StudyExemption.objects.filter(member=member, year=year).exists():
        raise Conflict("该党员本年度已登记豁免", field="member")
    exemption = StudyExemption.objects.create(
        member=member, year=year, reason=reason, approver=actor_user(actor)
    )
    audit(
        actor=actor,
        action="create",
        obj=exemption,
        org_path=member.org.path,
        verb=f"{member.name} {year} 年学时豁免（EDU-6）",
    )
    return exemption
