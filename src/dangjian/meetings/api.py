"""The organizational-life API: the same services and gate as the pages."""

from __future__ import annotations

import json
from typing import Annotated

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import Field

from dangjian.api.types import Id, LocalTime, Page, Year
from dangjian.core.errors import DomainError
from dangjian.core.idempotency import idempotent
from dangjian.core.scope import get_manageable, get_visible, reach_of
from dangjian.meetings import exports, selectors, services
from dangjian.meetings.models import Appraisal, CriticismItem, Meeting, PlanSlot, Vote
from dangjian.meetings.schemas import (
    AppraisalDetail,
    AppraisalIn,
    AppraisalOut,
    AttachmentOut,
    AttendanceIn,
    AttendanceOut,
    CancelIn,
    CriticismIn,
    CriticismOut,
    FinalizeIn,
    LeaveDecisionIn,
    LeaveIn,
    MakeUpIn,
    MeetingDetail,
    MeetingIn,
    MeetingOut,
    MeetingPage,
    MeetingPatch,
    NoticeOut,
    PlanIn,
    RatedOut,
    RatingsIn,
    RecordIn,
    RectificationRef,
    SelfAssessIn,
    SelfAssessOut,
    SignInCodeOut,
    SlotOut,
    SlotPatch,
    ToRectificationIn,
    VoteIn,
    VoteOut,
)
from dangjian.members.models import Member
from dangjian.orgs.models import Org

router = Router(tags=["组织生活"])


class MeetingFilter(Schema):
    org: Id | None = None
    year: Year | None = None
    kind: Meeting.Kind | None = None
    status: Meeting.Status | None = None
    quality: str = ""
    page: Page = 1
    page_size: Annotated[int, Field(le=10_000)] = 50


def _org(request, pk):
    return get_visible(Org.objects, request.user, pk=pk) if pk is not None else None


def _managed_org(request, pk):
    return get_manageable(Org.objects, request.user, pk=pk)


def _member(request, pk, label="member"):
    if pk is None:
        return None
    member = Member.objects.visible_to(request.user).filter(pk=pk).select_related("org").first()
    if member is None:
        raise DomainError("党员不存在或不在您的管理范围内", field=label)
    return member


def _people(request, data: dict) -> dict:
    for key in ("host", "recorder", "lecturer", "counterpart"):
        if key in data:
            data[key] = _member(request, data[key], key)
    if data.get("group") is not None:
        group = Org.objects.visible_to(request.user).filter(pk=data["group"]).first()
        if group is None:
            raise DomainError("党小组不存在", field="group")
        data["group"] = group
    return data


def _meeting(request, meeting_id: Id, *, manage: bool = False) -> Meeting:
    qs = Meeting.objects.select_related("org")
    if manage:
        return get_manageable(qs, request.user, pk=meeting_id)
    return get_visible(qs, request.user, pk=meeting_id)


def _detail(request, meeting: Meeting) -> Meeting:
    """The meeting with its record when the caller may read it (need to know)."""
    selectors.hide_review_flags(request.user, [meeting])
    meeting.record_visible = selectors.record_visible(request.user, meeting)
    if meeting.record_visible:
        meeting.attendance = selectors.attendance_summary(meeting)
    return meeting


# ---------------------------------------------------------------- meetings


@router.get("", response=MeetingPage, summary="会议列表（可按组织、年度、类型、状态筛选）")
def meeting_list(request, filters: Query[MeetingFilter]):
    qs = selectors.meeting_list(
        user=request.user,
        org=_org(request, filters.org),
        year=filters.year,
        kind=filters.kind or "",
        status=filters.status or "",
        quality=filters.quality,
    )
    size = max(1, min(filters.page_size, 500))
    page = max(1, filters.page)
    return {
        "count": qs.count(),
        "page": page,
        "page_size": size,
        "results": selectors.hide_review_flags(request.user, qs[(page - 1) * size : page * size]),
    }


@router.post("", response={201: MeetingOut}, summary="新建会议（计划，或补录已召开的会议）")
def meeting_create(request, payload: MeetingIn):
    """Send ``Idempotency-Key`` to make a retried request safe (it is answered, not repeated)."""

    def run():
        data = _people(request, payload.dict())
        data["org"] = _managed_org(request, data["org"])
        slot_id = data.pop("slot")
        data["slot"] = (
            get_manageable(PlanSlot.objects, request.user, pk=slot_id) if slot_id else None
        )
        meeting = services.meeting_create(actor=request.user, **data)
        return 201, MeetingOut.from_orm(meeting).model_dump(mode="json", by_alias=True)

    status, body = idempotent(
        request, run, endpoint="meetings.create", payload=payload.model_dump(mode="json")
    )
    return Status(status, body)


# ---------------------------------------------------------------- plan


class PlanFilter(Schema):
    org: Id
    year: Year | None = None


@router.get("/plan", response=list[SlotOut], summary="年度计划及完成情况")
def plan_get(request, filters: Query[PlanFilter]):
    org = _org(request, filters.org)
    rows = selectors.plan_rows(org=org, year=filters.year or timezone.localdate().year)
    out = []
    for row in rows:
        row.slot.status = row.status
        out.append(row.slot)
    return out


@router.post("/plan", response={201: list[SlotOut]}, summary="按现行规则生成年度计划（幂等）")
def plan_generate(request, payload: PlanIn):
    org = _managed_org(request, payload.org)
    services.plan_generate(actor=request.user, org=org, year=payload.year)
    return Status(201, plan_get(request, PlanFilter(org=org.pk, year=payload.year)))


@router.patch("/plan/slots/{slot_id}", response=SlotOut, summary="调整计划日期")
def plan_slot_move(request, slot_id: Id, payload: SlotPatch):
    slot = get_manageable(PlanSlot.objects.select_related("org"), request.user, pk=slot_id)
    slot = services.plan_slot_move(actor=request.user, slot=slot, planned_on=payload.planned_on)
    slot.status = selectors.slot_statuses([slot], today=timezone.localdate())[slot.pk]
    return slot


class ScheduleIn(Schema):
    topic: str = ""
    start: LocalTime | None = None
    place: str = ""


@router.post(
    "/plan/slots/{slot_id}/schedule",
    response={201: MeetingOut},
    summary="按计划项安排会议并发送通知（一步完成，重复调用返回同一会议）",
)
def plan_slot_schedule(request, slot_id: Id, payload: ScheduleIn):
    slot = get_manageable(PlanSlot.objects.select_related("org", "group"), request.user, pk=slot_id)
    meeting = services.plan_slot_schedule(
        actor=request.user, slot=slot, topic=payload.topic, start=payload.start, place=payload.place
    )
    return Status(201, meeting)


# ---------------------------------------------------------------- register


class RegisterFilter(Schema):
    org: Id
    year: Year | None = None
    format: str = "xlsx"


@router.get("/register", summary="组织生活台账导出（xlsx 或 csv）")
def register(request, filters: Query[RegisterFilter]):
    org = _managed_org(request, filters.org)
    fmt = "csv" if filters.format == "csv" else "xlsx"
    year = filters.year or timezone.localdate().year
    return exports.register_response(request, org=org, year=year, fmt=fmt)


# ---------------------------------------------------------------- appraisals


class AppraisalFilter(Schema):
    org: Id | None = None
    year: Year | None = None


@router.get("/appraisals", response=list[AppraisalOut], summary="民主评议列表")
def appraisal_list(request, filters: Query[AppraisalFilter]):
    qs = Appraisal.objects.manageable_by(request.user)
    if filters.org is not None:
        qs = qs.in_subtree(_org(request, filters.org))
    if filters.year:
        qs = qs.filter(year=filters.year)
    return list(qs[:500])


@router.post("/appraisals", response={201: AppraisalOut}, summary="开展年度民主评议")
def appraisal_open(request, payload: AppraisalIn):
    org = _managed_org(request, payload.org)
    meeting = (
        get_manageable(Meeting.objects, request.user, pk=payload.meeting)
        if payload.meeting
        else None
    )
    appraisal = services.appraisal_open(
        actor=request.user, org=org, year=payload.year, meeting=meeting
    )
    return Status(201, appraisal)


def _appraisal_visible(request, appraisal_id: Id) -> Appraisal:
    """Managers of the branch, or members taking part in it."""
    reach = reach_of(request.user)
    appraisal = get_object_or_404(Appraisal.objects.select_related("org"), pk=appraisal_id)
    if reach.covers(appraisal.org.path):
        return appraisal
    if reach.member_id and appraisal.entries.filter(member_id=reach.member_id).exists():
        return appraisal
    raise Http404


@router.get("/appraisals/{appraisal_id}", response=AppraisalDetail, summary="民主评议详情与统计")
def appraisal_detail(request, appraisal_id: Id):
    appraisal = get_manageable(
        Appraisal.objects.select_related("org"), request.user, pk=appraisal_id
    )
    appraisal.stats = selectors.appraisal_stats(appraisal)
    return appraisal


@router.post("/appraisals/{appraisal_id}/self", response=SelfAssessOut, summary="本人填写自我评价")
def appraisal_self(request, appraisal_id: Id, payload: SelfAssessIn):
    appraisal = _appraisal_visible(request, appraisal_id)
    entry = services.appraisal_self_assess(
        actor=request.user, appraisal=appraisal, text=payload.text
    )
    return entry


@router.post(
    "/appraisals/{appraisal_id}/ratings", response=RatedOut, summary="本人互评（再次提交覆盖）"
)
def appraisal_ratings(request, appraisal_id: Id, payload: RatingsIn):
    appraisal = _appraisal_visible(request, appraisal_id)
    n = services.appraisal_rate(
        actor=request.user,
        appraisal=appraisal,
        ratings={k: str(v) for k, v in payload.ratings.items()},
    )
    return {"rated": n}


@router.post("/appraisals/{appraisal_id}/finalize", response=AppraisalOut, summary="支委会评定等次")
def appraisal_finalize(request, appraisal_id: Id, payload: FinalizeIn):
    appraisal = get_manageable(
        Appraisal.objects.select_related("org"), request.user, pk=appraisal_id
    )
    return services.appraisal_finalize(
        actor=request.user,
        appraisal=appraisal,
        ratings={k: str(v) for k, v in payload.ratings.items()},
        notes=payload.notes,
        followup_deadline=payload.followup_deadline,
    )


@router.post(
    "/criticisms/{criticism_id}/rectification",
    response={201: RectificationRef},
    summary="把批评意见列入整改清单",
)
def criticism_rectify(request, criticism_id: Id, payload: ToRectificationIn):
    item = get_manageable(
        CriticismItem.objects.select_related("meeting__org", "member"),
        request.user,
        pk=criticism_id,
    )
    rect = services.criticism_to_rectification(
        actor=request.user, item=item, item_text=payload.item, deadline=payload.deadline
    )
    return Status(201, rect)


# ---------------------------------------------------------------- one meeting


@router.get(
    "/{meeting_id}",
    response=MeetingDetail,
    summary="会议详情",
    description="会议记录（minutes、resolutions、attendance）仅对有权查阅者返回，"
    "否则为 null 且 record_visible 为 false（见 docs/meetings.md 的知悉范围）。",
)
def meeting_detail(request, meeting_id: Id):
    return _detail(request, _meeting(request, meeting_id))


@router.patch("/{meeting_id}", response=MeetingOut, summary="修改会议")
def meeting_update(request, meeting_id: Id, payload: MeetingPatch):
    meeting = _meeting(request, meeting_id, manage=True)
    data = _people(request, payload.dict(exclude_unset=True))
    return services.meeting_update(actor=request.user, meeting=meeting, **data)


@router.post("/{meeting_id}/cancel", response=MeetingOut, summary="取消会议")
def meeting_cancel(request, meeting_id: Id, payload: CancelIn):
    meeting = _meeting(request, meeting_id, manage=True)
    return services.meeting_cancel(actor=request.user, meeting=meeting, reason=payload.reason)


@router.post("/{meeting_id}/notice", response=NoticeOut, summary="发送会议通知（不重复通知）")
def meeting_notice(request, meeting_id: Id):
    meeting = _meeting(request, meeting_id, manage=True)
    n = services.meeting_send_notice(actor=request.user, meeting=meeting)
    return {"notified": n, "attendees": meeting.attendances.count()}


@router.post("/{meeting_id}/record", response=MeetingDetail, summary="登记会议记录（召开）")
def meeting_record(request, meeting_id: Id, payload: RecordIn):
    meeting = _meeting(request, meeting_id, manage=True)
    data = payload.dict()
    if data["attendance"] is not None:
        data["attendance"] = {row["member"]: row["status"] for row in data["attendance"]}
    meeting = services.meeting_record(actor=request.user, meeting=meeting, **data)
    return _detail(request, meeting)


@router.post(
    "/{meeting_id}/attachments", response={201: AttachmentOut}, summary="上传照片或 PDF 附件"
)
def meeting_attach(request, meeting_id: Id, file: File[UploadedFile]):
    meeting = _meeting(request, meeting_id, manage=True)
    return Status(201, services.attachment_add(actor=request.user, meeting=meeting, upload=file))


# ---------------------------------------------------------------- attendance


@router.get("/{meeting_id}/attendance", response=list[AttendanceOut], summary="出席情况")
def attendance_list(request, meeting_id: Id):
    meeting = _meeting(request, meeting_id)
    rows = selectors.attendance_rows(meeting)
    if not reach_of(request.user).covers(meeting.org.path):
        rows = [r for r in rows if r.member_id == request.user.member_id]
    return rows


@router.post("/{meeting_id}/attendance", response=AttendanceOut, summary="书记登记出席情况")
def attendance_mark(request, meeting_id: Id, payload: AttendanceIn):
    meeting = _meeting(request, meeting_id, manage=True)
    member = _member(request, payload.member)
    return services.attendance_mark(
        actor=request.user,
        meeting=meeting,
        member=member,
        status=payload.status,
        note=payload.note,
    )


@router.post(
    "/{meeting_id}/sign-in",
    response=AttendanceOut,
    summary="本人签到（须带现场签到码或二维码，幂等）",
    description='请求体 {"code": "现场显示的6位签到码"} 或 {"token": "二维码中的内容"}；'
    "两者都没有或不正确时 422。记录的签到方式为实际使用的方式（code 或 qr）。",
)
def sign_in(request, meeting_id: Id):
    meeting = _meeting(request, meeting_id)
    data = {k: request.POST.get(k) for k in ("code", "token") if request.POST.get(k)}
    if request.content_type == "application/json" and request.body.strip():
        try:
            data = json.loads(request.body)
        except ValueError:
            raise HttpError(400, "请求体不是有效的 JSON")
        if not isinstance(data, dict):
            raise HttpError(400, "请求体应为 JSON 对象")
    code, token = data.get("code"), data.get("token")
    if code is not None and not isinstance(code, str | int):
        raise DomainError("签到码应为6位数字", field="code")
    if token is not None and not isinstance(token, str):
        raise DomainError("二维码内容无效", field="token")
    return services.meeting_sign_in(
        actor=request.user,
        meeting=meeting,
        code=str(code) if code is not None else None,
        token=token,
    )


@router.get(
    "/{meeting_id}/sign-in-code",
    response=SignInCodeOut,
    summary="当前签到码、二维码内容与签到时间（会议管理人）",
)
def sign_in_code(request, meeting_id: Id):
    meeting = _meeting(request, meeting_id, manage=True)
    return meeting


@router.post("/{meeting_id}/leave", response=AttendanceOut, summary="本人请假")
def leave(request, meeting_id: Id, payload: LeaveIn):
    meeting = _meeting(request, meeting_id)
    return services.leave_request(actor=request.user, meeting=meeting, reason=payload.reason)


@router.post("/{meeting_id}/leave-decision", response=AttendanceOut, summary="审批请假")
def leave_decision(request, meeting_id: Id, payload: LeaveDecisionIn):
    meeting = _meeting(request, meeting_id, manage=True)
    row = meeting.attendances.filter(member_id=payload.member).select_related("meeting").first()
    if row is None:
        raise DomainError("该党员没有请假申请", field="member")
    return services.leave_decide(actor=request.user, attendance=row, approve=payload.approve)


@router.post("/{meeting_id}/make-up", response=AttendanceOut, summary="本人确认补学")
def make_up(request, meeting_id: Id, payload: MakeUpIn):
    meeting = _meeting(request, meeting_id)
    return services.makeup_acknowledge(actor=request.user, meeting=meeting, note=payload.note)


# ---------------------------------------------------------------- votes


@router.get(
    "/{meeting_id}/votes",
    response=list[VoteOut],
    by_alias=True,
    summary="表决结果（会议记录的一部分）",
)
def vote_list(request, meeting_id: Id):
    meeting = _meeting(request, meeting_id)
    return list(Vote.objects.visible_to(request.user).filter(meeting=meeting))


@router.post(
    "/{meeting_id}/votes",
    response={201: VoteOut},
    by_alias=True,
    summary="登记表决（按规则判断是否达到法定人数、是否通过）",
)
def vote_create(request, meeting_id: Id, payload: VoteIn):
    meeting = _meeting(request, meeting_id, manage=True)
    vote = services.vote_record(
        actor=request.user,
        meeting=meeting,
        subject=payload.subject,
        votes_for=payload.votes_for,
        votes_against=payload.votes_against,
        abstain=payload.abstain,
        written_opinions=payload.written_opinions,
    )
    return Status(201, vote)


# ---------------------------------------------------------------- 组织生活会


@router.get("/{meeting_id}/criticisms", response=list[CriticismOut], summary="批评与自我批评")
def criticism_list(request, meeting_id: Id):
    meeting = _meeting(request, meeting_id, manage=True)
    return list(meeting.criticisms.all())


@router.post("/{meeting_id}/criticisms", response={201: CriticismOut}, summary="登记批评与自我批评")
def criticism_create(request, meeting_id: Id, payload: CriticismIn):
    meeting = _meeting(request, meeting_id, manage=True)
    item = services.criticism_add(
        actor=request.user,
        meeting=meeting,
        member=_member(request, payload.member),
        kind=payload.kind,
        content=payload.content,
        critic=_member(request, payload.critic, "critic"),
    )
    return Status(201, item)
