"""Assessment API: schemes, their results, scores and review (mounted at /assessment)."""

from __future__ import annotations

from ninja import Query, Router, Status

from dangjian.api.paging import page_of
from dangjian.api.types import Id
from dangjian.assessment.schemes import services
from dangjian.assessment.schemes.models import Scheme, Score
from dangjian.assessment.schemes.results import limit_to_reach, scheme_results
from dangjian.assessment.schemes.schemas import (
    SchemeCloseIn,
    SchemeFilter,
    SchemeIn,
    SchemeOut,
    SchemePage,
    SchemePublishIn,
    SchemeResultsOut,
    ScoreIn,
    ScoreOut,
    ScoreReviewIn,
)
from dangjian.core.errors import DomainError
from dangjian.core.scope import get_manageable, get_visible
from dangjian.orgs.models import Org

router = Router(tags=["考核督查"])


def _out(scheme: Scheme) -> Scheme:
    scheme.indicator_list = list(scheme.indicators.order_by("sort", "id"))
    return scheme


@router.get("/schemes", response=SchemePage, summary="考核方案")
def scheme_list(request, filters: Query[SchemeFilter]):
    qs = Scheme.objects.visible_to(request.user).order_by("-year", "org__path", "-version")
    if filters.year:
        qs = qs.filter(year=filters.year)
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@router.post("/schemes", response={201: SchemeOut}, summary="制定考核方案")
def scheme_create(request, payload: SchemeIn):
    org = get_manageable(Org.objects, request.user, pk=payload.org)
    rows = []
    scoring = {
        o.pk: o
        for o in Org.objects.visible_to(request.user).filter(
            pk__in=[i.scoring_org for i in payload.indicators if i.scoring_org]
        )
    }
    for n, ind in enumerate(payload.indicators):
        row = ind.dict()
        if ind.scoring_org:
            row["scoring_org"] = scoring.get(ind.scoring_org)
            if row["scoring_org"] is None:
                raise DomainError(
                    "评分组织不存在或不在您的管理范围内", field=f"indicators[{n}].scoring_org"
                )
        rows.append(row)
    scheme = services.scheme_create(
        actor=request.user,
        org=org,
        title=payload.title,
        year=payload.year,
        target_kind=payload.target_kind,
        indicators=rows,
        description=payload.description,
    )
    return Status(201, _out(scheme))


@router.get("/schemes/{scheme_id}", response=SchemeOut, summary="考核方案详情")
def scheme_detail(request, scheme_id: Id):
    return _out(get_visible(Scheme.objects, request.user, pk=scheme_id))


@router.post("/schemes/{scheme_id}/publish", response=SchemeOut, summary="发布考核方案")
def scheme_publish(request, scheme_id: Id, payload: SchemePublishIn):
    scheme = get_manageable(Scheme.objects, request.user, pk=scheme_id)
    scheme = services.scheme_publish(
        actor=request.user, scheme=scheme, effective_from=payload.effective_from
    )
    return _out(scheme)


@router.post("/schemes/{scheme_id}/revise", response={201: SchemeOut}, summary="修订出新版本")
def scheme_revise(request, scheme_id: Id):
    scheme = get_manageable(Scheme.objects, request.user, pk=scheme_id)
    return Status(201, _out(services.scheme_revise(actor=request.user, scheme=scheme)))


@router.post("/schemes/{scheme_id}/close", response=SchemeOut, summary="结束考核（冻结自动取值）")
def scheme_close(request, scheme_id: Id, payload: SchemeCloseIn):
    scheme = get_manageable(Scheme.objects, request.user, pk=scheme_id)
    return _out(services.scheme_close(actor=request.user, scheme=scheme, on=payload.on))


@router.get("/schemes/{scheme_id}/results", response=SchemeResultsOut, summary="考核结果")
def scheme_results_view(request, scheme_id: Id):
    scheme = get_visible(Scheme.objects.select_related("org"), request.user, pk=scheme_id)
    results = limit_to_reach(scheme_results(scheme), request.user)
    return {
        "scheme": scheme.pk,
        "status": scheme.status,
        "closed_on": scheme.closed_on,
        "results": [
            {
                "org": row.org.pk,
                "org_name": row.org.name,
                "total": row.total,
                "max_total": row.max_total,
                "complete": row.complete,
                "missing": row.missing,
                "grade": row.grade,
                "rank": row.rank,
                "scores": [
                    {
                        "indicator": c.indicator.code,
                        "title": c.indicator.title,
                        "value": c.value,
                        "score": c.score,
                        "status": c.status,
                        "source": c.source,
                        "score_id": c.record.pk if c.record is not None else None,
                    }
                    for c in row.cells
                ],
            }
            for row in results.rows
        ],
    }


@router.post("/scores", response={201: ScoreOut}, summary="评分（手工指标）")
def score_create(request, payload: ScoreIn):
    scheme = get_visible(Scheme.objects.select_related("org"), request.user, pk=payload.scheme)
    indicator = scheme.indicators.select_related("scoring_org").filter(code=payload.indicator)
    indicator = indicator.first()
    if indicator is None:
        raise DomainError(f"方案中没有编号为 {payload.indicator} 的指标", field="indicator")
    org = Org.objects.visible_to(request.user).filter(pk=payload.org).first()
    if org is None:
        raise DomainError("考核对象不存在或不在您的管理范围内", field="org")
    score = services.score_record(
        actor=request.user,
        scheme=scheme,
        indicator=indicator,
        org=org,
        score=payload.score,
        comment=payload.comment,
        evidence=payload.evidence,
    )
    return Status(201, score)


@router.post("/scores/{score_id}/review", response=ScoreOut, summary="复核评分（非评分人）")
def score_review(request, score_id: Id, payload: ScoreReviewIn):
    score = get_visible(
        Score.objects.select_related("scheme__org", "indicator"), request.user, pk=score_id
    )
    return services.score_review(actor=request.user, score=score, note=payload.note)
