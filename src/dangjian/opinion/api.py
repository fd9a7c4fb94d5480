"""Opinion-watch API at /api/v1/opinion: sources (admins add them) and their fetch, keyword
sets, the item queue and items entered by hand, cases (研判) with answer and closure. Thin:
the gate (404 outside reach), then a selector or a service; creating writes accept an
``Idempotency-Key``."""

from __future__ import annotations

from ninja import Query, Router, Status

from dangjian.api.paging import page_of
from dangjian.api.types import Id, Page, PageSize
from dangjian.core.idempotency import idempotent
from dangjian.core.scope import get_manageable, get_visible
from dangjian.opinion import selectors, services
from dangjian.opinion.models import OpinionCase, OpinionItem, OpinionSource
from dangjian.opinion.schemas import (
    OpinionAnswerIn,
    OpinionCaseFilter,
    OpinionCaseIn,
    OpinionCaseOut,
    OpinionCasePage,
    OpinionCloseIn,
    OpinionFetchOut,
    OpinionItemFilter,
    OpinionItemIn,
    OpinionItemOut,
    OpinionItemPage,
    OpinionKeywordSetIn,
    OpinionKeywordSetOut,
    OpinionKeywordSetPage,
    OpinionSourceIn,
    OpinionSourceOut,
    OpinionSourcePage,
)
from dangjian.orgs.models import Org

router = Router(tags=["舆情研判"])


def _org(request, pk):
    return get_manageable(Org.objects.all(), request.user, pk=pk) if pk else None


def _dump(schema, obj) -> dict:
    return schema.from_orm(obj).model_dump(mode="json", by_alias=True)


@router.get("/sources", response=OpinionSourcePage, summary="舆情来源列表")
def source_list(
    request, q: str = Query("", max_length=100), page: Page = 1, page_size: PageSize = 50
):
    return page_of(selectors.source_list(request.user, q=q), page=page, page_size=page_size)


@router.post(
    "/sources",
    response={201: OpinionSourceOut},
    summary="添加舆情来源（机关工委、机关党委管理员；其他人 403）",
)
def source_create(request, payload: OpinionSourceIn):
    """例：`{"name": "市政府门户网站", "url": "https://www.example.gov.cn/rss.xml", "org": 2}`"""
    org = _org(request, payload.org)

    def run():
        source = services.source_create(
            actor=request.user, org=org, name=payload.name, url=payload.url
        )
        return 201, _dump(
            OpinionSourceOut, OpinionSource.objects.select_related("org").get(pk=source.pk)
        )

    status, body = idempotent(
        request, run, endpoint="opinion.source_create", payload=payload.dict()
    )
    return Status(status, body)


@router.post(
    "/sources/{opinion_source_id}/fetch",
    response=OpinionFetchOut,
    summary="立即抓取（再次抓取同一内容不会重复收录；无法抓取 422）",
)
def source_fetch(request, opinion_source_id: Id):
    source = get_manageable(
        OpinionSource.objects.select_related("org"), request.user, pk=opinion_source_id
    )
    return services.source_fetch(actor=request.user, source=source)


@router.get("/keyword-sets", response=OpinionKeywordSetPage, summary="关注词组列表")
def keyword_set_list(request, page: Page = 1, page_size: PageSize = 50):
    return page_of(selectors.keyword_set_list(request.user), page=page, page_size=page_size)


@router.post("/keyword-sets", response={201: OpinionKeywordSetOut}, summary="新建关注词组")
def keyword_set_create(request, payload: OpinionKeywordSetIn):
    """例：`{"org": 3, "words": ["预算", "财政"], "exclude": ["招聘"],
    "synonyms": {"预算": ["预决算"]}}`。本组织及下级组织的待研判信息随即重新匹配。"""
    org = _org(request, payload.org)

    def run():
        kset = services.keyword_set_create(
            actor=request.user,
            org=org,
            words=payload.words,
            exclude=payload.exclude,
            synonyms=payload.synonyms,
            name=payload.name,
        )
        return 201, _dump(OpinionKeywordSetOut, kset)

    status, body = idempotent(
        request, run, endpoint="opinion.keyword_set_create", payload=payload.dict()
    )
    return Status(status, body)


@router.get("/items", response=OpinionItemPage, summary="舆情信息（按组织、是否命中、状态筛选）")
def item_list(request, filters: Query[OpinionItemFilter]):
    qs = selectors.item_list(
        request.user,
        q=filters.q,
        org=_org(request, filters.org),
        matched=filters.matched,
        status=filters.status or "",
    )
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@router.post("/items", response={201: OpinionItemOut}, summary="手工录入其他渠道的舆情信息")
def item_create(request, payload: OpinionItemIn):
    org = _org(request, payload.org)

    def run():
        item = services.item_create(
            actor=request.user,
            org=org,
            channel=payload.channel,
            title=payload.title,
            summary=payload.summary,
            url=payload.url,
            published_at=payload.published_at,
        )
        return 201, _dump(OpinionItemOut, OpinionItem.objects.select_related("org").get(pk=item.pk))

    status, body = idempotent(
        request, run, endpoint="opinion.item_create", payload=payload.model_dump(mode="json")
    )
    return Status(status, body)


@router.get("/items/{opinion_item_id}", response=OpinionItemOut, summary="舆情信息详情")
def item_detail(request, opinion_item_id: Id):
    return get_visible(OpinionItem.objects.select_related("org"), request.user, pk=opinion_item_id)


@router.post(
    "/items/{opinion_item_id}/case",
    response={201: OpinionCaseOut},
    summary="立案研判（已立案 409）",
)
def item_case(request, opinion_item_id: Id, payload: OpinionCaseIn):
    """等级：general（一般）、major（较大）、critical（重大）；回应时限按等级计算（规则 OPN-1），
    较大、重大的同时报告上级党组织。"""
    item = get_manageable(
        OpinionItem.objects.select_related("org"), request.user, pk=opinion_item_id
    )

    def run():
        case = services.case_open(actor=request.user, item=item, **payload.dict())
        return 201, _dump(OpinionCaseOut, case)

    status, body = idempotent(
        request, run, endpoint="opinion.item_case", payload={"item": item.pk, **payload.dict()}
    )
    return Status(status, body)


@router.get("/cases", response=OpinionCasePage, summary="舆情研判列表")
def case_list(request, filters: Query[OpinionCaseFilter]):
    qs = selectors.case_list(
        request.user, org=_org(request, filters.org), state=filters.state or ""
    )
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@router.get("/cases/{opinion_case_id}", response=OpinionCaseOut, summary="舆情研判详情")
def case_detail(request, opinion_case_id: Id):
    return get_visible(OpinionCase.objects.all(), request.user, pk=opinion_case_id)


@router.post("/cases/{opinion_case_id}/answer", response=OpinionCaseOut, summary="登记回应")
def case_answer(request, opinion_case_id: Id, payload: OpinionAnswerIn):
    case = get_manageable(
        OpinionCase.objects.select_related("org", "item"), request.user, pk=opinion_case_id
    )
    return services.case_answer(actor=request.user, case=case, answer=payload.answer)


@router.post(
    "/cases/{opinion_case_id}/close", response=OpinionCaseOut, summary="办结（须先登记回应）"
)
def case_close(request, opinion_case_id: Id, payload: OpinionCloseIn):
    case = get_manageable(
        OpinionCase.objects.select_related("org", "item"), request.user, pk=opinion_case_id
    )
    return services.case_close(actor=request.user, case=case, closure=payload.closure)
