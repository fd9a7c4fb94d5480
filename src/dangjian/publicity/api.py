"""Publicity API: notices at /api/v1/notices, articles and their DSC-1 steps at
/api/v1/articles, published public articles at /api/v1/public/articles (no token). Thin: the
gate (404 outside reach), then a selector or a service. The author reviewing or approving
their own article answers 422, a step out of order 409; creating accepts an
``Idempotency-Key`` so that a retried POST records once."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from ninja import Query, Router, Status

from dangjian.api.paging import page_of
from dangjian.api.types import Id
from dangjian.core.errors import DomainError
from dangjian.core.idempotency import idempotent
from dangjian.core.ratelimit import hit, too_many
from dangjian.core.scope import get_manageable, get_visible
from dangjian.members.models import Member
from dangjian.orgs.models import Org
from dangjian.publicity import selectors, services
from dangjian.publicity.models import Article, Disclosure, Notice, RoleModel
from dangjian.publicity.schemas import (
    ArticleCreated,
    ArticleFilter,
    ArticleIn,
    ArticlePage,
    DisclosureIn,
    DisclosureOut,
    DisclosurePage,
    ItemIn,
    PublicArticleOut,
    PublicArticlePage,
    PublicationReviewIn,
    PublicFilter,
    PublicityArticleOut,
    PublicityNoticeFilter,
    PublicityNoticeIn,
    PublicityNoticeOut,
    PublicityNoticePage,
    RoleModelIn,
    RoleModelOut,
    RoleModelPage,
    WithdrawIn,
)

notices_router = Router(tags=["通知公告"])
articles_router = Router(tags=["宣传发布"])
role_models_router = Router(tags=["宣传发布"])
disclosures_router = Router(tags=["党务公开"])
public_router = Router(tags=["公开门户（无需令牌）"])


def _people(user, ids: list[int]) -> list[Member]:
    if not ids:
        return []
    people = list(Member.objects.manageable_by(user).select_related("org").filter(pk__in=ids))
    if len(people) != len(set(ids)):
        raise DomainError("指定人员不存在或不在管理范围内", field="people")
    return people


# --- notices ------------------------------------------------------------------------------


@notices_router.get("", response=PublicityNoticePage, summary="我能看到的通知公告")
def notice_list(request, filters: Query[PublicityNoticeFilter]):
    org = get_manageable(Org.objects.all(), request.user, pk=filters.org) if filters.org else None
    qs = selectors.notice_list(
        request.user,
        q=filters.q,
        org=org,
        status="current" if filters.current else "",
        today=timezone.localdate(),
    )
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@notices_router.post("", response={201: PublicityNoticeOut}, summary="发布通知公告")
def notice_create(request, payload: PublicityNoticeIn):
    """例：`{"title": "关于开展主题党日活动的通知", "body": "…", "org": 3}`；发布后本组织及下级
    党员在消息中心和手机端收到。"""
    org = get_manageable(Org.objects.all(), request.user, pk=payload.org)

    def run():
        notice = services.notice_publish(
            actor=request.user,
            org=org,
            title=payload.title,
            body=payload.body,
            audience=payload.audience,
            people=_people(request.user, payload.people),
            pinned=payload.pinned,
            expires_on=payload.expires_on,
        )
        notice = Notice.objects.select_related("org").get(pk=notice.pk)
        return 201, PublicityNoticeOut.from_orm(notice).model_dump(mode="json", by_alias=True)

    status, body = idempotent(
        request, run, endpoint="publicity.notice_create", payload=payload.model_dump(mode="json")
    )
    return Status(status, body)


@notices_router.get(
    "/{publicity_notice_id}", response=PublicityNoticeOut, summary="通知公告详情（记录本人已阅）"
)
def notice_detail(request, publicity_notice_id: Id):
    notice = get_visible(Notice.objects.select_related("org"), request.user, pk=publicity_notice_id)
    services.notice_read(user=request.user, notice=notice)
    return notice


# --- articles -----------------------------------------------------------------------------


def _article(pk: int) -> Article:
    return Article.objects.select_related("org").get(pk=pk)


@articles_router.get("", response=ArticlePage, summary="文章列表（我能看到的）")
def article_list(request, filters: Query[ArticleFilter]):
    org = get_manageable(Org.objects.all(), request.user, pk=filters.org) if filters.org else None
    qs = selectors.article_list(request.user, q=filters.q, org=org, status=filters.status or "")
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@articles_router.post("", response={201: ArticleCreated}, summary="撰写文章（草稿）")
def article_create(request, payload: ArticleIn):
    """例：`{"title": "机关党委召开专题学习会", "body": "<p>…</p>", "scope": "public",
    "org": 3}` → 201 `{"id": 7, "status": "draft"}`。"""
    org = get_manageable(Org.objects.all(), request.user, pk=payload.org)

    def run():
        article = services.article_create(
            actor=request.user,
            org=org,
            title=payload.title,
            body=payload.body,
            scope=payload.scope,
            category=payload.category,
            summary=payload.summary,
            people=_people(request.user, payload.people),
        )
        return 201, {"id": article.pk, "status": article.status}

    status, body = idempotent(
        request, run, endpoint="publicity.article_create", payload=payload.model_dump(mode="json")
    )
    return Status(status, body)


@articles_router.get("/{publicity_article_id}", response=PublicityArticleOut, summary="文章详情")
def article_detail(request, publicity_article_id: Id):
    return get_visible(Article.objects.select_related("org"), request.user, pk=publicity_article_id)


def _managed(request, publicity_article_id: int) -> Article:
    return get_manageable(
        Article.objects.select_related("org"), request.user, pk=publicity_article_id
    )


@articles_router.post(
    "/{publicity_article_id}/submit",
    response=PublicityArticleOut,
    summary="提交审核（草稿或退回的稿件；否则 409）",
)
def article_submit(request, publicity_article_id: Id):
    services.publication_submit(actor=request.user, item=_managed(request, publicity_article_id))
    return _article(publicity_article_id)


@articles_router.post(
    "/{publicity_article_id}/review",
    response=PublicityArticleOut,
    summary="审核（含保密审查）：撰稿人审核本人稿件 422；未提交 409",
)
def article_review(request, publicity_article_id: Id, payload: PublicationReviewIn):
    services.publication_review(
        actor=request.user,
        item=_managed(request, publicity_article_id),
        approve=payload.approve,
        secrecy_checked=payload.secrecy_checked,
        note=payload.note,
    )
    return _article(publicity_article_id)


@articles_router.post(
    "/{publicity_article_id}/approve",
    response=PublicityArticleOut,
    summary="审批并发布：撰稿人或审核人审批 422；未经审核 409",
)
def article_approve(request, publicity_article_id: Id):
    services.publication_approve(actor=request.user, item=_managed(request, publicity_article_id))
    return _article(publicity_article_id)


@articles_router.post(
    "/{publicity_article_id}/withdraw",
    response=PublicityArticleOut,
    summary="撤回已发布的文章（须填原因）",
)
def article_withdraw(request, publicity_article_id: Id, payload: WithdrawIn):
    services.publication_withdraw(
        actor=request.user, item=_managed(request, publicity_article_id), reason=payload.reason
    )
    return _article(publicity_article_id)


# --- public (no token) ------------------------------------------------------------------


@public_router.get(
    "/articles", auth=None, response={200: PublicArticlePage, 429: dict}, summary="公开发布的文章"
)
def public_articles(request, filters: Query[PublicFilter]):
    if not hit("portal-read", request, per_minute=settings.PUBLIC_READS_PER_MINUTE):
        return too_many(request)
    qs = selectors.public_articles(q=filters.q)
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@public_router.get(
    "/articles/{public_article_id}",
    auth=None,
    response={200: PublicArticleOut, 429: dict},
    summary="公开发布的文章详情",
)
def public_article(request, public_article_id: Id):
    if not hit("portal-read", request, per_minute=settings.PUBLIC_READS_PER_MINUTE):
        return too_many(request)
    from django.http import Http404

    item = selectors.public_articles().filter(pk=public_article_id).first()
    if item is None:
        raise Http404("内容不存在或未公开")
    return item


# --- role models and disclosures: reads and the same DSC-1 steps ---------------------------


def _step(request, model, pk: int, step: str, payload=None):
    """One DSC-1 step on an item in reach (same rules and status codes as the articles')."""
    item = get_manageable(model.objects.select_related("org"), request.user, pk=pk)
    if step == "submit":
        services.publication_submit(actor=request.user, item=item)
    elif step == "review":
        services.publication_review(
            actor=request.user,
            item=item,
            approve=payload.approve,
            secrecy_checked=payload.secrecy_checked,
            note=payload.note,
        )
    elif step == "approve":
        services.publication_approve(actor=request.user, item=item)
    else:
        services.publication_withdraw(actor=request.user, item=item, reason=payload.reason)


def _role_model(pk: int) -> RoleModel:
    return RoleModel.objects.select_related("org", "member").get(pk=pk)


@role_models_router.get("", response=RoleModelPage, summary="身边榜样列表（我能看到的）")
def role_model_list(request, filters: Query[ArticleFilter]):
    org = get_manageable(Org.objects.all(), request.user, pk=filters.org) if filters.org else None
    qs = selectors.role_model_list(request.user, q=filters.q, org=org, status=filters.status or "")
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@role_models_router.post("", response={201: ArticleCreated}, summary="撰写身边榜样（草稿）")
def role_model_create(request, payload: RoleModelIn):
    """例：`{"org": 3, "member": 41, "title": "扎根基层的“老黄牛”", "deeds": "<p>…</p>",
    "consent_on": "2026-11-20", "consent_note": "书面同意书存档"}` → 201 `{"id": 5,
    "status": "draft"}`。照片在页面上传。"""
    org = get_manageable(Org.objects.all(), request.user, pk=payload.org)
    member = get_manageable(Member.objects.select_related("org"), request.user, pk=payload.member)

    def run():
        item = services.role_model_create(
            actor=request.user,
            org=org,
            member=member,
            title=payload.title,
            deeds=payload.deeds,
            consent_on=payload.consent_on,
            consent_note=payload.consent_note,
            honour=payload.honour,
            scope=payload.scope,
            people=_people(request.user, payload.people),
        )
        return 201, {"id": item.pk, "status": item.status}

    body = payload.model_dump(mode="json")
    status, body = idempotent(request, run, endpoint="publicity.role_model_create", payload=body)
    return Status(status, body)


@role_models_router.get("/{role_model_id}", response=RoleModelOut, summary="身边榜样详情")
def role_model_detail(request, role_model_id: Id):
    get_visible(RoleModel.objects.all(), request.user, pk=role_model_id)
    return _role_model(role_model_id)


@role_models_router.post("/{role_model_id}/submit", response=RoleModelOut, summary="提交审核")
def role_model_submit(request, role_model_id: Id):
    _step(request, RoleModel, role_model_id, "submit")
    return _role_model(role_model_id)


@role_models_router.post(
    "/{role_model_id}/review", response=RoleModelOut, summary="审核（含保密审查）"
)
def role_model_review(request, role_model_id: Id, payload: PublicationReviewIn):
    _step(request, RoleModel, role_model_id, "review", payload)
    return _role_model(role_model_id)


@role_models_router.post("/{role_model_id}/approve", response=RoleModelOut, summary="审批发布")
def role_model_approve(request, role_model_id: Id):
    _step(request, RoleModel, role_model_id, "approve")
    return _role_model(role_model_id)


@role_models_router.post("/{role_model_id}/withdraw", response=RoleModelOut, summary="撤回")
def role_model_withdraw(request, role_model_id: Id, payload: WithdrawIn):
    _step(request, RoleModel, role_model_id, "withdraw", payload)
    return _role_model(role_model_id)


def _disclosure(pk: int) -> Disclosure:
    return Disclosure.objects.select_related("org").prefetch_related("items").get(pk=pk)


@disclosures_router.get("", response=DisclosurePage, summary="党务公开列表（我能看到的）")
def disclosure_list(request, filters: Query[ArticleFilter]):
    org = get_manageable(Org.objects.all(), request.user, pk=filters.org) if filters.org else None
    qs = selectors.disclosure_list(request.user, q=filters.q, org=org, status=filters.status or "")
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@disclosures_router.post(
    "", response={201: DisclosureOut}, summary="生成年度党务公开（事项取自平台记录，DSC-3）"
)
def disclosure_create(request, payload: DisclosureIn):
    """例：`{"org": 5, "year": 2026, "scope": "public"}`；同一组织同一年度已建立 409。"""
    org = get_manageable(Org.objects.all(), request.user, pk=payload.org)
    item = services.disclosure_assemble(
        actor=request.user, org=org, year=payload.year, scope=payload.scope
    )
    return Status(201, _disclosure(item.pk))


@disclosures_router.get(
    "/{publicity_disclosure_id}", response=DisclosureOut, summary="党务公开详情"
)
def disclosure_detail(request, publicity_disclosure_id: Id):
    get_visible(Disclosure.objects.all(), request.user, pk=publicity_disclosure_id)
    return _disclosure(publicity_disclosure_id)


@disclosures_router.post(
    "/{publicity_disclosure_id}/items",
    response={201: DisclosureOut},
    summary="补充公开事项（提交审核前）",
)
def disclosure_item_add(request, publicity_disclosure_id: Id, payload: ItemIn):
    item = get_manageable(Disclosure.objects.all(), request.user, pk=publicity_disclosure_id)
    services.disclosure_item_save(
        actor=request.user, disclosure=item, title=payload.title, content=payload.content
    )
    return Status(201, _disclosure(publicity_disclosure_id))


@disclosures_router.post(
    "/{publicity_disclosure_id}/submit", response=DisclosureOut, summary="提交审核"
)
def disclosure_submit(request, publicity_disclosure_id: Id):
    _step(request, Disclosure, publicity_disclosure_id, "submit")
    return _disclosure(publicity_disclosure_id)


@disclosures_router.post(
    "/{publicity_disclosure_id}/review", response=DisclosureOut, summary="审核（含保密审查）"
)
def disclosure_review(request, publicity_disclosure_id: Id, payload: PublicationReviewIn):
    _step(request, Disclosure, publicity_disclosure_id, "review", payload)
    return _disclosure(publicity_disclosure_id)


@disclosures_router.post(
    "/{publicity_disclosure_id}/approve",
    response=DisclosureOut,
    summary="审批发布（每个事项记录公开）",
)
def disclosure_approve(request, publicity_disclosure_id: Id):
    _step(request, Disclosure, publicity_disclosure_id, "approve")
    return _disclosure(publicity_disclosure_id)


@disclosures_router.post(
    "/{publicity_disclosure_id}/withdraw", response=DisclosureOut, summary="撤回"
)
def disclosure_withdraw(request, publicity_disclosure_id: Id, payload: WithdrawIn):
    _step(request, Disclosure, publicity_disclosure_id, "withdraw", payload)
    return _disclosure(publicity_disclosure_id)
