"""Exam API at /api/v1/learning (exams, attempts) and the points API at /api/v1/points.

A member's paper never carries the answers; grading is the server's. Points: a member reads
their own ledger; managers read sums per org, never a list of people by points."""

from __future__ import annotations

from django.utils import timezone
from ninja import Query, Router, Status

from dangjian.api.types import Id
from dangjian.core.errors import NotFound
from dangjian.core.scope import get_manageable, get_visible, org_tree
from dangjian.learning import exam_attempts, exam_selectors, exam_services, points
from dangjian.learning.api import PLAYER_AUTH, _own_member
from dangjian.learning.exam_schemas import (
    AnswersIn,
    AttemptOut,
    ExamFilter,
    ExamIn,
    ExamOut,
    ExamPage,
    OrgPointsList,
    OrgPointsQuery,
    PointsOut,
    PointsQuery,
    ResultOut,
    SavedOut,
)
from dangjian.learning.models import Attempt, Course, Exam
from dangjian.orgs.models import Org

router = Router(tags=["学习教育：考试"])
points_router = Router(tags=["学习教育：积分"])


def exam_out(exam: Exam) -> dict:
    exam = Exam.objects.select_related("org").get(pk=exam.pk)
    items = exam.items.select_related("question").order_by("position", "id")
    return {
        "id": exam.pk,
        "title": exam.title,
        "org": exam.org_id,
        "org_name": exam.org.name,
        "status": exam.status,
        "status_label": exam.get_status_display(),
        "mode": exam.mode,
        "pass_score": exam.pass_score,
        "full_marks": exam_services.full_marks(exam),
        "attempts": exam.attempts,
        "time_limit_min": exam.time_limit_min,
        "opens_at": exam.opens_at,
        "closes_at": exam.closes_at,
        "course": exam.course_id,
        "questions": [
            {
                "id": i.question.pk,
                "kind": i.question.kind,
                "kind_label": i.question.get_kind_display(),
                "text": i.question.text,
                "options": i.question.options,
                "answer": i.question.answer,
                "score": i.score,
            }
            for i in items
        ],
    }


def attempt_out(attempt: Attempt) -> dict:
    return {
        "id": attempt.pk,
        "exam": attempt.exam_id,
        "number": attempt.number,
        "started_at": attempt.started_at,
        "deadline_at": attempt.deadline_at,
        "submitted_at": attempt.submitted_at,
        "total": attempt.total,
        "score": attempt.score,
        "passed": attempt.passed,
        "answers": attempt.answers,
        "questions": exam_attempts.paper_out(attempt),
    }


@router.get("/exams", response=ExamPage, summary="考试列表（管理）")
def exam_list(request, filters: Query[ExamFilter]):
    org = None
    if filters.org is not None:
        org = get_manageable(Org.objects.all(), request.user, pk=filters.org)
    qs = exam_selectors.exams_for_staff(request.user, q=filters.q, org=org)
    size, page = filters.page_size, filters.page
    rows = [
        {
            "id": e.pk,
            "title": e.title,
            "org": e.org_id,
            "org_name": e.org.name,
            "status": e.status,
            "mode": e.mode,
            "pass_score": e.pass_score,
            "attempts": e.attempts,
        }
        for e in qs[(page - 1) * size : page * size]
    ]
    return {"count": qs.count(), "page": page, "page_size": size, "results": rows}


@router.post("/exams", response={201: ExamOut}, summary="新建考试（固定试题，默认立即发布）")
def exam_create(request, payload: ExamIn):
    """例：`{"title": "…", "org": 3, "pass_score": 60, "attempts": 2, "questions": [{"kind":
    "single", "text": "…", "options": ["…", "…"], "answer": ["A"], "score": 10}]}`。
    试题存入以考试命名的新题库；随机组卷在管理页面按题库设置。"""
    org = get_manageable(Org.objects.all(), request.user, pk=payload.org)
    course = None
    if payload.course is not None:
        course = get_visible(Course.objects.all(), request.user, pk=payload.course)
    exam = exam_services.exam_create(
        actor=request.user,
        org=org,
        title=payload.title,
        pass_score=payload.pass_score,
        attempts=payload.attempts,
        time_limit_min=payload.time_limit_min,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        course=course,
        questions=[q.model_dump() for q in payload.questions],
        publish=payload.publish,
    )
    return Status(201, exam_out(exam))


@router.get("/exams/{exam_id}", response=ExamOut, summary="考试详情（管理，含答案）")
def exam_detail(request, exam_id: Id):
    return exam_out(get_manageable(Exam.objects.all(), request.user, pk=exam_id))


@router.post("/exams/{exam_id}/publish", response=ExamOut, summary="发布考试")
def exam_publish(request, exam_id: Id):
    exam = get_manageable(Exam.objects.all(), request.user, pk=exam_id)
    exam_services.exam_publish(actor=request.user, exam=exam)
    return exam_out(exam)


@router.post(
    "/exams/{exam_id}/attempts",
    response={201: AttemptOut},
    summary="开始考试（本人），返回不含答案的试卷",
    auth=PLAYER_AUTH,
)
def attempt_start(request, exam_id: Id):
    """未交卷时再次调用返回同一份答卷；次数用完、已通过、不在考试时间内时返回 409。"""
    exam = get_visible(Exam.objects.select_related("org"), request.user, pk=exam_id)
    member = _own_member(request)
    attempt = exam_attempts.attempt_start(actor=request.user, member=member, exam=exam)
    return Status(201, attempt_out(attempt))


def _own_attempt(request, attempt_id: int) -> Attempt:
    """The user's own attempt (404 for anyone else's, as for one that does not exist)."""
    attempt = (
        Attempt.objects.filter(member_id=request.user.member_id or 0, pk=attempt_id)
        .select_related("exam", "member__org")
        .first()
    )
    if attempt is None:
        raise NotFound()
    return attempt


@router.get("/attempts/{attempt_id}", response=AttemptOut, summary="答卷（本人或管理者）")
def attempt_detail(request, attempt_id: Id):
    return attempt_out(get_visible(Attempt.objects.all(), request.user, pk=attempt_id))


@router.post(
    "/attempts/{attempt_id}/answers",
    response=SavedOut,
    summary="保存作答（本人，交卷前可多次保存）",
    auth=PLAYER_AUTH,
)
def attempt_save(request, attempt_id: Id, payload: AnswersIn):
    attempt = exam_attempts.attempt_save(
        actor=request.user, attempt=_own_attempt(request, attempt_id), answers=payload.answers
    )
    return {"saved": len(attempt.answers), "saved_at": attempt.saved_at}


@router.post(
    "/attempts/{attempt_id}/submit",
    response=ResultOut,
    summary="交卷（本人），服务器评分；重复提交返回首次结果",
    auth=PLAYER_AUTH,
)
def attempt_submit(request, attempt_id: Id, payload: AnswersIn):
    """超过限时加宽限（EXM-1）后的交卷不再接收本次作答，按时限内已保存的作答评分。"""
    attempt = exam_attempts.attempt_submit(
        actor=request.user, attempt=_own_attempt(request, attempt_id), answers=payload.answers
    )
    return {
        "score": attempt.score,
        "passed": attempt.passed,
        "total": attempt.total,
        "late": attempt.late,
        "submitted_at": attempt.submitted_at,
    }


@points_router.get("", response=PointsOut, summary="本人年度积分明细")
def my_points(request, filters: Query[PointsQuery]):
    """积分只向本人公开：查询他人的积分返回 404；组织汇总见 /points/orgs。"""
    member_id = request.user.member_id
    if member_id is None or (filters.member is not None and filters.member != member_id):
        raise NotFound("只能查看本人的积分")
    year = filters.year or timezone.localdate().year
    member = _own_member(request)
    total, entries = points.member_points(member, year)
    return {"member": member.pk, "year": year, "total": total, "entries": list(entries[:500])}


@points_router.get("/orgs", response=OrgPointsList, summary="积分按组织汇总（不列个人）")
def org_points(request, filters: Query[OrgPointsQuery]):
    orgs = org_tree().choices(request.user)
    if filters.org is not None:
        org = get_manageable(Org.objects.all(), request.user, pk=filters.org)
    else:
        org = orgs.order_by("path").first()
        if org is None:
            raise NotFound("没有可查看的组织")
    year = filters.year or timezone.localdate().year
    rows = points.org_points(exam_selectors.org_and_children(org), year)
    return {
        "year": year,
        "results": [
            {
                "org": r.org.pk,
                "org_name": r.org.name,
                "members": r.members,
                "with_points": r.with_points,
                "total": r.total,
                "average": r.average,
            }
            for r in rows
        ],
    }
