"""Talent API at /api/v1/talent: nominations and their review, the member's consent, the
pool search, profiles (with the training record read from learning), re-confirmation,
retirement, certificates, assignments; training tracks and their progress. Thin: the gate
(404 outside reach), then a selector or a service; the nomination accepts an
``Idempotency-Key``."""

from __future__ import annotations

from ninja import Query, Router, Status

from dangjian.api.paging import page_of
from dangjian.api.types import Id
from dangjian.core.idempotency import idempotent
from dangjian.core.scope import get_manageable, get_visible
from dangjian.learning.models import Course, TrainingClass
from dangjian.members.models import Member
from dangjian.orgs.models import Org
from dangjian.talent import selectors, services
from dangjian.talent.models import Assignment, Talent, Track
from dangjian.talent.schemas import (
    AssignmentCloseIn,
    NominationIn,
    NominationReviewIn,
    TalentAssignmentIn,
    TalentAssignmentOut,
    TalentCertificateIn,
    TalentCertificateOut,
    TalentConfirmIn,
    TalentDetailOut,
    TalentFilter,
    TalentOut,
    TalentPage,
    TalentRetireIn,
    TrackFilter,
    TrackIn,
    TrackItemIn,
    TrackOut,
    TrackPage,
    TrackProgressOut,
)
from dangjian.work.models import Initiative

router = Router(tags=["人才库"])


def _talent(pk: int) -> Talent:
    return Talent.objects.select_related("member__org", "org").prefetch_related("skills").get(pk=pk)


def _track(pk: int) -> Track:
    return Track.objects.select_related("org").prefetch_related("hours", "items").get(pk=pk)


# --- tracks (before /{talent_id}, so that "tracks" is never read as an id) ---------------


@router.get("/tracks", response=TrackPage, summary="培训专题列表（本组织及上级设置的）")
def track_list(request, filters: Query[TrackFilter]):
    qs = selectors.track_list(request.user, year=filters.year).prefetch_related("items")
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@router.post("/tracks", response={201: TrackOut}, summary="设置培训专题（各职务应完成学时）")
def track_create(request, payload: TrackIn):
    org = get_manageable(Org.objects.all(), request.user, pk=payload.org)
    track = services.track_create(
        actor=request.user,
        org=org,
        title=payload.title,
        topic=payload.topic,
        year=payload.year,
        summary=payload.summary,
        hours=dict(payload.hours),
    )
    return Status(201, _track(track.pk))


@router.get("/tracks/{track_id}", response=TrackOut, summary="培训专题详情")
def track_detail(request, track_id: Id):
    get_visible(Track.objects.all(), request.user, pk=track_id)
    return _track(track_id)


@router.post("/tracks/{track_id}/items", response=TrackOut, summary="专题加入课程或培训班")
def track_item_add(request, track_id: Id, payload: TrackItemIn):
    track = get_manageable(Track.objects.select_related("org"), request.user, pk=track_id)
    course = training = None
    if payload.course is not None:
        course = get_visible(Course.objects.select_related("org"), request.user, pk=payload.course)
    if payload.training is not None:
        training = get_visible(
            TrainingClass.objects.select_related("org"), request.user, pk=payload.training
        )
    services.track_item_add(actor=request.user, track=track, course=course, training=training)
    return _track(track.pk)


@router.get(
    "/tracks/{track_id}/progress",
    response=TrackProgressOut,
    summary="专题完成情况（按人、按组织；范围为本人管理的组织）",
)
def track_progress(request, track_id: Id):
    track = get_visible(Track.objects.select_related("org"), request.user, pk=track_id)
    people = selectors.progress_for(request.user, track)
    return {"track": track.pk, "people": people, "orgs": selectors.progress_by_org(people)}


# --- nominations and the pool ------------------------------------------------------------


@router.post(
    "/nominations",
    response={201: TalentOut},
    summary="提名党员入人才库（支持 Idempotency-Key）",
)
def nomination_create(request, payload: NominationIn):
    """例：`{"member": 12, "skills": ["信息安全"], "reason": "负责处室网络安全"}`。入库须本人同意：
    本人在“我的”中确认，或由提名组织在 `consent_on` 登记书面同意的日期。"""
    member = get_manageable(Member.objects.select_related("org"), request.user, pk=payload.member)
    skills = services.skills_named(payload.skills)

    def run():
        talent = services.talent_nominate(
            actor=request.user,
            member=member,
            skills=skills,
            reason=payload.reason,
            tags=payload.tags,
            consent_on=payload.consent_on,
        )
        return 201, {"id": talent.pk}

    # A repeat with the same key answers with the talent the first request made.
    status, body = idempotent(
        request, run, endpoint="talent.nominate", payload=payload.model_dump(mode="json")
    )
    return Status(status, _talent(body["id"]))


@router.post(
    "/nominations/{talent_id}/review",
    response=TalentOut,
    summary="审核提名（上级党组织；同意须本人已同意，不同意须填意见）",
)
def nomination_review(request, talent_id: Id, payload: NominationReviewIn):
    talent = get_manageable(Talent.objects.select_related("org"), request.user, pk=talent_id)
    services.talent_review(
        actor=request.user, talent=talent, approve=payload.approve, note=payload.note
    )
    return _talent(talent.pk)


@router.post("/nominations/{talent_id}/consent", response=TalentOut, summary="本人确认同意入人才库")
def nomination_consent(request, talent_id: Id):
    talent = get_visible(Talent.objects.all(), request.user, pk=talent_id)
    services.talent_consent(actor=request.user, talent=talent)
    return _talent(talent.pk)


@router.get("", response=TalentPage, summary="人才库检索（按技能、组织、可用状态、姓名或拼音）")
def talent_list(request, filters: Query[TalentFilter]):
    org = get_manageable(Org.objects.all(), request.user, pk=filters.org) if filters.org else None
    qs = selectors.talent_list(
        request.user,
        q=filters.q,
        skill=filters.skill,
        org=org,
        availability=filters.availability,
        status=None if filters.status == "all" else filters.status,
        order=filters.order,
    )
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@router.get("/{talent_id}", response=TalentDetailOut, summary="人才档案（含学习模块中的学时）")
def talent_detail(request, talent_id: Id):
    talent = selectors.talent_profile(get_visible(Talent.objects.all(), request.user, pk=talent_id))
    talent.training = selectors.training_record(talent.member_id)
    return talent


@router.post("/{talent_id}/confirm", response=TalentOut, summary="年度复核")
def talent_confirm(request, talent_id: Id, payload: TalentConfirmIn):
    talent = get_manageable(Talent.objects.all(), request.user, pk=talent_id)
    skills = services.skills_named(payload.skills) if payload.skills is not None else None
    services.talent_confirm(
        actor=request.user,
        talent=talent,
        availability=payload.availability,
        skills=skills,
        tags=payload.tags,
        note=payload.note,
    )
    return _talent(talent.pk)


@router.post("/{talent_id}/retire", response=TalentOut, summary="退出人才库")
def talent_retire(request, talent_id: Id, payload: TalentRetireIn):
    talent = get_manageable(Talent.objects.all(), request.user, pk=talent_id)
    services.talent_retire(actor=request.user, talent=talent, reason=payload.reason)
    return _talent(talent.pk)


@router.post("/{talent_id}/certificates", response={201: TalentCertificateOut}, summary="登记证书")
def certificate_add(request, talent_id: Id, payload: TalentCertificateIn):
    talent = get_manageable(Talent.objects.all(), request.user, pk=talent_id)
    cert = services.certificate_add(actor=request.user, talent=talent, **payload.dict())
    return Status(201, cert)


@router.post(
    "/{talent_id}/assignments",
    response={201: TalentAssignmentOut},
    summary="安排任务（融合项目、宣传工作、舆情研判）",
)
def assignment_create(request, talent_id: Id, payload: TalentAssignmentIn):
    talent = get_manageable(
        Talent.objects.select_related("member__org"), request.user, pk=talent_id
    )
    org = talent.member.org
    if payload.org is not None:
        org = get_manageable(Org.objects.all(), request.user, pk=payload.org)
    initiative = None
    if payload.initiative is not None:
        initiative = get_visible(Initiative.objects.all(), request.user, pk=payload.initiative)
    row = services.assignment_create(
        actor=request.user,
        talent=talent,
        org=org,
        kind=payload.kind,
        title=payload.title,
        initiative=initiative,
        started_on=payload.started_on,
    )
    return Status(201, Assignment.objects.select_related("org").get(pk=row.pk))


@router.post(
    "/assignments/{talent_assignment_id}/close",
    response=TalentAssignmentOut,
    summary="记录完成情况",
)
def assignment_close(request, talent_assignment_id: Id, payload: AssignmentCloseIn):
    row = get_manageable(Assignment.objects.all(), request.user, pk=talent_assignment_id)
    services.assignment_close(
        actor=request.user, assignment=row, outcome=payload.outcome, ended_on=payload.ended_on
    )
    return Assignment.objects.select_related("org").get(pk=row.pk)
