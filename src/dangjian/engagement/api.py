"""Consultation and survey API: /consultations and /surveys for signed-in users (the gate
first, 404 outside reach), /public/consultations, /public/faq and /public/surveys without a
token (rate-limited). Thin: the same services and selectors as the pages."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from ninja import Query, Router, Status

from dangjian.api.paging import page_of
from dangjian.api.types import Id
from dangjian.core import ratelimit
from dangjian.core.errors import DomainError, Forbidden, NotFound
from dangjian.core.idempotency import idempotent, request_key
from dangjian.core.scope import get_manageable, get_visible
from dangjian.engagement import selectors, services
from dangjian.engagement.models import Consultation, Survey, Topic
from dangjian.engagement.schemas import (
    ConsultationCodeOut,
    ConsultationFaqIn,
    ConsultationFilter,
    ConsultationIn,
    ConsultationOut,
    ConsultationPage,
    ConsultationRatingIn,
    ConsultationReplyIn,
    PublicConsultationIn,
    PublicConsultationOut,
    PublicFaqPage,
    PublicSurveyAnswersIn,
    SurveyAnswerRecorded,
    SurveyAnswersIn,
    SurveyFilter,
    SurveyIn,
    SurveyOut,
    SurveyPage,
    SurveyResultsOut,
    SurveyTokensIn,
    SurveyTokensOut,
)
from dangjian.orgs.models import Org

consultation_router = Router(tags=["咨询调查"])  # mounted at /consultations
survey_router = Router(tags=["咨询调查"])  # mounted at /surveys
public_router = Router(tags=["咨询调查（公开）"], auth=None)  # mounted at /public


def _target(payload) -> tuple[Org | None, Topic | None]:
    """The org or topic a question names: any org still in being, any active topic."""
    org = topic = None
    if payload.topic:
        topic = Topic.objects.select_related("org").filter(pk=payload.topic, active=True).first()
        if topic is None:
            raise DomainError("咨询事项不存在", field="topic")
    if payload.org:
        org = Org.objects.filter(pk=payload.org, dissolved_on__isnull=True).first()
        if org is None:
            raise DomainError("受理党组织不存在", field="org")
    return org, topic


def _survey():
    return Survey.objects.select_related("org").prefetch_related("questions")


# ---- consultations (signed in) -----------------------------------------------------------


@consultation_router.get("", response=ConsultationPage, summary="咨询与意见列表（受理党组织）")
def consultation_list(request, filters: Query[ConsultationFilter]):
    org = get_manageable(Org.objects, request.user, pk=filters.org) if filters.org else None
    qs = selectors.consultation_list(
        user=request.user,
        org=org,
        status=filters.status or "",
        kind=filters.kind or "",
        q=filters.q,
        sort=filters.sort,
    )
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@consultation_router.post("", response={201: ConsultationOut}, summary="提交咨询、意见建议或投诉")
def consultation_create(request, payload: ConsultationIn):
    org, topic = _target(payload)

    def run():
        item = services.consultation_ask(
            actor=request.user,
            org=org,
            topic=topic,
            question=payload.question,
            contact=payload.contact,
            kind=payload.kind,
            faq_consent=payload.faq_consent,
        )
        return 201, ConsultationOut.from_orm(item).model_dump(mode="json")

    status, body = idempotent(
        request, run, endpoint="engagement.consultation_create", payload=payload.dict()
    )
    return Status(status, body)


@consultation_router.get("/mine", response=list[ConsultationOut], summary="我提交的咨询与意见")
def consultation_mine(request):
    return list(selectors.my_consultations(request.user)[:100])


@consultation_router.get("/{consultation_id}", response=ConsultationOut, summary="咨询详情")
def consultation_detail(request, consultation_id: Id):
    return get_visible(Consultation.objects.select_related("org"), request.user, pk=consultation_id)


@consultation_router.post("/{consultation_id}/reply", response=ConsultationOut, summary="答复")
def consultation_reply(request, consultation_id: Id, payload: ConsultationReplyIn):
    item = get_manageable(Consultation.objects, request.user, pk=consultation_id)
    services.consultation_reply(actor=request.user, consultation=item, text=payload.text)
    return Consultation.objects.select_related("org").get(pk=item.pk)


@consultation_router.post(
    "/{consultation_id}/rating", response=ConsultationOut, summary="满意度评价"
)
def consultation_rating(request, consultation_id: Id, payload: ConsultationRatingIn):
    item = get_visible(Consultation.objects, request.user, pk=consultation_id)
    if item.asker_id != request.user.pk:
        raise Forbidden("只有提问人可以评价")
    services.consultation_rate(
        actor=request.user, consultation=item, rating=payload.rating, note=payload.note
    )
    return Consultation.objects.select_related("org").get(pk=item.pk)


@consultation_router.post(
    "/{consultation_id}/faq", response=ConsultationOut, summary="公开为常见问题"
)
def consultation_faq(request, consultation_id: Id, payload: ConsultationFaqIn):
    item = get_manageable(Consultation.objects, request.user, pk=consultation_id)
    services.consultation_faq(actor=request.user, consultation=item, publish=payload.publish)
    return Consultation.objects.select_related("org").get(pk=item.pk)


# ---- surveys (signed in) -----------------------------------------------------------------


@survey_router.get("", response=SurveyPage, summary="调查列表（发起党组织）")
def survey_list(request, filters: Query[SurveyFilter]):
    org = get_manageable(Org.objects, request.user, pk=filters.org) if filters.org else None
    qs = selectors.survey_list(user=request.user, org=org, status=filters.status or "", q=filters.q)
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@survey_router.post("", response={201: SurveyOut}, summary="新建调查（草稿）")
def survey_create(request, payload: SurveyIn):
    """例：`{"title": "满意度调查", "org": 3, "anonymous": true, "questions": [{"kind":
    "single", "text": "总体评价", "options": ["满意", "不满意"]}]}`"""
    org = get_manageable(Org.objects, request.user, pk=payload.org)
    survey = services.survey_create(
        actor=request.user,
        org=org,
        **payload.dict(exclude={"org", "questions"}),
        questions=[q.dict() for q in payload.questions],
    )
    return Status(201, _survey().get(pk=survey.pk))


@survey_router.get("/{survey_id}", response=SurveyOut, summary="调查详情与题目")
def survey_detail(request, survey_id: Id):
    return get_visible(_survey(), request.user, pk=survey_id)


@survey_router.put("/{survey_id}", response=SurveyOut, summary="修改调查草稿（整体替换）")
def survey_update(request, survey_id: Id, payload: SurveyIn):
    """与新建相同的字段，整体替换草稿（题目一并替换）；`org` 须为原发起党组织。已发布或已结束的
    调查答 409。"""
    survey = get_manageable(Survey.objects, request.user, pk=survey_id)
    if payload.org != survey.org_id:
        raise DomainError("发起党组织不能修改", field="org")
    services.survey_update(
        actor=request.user,
        survey=survey,
        **payload.dict(exclude={"org", "questions"}),
        questions=[q.dict() for q in payload.questions],
    )
    return _survey().get(pk=survey_id)


@survey_router.post("/{survey_id}/open", response=SurveyOut, summary="发布调查")
def survey_open(request, survey_id: Id):
    survey = get_manageable(Survey.objects, request.user, pk=survey_id)
    services.survey_open(actor=request.user, survey=survey)
    return _survey().get(pk=survey_id)


@survey_router.post("/{survey_id}/close", response=SurveyOut, summary="结束调查")
def survey_close(request, survey_id: Id):
    survey = get_manageable(Survey.objects, request.user, pk=survey_id)
    services.survey_close(actor=request.user, survey=survey)
    return _survey().get(pk=survey_id)


@survey_router.post(
    "/{survey_id}/tokens", response={201: SurveyTokensOut}, summary="生成一次性口令（公开链接调查）"
)
def survey_tokens(request, survey_id: Id, payload: SurveyTokensIn):
    survey = get_manageable(Survey.objects, request.user, pk=survey_id)
    tokens = services.survey_tokens_issue(actor=request.user, survey=survey, count=payload.count)
    return Status(201, {"tokens": tokens})


@survey_router.post(
    "/{survey_id}/responses",
    response={201: SurveyAnswerRecorded},
    summary="答卷（每人一次，再次提交 409）",
)
def survey_respond(request, survey_id: Id, payload: SurveyAnswersIn):
    survey = get_visible(Survey.objects, request.user, pk=survey_id)

    def run():
        services.survey_respond(actor=request.user, survey=survey, answers=payload.answers)
        return 201, {"recorded": True}

    status, body = idempotent(
        request, run, endpoint="engagement.survey_respond", payload=payload.dict()
    )
    return Status(status, body)


@survey_router.get(
    "/{survey_id}/results", response=SurveyResultsOut, summary="调查结果（只有计数）"
)
def survey_results(request, survey_id: Id):
    survey = get_manageable(Survey.objects, request.user, pk=survey_id)
    return services.survey_results(survey)


# ---- public (no token, rate-limited) -----------------------------------------------------


def _limit(request, scope: str, *, write: bool):
    per_minute = settings.PUBLIC_WRITES_PER_MINUTE if write else settings.PUBLIC_READS_PER_MINUTE
    if not ratelimit.hit(scope, request, per_minute=per_minute):
        return ratelimit.too_many(request)
    return None


@public_router.post(
    "/consultations", response={201: ConsultationCodeOut}, summary="公众提交咨询（返回查询码）"
)
def public_consultation_create(request, payload: PublicConsultationIn):
    """不需要令牌。例：`{"org": 3, "question": "…", "contact": "138…"}` → 201
    `{"code": "…"}`。带 `Idempotency-Key` 头重试同一内容只记录一次、返回同一查询码。"""
    if (limited := _limit(request, "engagement-ask", write=True)) is not None:
        return limited
    org, topic = _target(payload)
    key = request_key(request)
    client_key = ""
    if key:
        text = json.dumps(payload.dict(), sort_keys=True, ensure_ascii=False)
        client_key = hashlib.sha256(f"{key}\n{text}".encode()).hexdigest()
    item = services.consultation_ask(
        actor=None,
        org=org,
        topic=topic,
        question=payload.question,
        contact=payload.contact,
        kind=payload.kind,
        faq_consent=payload.faq_consent,
        client_key=client_key,
    )
    return Status(201, {"code": item.code})


def _by_code(tracking_code: str) -> Consultation:
    item = selectors.by_code(tracking_code)
    if item is None:
        raise NotFound("查询码不存在，请核对后再试")
    return item


@public_router.get(
    "/consultations/{tracking_code}", response=PublicConsultationOut, summary="凭查询码查询办理情况"
)
def public_consultation(request, tracking_code: str):
    if (limited := _limit(request, "engagement-track", write=False)) is not None:
        return limited
    return _by_code(tracking_code)


@public_router.post(
    "/consultations/{tracking_code}/rating",
    response=PublicConsultationOut,
    summary="凭查询码评价满意度",
)
def public_consultation_rating(request, tracking_code: str, payload: ConsultationRatingIn):
    if (limited := _limit(request, "engagement-rate", write=True)) is not None:
        return limited
    item = _by_code(tracking_code)
    services.consultation_rate(
        actor=None, consultation=item, rating=payload.rating, note=payload.note
    )
    return _by_code(tracking_code)


@public_router.get("/faq", response=PublicFaqPage, summary="常见问题（经提问人同意公开）")
def public_faq(request, q: str = "", page: int = 1, page_size: int = 50):
    if (limited := _limit(request, "engagement-faq", write=False)) is not None:
        return limited
    rows = page_of(selectors.faq_list(q=q[:100]), page=page, page_size=page_size)
    rows["results"] = [
        {
            "id": c.pk,
            "question": c.question,
            "answer": c.reply,
            "url": f"/public/engagement/faq/#faq-{c.pk}",
        }
        for c in rows["results"]
    ]
    return rows


def _public_survey(survey_id: int) -> Survey:
    survey = (
        _survey()
        .filter(audience=Survey.Audience.PUBLIC)
        .exclude(status=Survey.Status.DRAFT)
        .filter(pk=survey_id)
        .first()
    )
    if survey is None:
        raise NotFound("调查不存在或未公开")
    return survey


@public_router.get("/surveys/{public_survey_id}", response=SurveyOut, summary="公开调查的题目")
def public_survey(request, public_survey_id: Id):
    if (limited := _limit(request, "engagement-survey", write=False)) is not None:
        return limited
    return _public_survey(public_survey_id)


@public_router.post(
    "/surveys/{public_survey_id}/responses",
    response={201: SurveyAnswerRecorded},
    summary="凭一次性口令答卷（口令用过 409）",
)
def public_survey_respond(request, public_survey_id: Id, payload: PublicSurveyAnswersIn):
    if (limited := _limit(request, "engagement-answer", write=True)) is not None:
        return limited
    survey = _public_survey(public_survey_id)
    services.survey_respond(actor=None, survey=survey, answers=payload.answers, token=payload.token)
    return Status(201, {"recorded": True})
