"""Training classes and outside training records at /api/v1/learning (a second router on
the same prefix): plan, notice, attendance, sign-in, the approval queue, and crediting the
meetings that count as study. Thin: the gate, then a selector or a service."""

from __future__ import annotations

from ninja import Query, Router, Status

from dangjian.api.paging import page_of
from dangjian.api.types import Id
from dangjian.core.scope import get_manageable, get_visible
from dangjian.learning import training_selectors as selectors
from dangjian.learning import training_sessions
from dangjian.learning import trainings as services
from dangjian.learning.models import OutsideRecord, TrainingClass
from dangjian.learning.training_schemas import (
    OutsideDecisionIn,
    OutsideRecordFilter,
    OutsideRecordOut,
    OutsideRecordPage,
    StudyMeetingHoursIn,
    StudyMeetingHoursOut,
    TrainingAttendanceIn,
    TrainingAttendanceOut,
    TrainingFilter,
    TrainingIn,
    TrainingNoticeOut,
    TrainingOut,
    TrainingPage,
    TrainingSessionIn,
    TrainingSessionOut,
    TrainingSessionRollIn,
    TrainingSessionRollOut,
    TrainingSignInIn,
)
from dangjian.members.models import Member
from dangjian.orgs.models import Org

router = Router(tags=["学习教育：培训班"])


def _training(request, training_id: int, *, manage: bool = False) -> TrainingClass:
    qs = TrainingClass.objects.select_related("org")
    get = get_manageable if manage else get_visible
    return get(qs, request.user, pk=training_id)


@router.get("/trainings", response=TrainingPage, summary="培训班列表")
def training_list(request, filters: Query[TrainingFilter]):
    org = None
    if filters.org is not None:
        org = get_manageable(Org.objects.all(), request.user, pk=filters.org)
    qs = selectors.trainings_for_staff(request.user, q=filters.q, year=filters.year, org=org)
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@router.post("/trainings", response={201: TrainingOut}, summary="新建培训班（计划）")
def training_create(request, payload: TrainingIn):
    """例：`{"title": "…", "org": 3, "starts_at": "2026-06-01T09:00:00+08:00", "ends_at":
    "2026-06-01T17:00:00+08:00", "hours": "8"}`。学时不得超过 LRN-5 对该时段可认定的上限。"""
    org = get_manageable(Org.objects.all(), request.user, pk=payload.org)
    training = services.training_create(
        actor=request.user,
        org=org,
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        hours=payload.hours,
        kind=payload.kind,
        place=payload.place,
        notice=payload.notice,
    )
    return Status(201, training)


@router.get("/trainings/{training_id}", response=TrainingOut, summary="培训班详情")
def training_detail(request, training_id: Id):
    return _training(request, training_id)


@router.post(
    "/trainings/{training_id}/notice",
    response=TrainingNoticeOut,
    summary="发布培训通知（默认通知举办组织及下级组织的全体党员并列入学员名单）",
)
def training_notice(request, training_id: Id):
    training = _training(request, training_id, manage=True)
    return {"added": services.training_notify(actor=request.user, training=training)}


@router.post(
    "/trainings/{training_id}/attendance",
    response=TrainingAttendanceOut,
    summary="登记学员出勤（present / leave / absent，可填缺课学时）",
)
def training_attendance(request, training_id: Id, payload: TrainingAttendanceIn):
    """出席者按培训班学时减缺课学时认定（LRN-5）；缺课超过总学时 1/7 不予结业、不认定学时
    （LRN-3）。"""
    training = _training(request, training_id, manage=True)
    member = get_manageable(Member.objects.select_related("org"), request.user, pk=payload.member)
    return services.training_attendance_mark(
        actor=request.user,
        training=training,
        member=member,
        status=payload.status,
        absent_hours=payload.absent_hours,
    )


@router.post(
    "/trainings/{training_id}/sign-in",
    response=TrainingAttendanceOut,
    summary="本人签到（须带现场签到码或二维码，幂等）",
)
def training_sign_in(request, training_id: Id, payload: TrainingSignInIn):
    training = _training(request, training_id)
    return services.training_sign_in(
        actor=request.user, training=training, code=payload.code, token=payload.token
    )


@router.get(
    "/trainings/{training_id}/sessions", response=list[TrainingSessionOut], summary="培训班课次"
)
def session_list(request, training_id: Id):
    return list(selectors.sessions_of(_training(request, training_id, manage=True)))


@router.post(
    "/trainings/{training_id}/sessions",
    response={201: TrainingSessionOut},
    summary="新增课次（连续多个半天的培训按课次点名）",
)
def session_add(request, training_id: Id, payload: TrainingSessionIn):
    """课次须在培训班时间内、互不重叠，学时不超过 LRN-5 对该时段的上限，各课次合计不超过
    培训班学时。"""
    training = _training(request, training_id, manage=True)
    session = training_sessions.session_add(actor=request.user, training=training, **payload.dict())
    return Status(201, session)


@router.post(
    "/training-sessions/{training_session_id}/roll",
    response=TrainingSessionRollOut,
    summary="课次点名（present 为出席本课次的全部党员；缺课学时随之重算）",
)
def session_roll(request, training_session_id: Id, payload: TrainingSessionRollIn):
    session = selectors.session_of(
        TrainingClass.objects.manageable_by(request.user), training_session_id
    )
    return training_sessions.session_roll(
        actor=request.user, session=session, present=set(payload.present)
    )


@router.get("/outside-records", response=OutsideRecordPage, summary="外出培训记录（审核队列）")
def record_list(request, filters: Query[OutsideRecordFilter]):
    org = None
    if filters.org is not None:
        org = get_manageable(Org.objects.all(), request.user, pk=filters.org)
    status = filters.status if filters.status in OutsideRecord.Status.values else ""
    qs = selectors.records_for_staff(request.user, status=status, org=org)
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@router.post(
    "/outside-records/{record_id}/decision",
    response=OutsideRecordOut,
    summary="审核外出培训记录（认定或不予认定，记录审核人）",
)
def record_decide(request, record_id: Id, payload: OutsideDecisionIn):
    record = get_manageable(
        OutsideRecord.objects.select_related("member__org"), request.user, pk=record_id
    )
    return services.outside_record_decide(
        actor=request.user, record=record, approve=payload.approve, reason=payload.reason
    )


@router.post(
    "/meeting-hours",
    response=StudyMeetingHoursOut,
    summary="按 LRN-5 计入党课、主题党日学时（可重复执行，不重复计入）",
)
def meeting_hours(request, payload: StudyMeetingHoursIn):
    org = get_manageable(Org.objects.all(), request.user, pk=payload.org)
    added = services.meeting_hours_credit(actor=request.user, year=payload.year, org=org)
    return {"added": added}
