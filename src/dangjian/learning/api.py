"""Learning API at /api/v1/learning: courses, study sessions and heartbeats, study hours
and exemptions. Thin: the gate, then a selector or a service."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.security import django_auth

from dangjian.api.auth import BearerAuth
from dangjian.api.types import Id
from dangjian.core.errors import NotFound
from dangjian.core.scope import get_manageable, get_visible
from dangjian.learning import progress, selectors, services
from dangjian.learning.models import Course, Lesson, StudySession
from dangjian.learning.schemas import (
    CourseFilter,
    CourseIn,
    CourseOut,
    CoursePage,
    ExemptionIn,
    ExemptionOut,
    HeartbeatIn,
    HeartbeatOut,
    HoursOut,
    HoursQuery,
    SessionOut,
)
from dangjian.members.models import Member
from dangjian.orgs.models import Org

router = Router(tags=["学习教育"])
# The phone's study page reports with its login session (and CSRF token); scripts use tokens.
PLAYER_AUTH = [BearerAuth(), django_auth]


def lesson_out(lesson: Lesson) -> dict:
    return {
        "id": lesson.pk,
        "position": lesson.position,
        "title": lesson.title,
        "kind": lesson.kind,
        "kind_label": lesson.get_kind_display(),
        "duration_s": lesson.duration_s,
        "body": lesson.body,
        "media_url": reverse("learning:media", args=[lesson.pk]) if lesson.media else None,
    }


def course_out(course: Course) -> dict:
    course = Course.objects.select_related("org", "reviewer").get(pk=course.pk)
    return {
        "id": course.pk,
        "title": course.title,
        "summary": course.summary,
        "org": course.org_id,
        "org_name": course.org.name,
        "year": course.year,
        "required": course.required,
        "status": course.status,
        "status_label": course.get_status_display(),
        "reviewer": course.reviewer.get_full_name() if course.reviewer else None,
        "published_at": course.published_at,
        "lessons": [lesson_out(x) for x in selectors.lessons_of(course)],
    }


@router.get("/courses", response=CoursePage, summary="课程列表（可按组织、年度、关键词筛选）")
def course_list(request, filters: Query[CourseFilter]):
    qs = selectors.courses_for_staff(request.user, q=filters.q, year=filters.year)
    if filters.org is not None:
        org = get_manageable(Org.objects.all(), request.user, pk=filters.org)
        qs = qs.in_subtree(org)
    size, page = filters.page_size, filters.page
    rows = [
        {
            "id": c.pk,
            "title": c.title,
            "org": c.org_id,
            "org_name": c.org.name,
            "year": c.year,
            "required": c.required,
            "status": c.status,
            "lessons": c.n,
        }
        for c in qs[(page - 1) * size : page * size]
    ]
    return {"count": qs.count(), "page": page, "page_size": size, "results": rows}


@router.post("/courses", response={201: CourseOut}, summary="新建课程（草稿，含课时）")
def course_create(request, payload: CourseIn):
    """例：`{"title": "…", "org": 3, "year": 2026, "required": true, "lessons":
    [{"title": "…", "kind": "video", "duration_s": 20}, {"title": "…", "kind": "text",
    "body": "<p>…</p>"}]}`。媒体文件在管理页面上传。"""
    org = get_manageable(Org.objects.all(), request.user, pk=payload.org)
    course = services.course_create(
        actor=request.user,
        org=org,
        title=payload.title,
        year=payload.year,
        required=payload.required,
        summary=payload.summary,
        lessons=[x.model_dump() for x in payload.lessons],
    )
    return Status(201, course_out(course))


@router.get("/courses/{course_id}", response=CourseOut, summary="课程详情")
def course_detail(request, course_id: Id):
    return course_out(get_visible(Course.objects.all(), request.user, pk=course_id))


@router.post("/courses/{course_id}/publish", response=CourseOut, summary="发布课程")
def course_publish(request, course_id: Id):
    course = get_manageable(Course.objects.all(), request.user, pk=course_id)
    services.course_publish(actor=request.user, course=course)
    return course_out(course)


def _own_member(request) -> Member:
    if not request.user.member_id:
        raise Http404("对象不存在或无权访问")
    return Member.objects.select_related("org").get(pk=request.user.member_id)


@router.post(
    "/lessons/{lesson_id}/sessions",
    response={201: SessionOut},
    summary="开始学习课时（本人）",
    auth=PLAYER_AUTH,
)
def session_start(request, lesson_id: Id):
    """开始新的学习会话；本人其他进行中的会话随之结束。"""
    lesson = get_visible(Lesson.objects.select_related("course__org"), request.user, pk=lesson_id)
    member = _own_member(request)
    session = progress.session_start(member=member, lesson=lesson)
    return Status(201, {"session": session.token})


@router.post(
    "/lessons/{lesson_id}/heartbeat",
    response=HeartbeatOut,
    summary="学习进度上报（服务器计时）",
    auth=PLAYER_AUTH,
)
def session_heartbeat(request, lesson_id: Id, payload: HeartbeatIn):
    """服务器只计入距上次上报实际经过的时间，播放位置前进不得快于规定倍速；
    会话已结束时返回 409。"""
    lesson = get_visible(Lesson.objects.all(), request.user, pk=lesson_id)
    session = StudySession.objects.filter(
        token=payload.session, lesson=lesson, member_id=request.user.member_id or 0
    ).first()
    if session is None:
        raise NotFound("学习会话不存在")
    beat = progress.heartbeat(session=session, position_s=payload.position_s)
    return beat.__dict__


@router.get("/hours", response=HoursOut, summary="党员年度学时（对照要求）")
def member_hours(request, filters: Query[HoursQuery]):
    member_id = filters.member or request.user.member_id
    if member_id is None:
        raise NotFound("请指定党员（member）")
    member = get_visible(Member.objects.select_related("org"), request.user, pk=member_id)
    year = filters.year or timezone.localdate().year
    h = selectors.member_hours(member, year)
    return {
        "member": member.pk,
        "year": year,
        "total": str(h.total),
        "required": str(h.required),
        "exempt": h.exempt,
        "by_category": {k: str(v) for k, v in h.by_category.items()},
        "pending": str(h.pending),
    }


@router.post("/exemptions", response={201: ExemptionOut}, summary="登记学时豁免（EDU-6）")
def exemption_create(request, payload: ExemptionIn):
    member = get_manageable(Member.objects.select_related("org"), request.user, pk=payload.member)
    e = services.exemption_record(
        actor=request.user, member=member, year=payload.year, reason=payload.reason
    )
    return Status(
        201,
        {
            "id": e.pk,
            "member": member.pk,
            "year": e.year,
            "reason": e.reason,
            "approver": request.user.get_full_name() or request.user.username,
        },
    )
