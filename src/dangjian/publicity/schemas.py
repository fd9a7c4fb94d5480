"""Input and output of the publicity API. Times are ISO 8601 with the offset (Beijing time);
rich text goes in as HTML or plain text and comes out sanitized (nh3)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from dangjian.api.types import Id, Page, PageSize

ScopeName = Literal["public", "party", "org", "people"]


class PublicityNoticeIn(Schema):
    title: str = Field(max_length=400)
    body: str = Field(max_length=40_000)
    org: Id = Field(description="发布组织（本组织及下级全体可见）")
    audience: Literal["subtree", "people"] = Field(
        "subtree", description="subtree 本组织及下级全体；people 指定人员"
    )
    people: list[Id] = Field(
        default_factory=list, max_length=2000, description="指定人员（党员编号）"
    )
    pinned: bool = False
    expires_on: dt.date | None = Field(None, description="有效期至（含）")


class PublicityNoticeOut(Schema):
    id: int
    title: str
    body: str
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    audience: str
    pinned: bool
    expires_on: dt.date | None
    published_at: dt.datetime
    sender_name: str
    withdrawn_at: dt.datetime | None = Field(description="撤回时间（未撤回为 null）")


class PublicityNoticePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[PublicityNoticeOut]


class PublicityNoticeFilter(Schema):
    org: Id | None = Field(None, description="只看该组织及下级发布的")
    q: str = Field("", max_length=100)
    current: bool = Field(False, description="只看未过期、未撤回的")
    page: Page = 1
    page_size: PageSize = 50


class ArticleIn(Schema):
    title: str = Field(max_length=400)
    body: str = Field(max_length=100_000, description="正文：HTML 或纯文本，保存前清理")
    scope: ScopeName = Field(
        description="public 社会公开；party 全体党员；org 本组织及下级；people 指定人员"
    )
    org: Id = Field(description="发布组织")
    category: Literal["news", "work", "study", "culture"] = "news"
    summary: str = Field("", max_length=600)
    people: list[Id] = Field(
        default_factory=list, max_length=2000, description="指定人员（党员编号）"
    )


class ArticleCreated(Schema):
    id: int
    status: str


class PublicityArticleOut(Schema):
    id: int
    title: str
    summary: str
    body: str
    category: str
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    scope: str
    status: str
    status_label: str
    author_name: str
    reviewer_name: str
    secrecy_checked: bool
    review_note: str
    approver_name: str
    published_at: dt.datetime | None
    withdraw_reason: str

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class ArticleRowOut(Schema):
    id: int
    title: str
    summary: str
    category: str
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    scope: str
    status: str
    published_at: dt.datetime | None


class ArticlePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ArticleRowOut]


class ArticleFilter(Schema):
    org: Id | None = None
    status: (
        Literal["draft", "submitted", "reviewed", "returned", "published", "withdrawn"] | None
    ) = None
    q: str = Field("", max_length=100)
    page: Page = 1
    page_size: PageSize = 50


class PublicationReviewIn(Schema):
    approve: bool = Field(description="true 通过，转审批；false 退回修改（须填 note）")
    secrecy_checked: bool = Field(False, description="已通过保密审查（通过时必须为 true）")
    note: str = Field("", max_length=1000)


class WithdrawIn(Schema):
    reason: str = Field(max_length=1000)


class PublicArticleOut(Schema):
    id: int
    title: str
    summary: str
    body: str
    category: str
    org_name: str = Field(alias="org.name")
    published_at: dt.datetime | None
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        from django.urls import reverse

        return reverse("portal:article", args=[obj.pk])


class PublicArticlePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[PublicArticleOut]


class PublicFilter(Schema):
    q: str = Field("", max_length=100)
    page: Page = 1
    page_size: PageSize = 20


class RoleModelIn(Schema):
    org: Id = Field(description="发布组织")
    member: Id = Field(description="榜样本人（党员编号），须在发布组织内")
    title: str = Field(max_length=200)
    deeds: str = Field(max_length=100_000, description="先进事迹：HTML 或纯文本，保存前清理")
    honour: str = Field("", max_length=100, description="荣誉称号")
    consent_on: dt.date = Field(description="本人同意宣传的日期")
    consent_note: str = Field(max_length=200, description="同意的方式（如“书面同意书存档”）")
    scope: ScopeName = "org"
    people: list[Id] = Field(
        default_factory=list, max_length=2000, description="指定人员（党员编号）"
    )


class RoleModelOut(Schema):
    id: int
    title: str
    member: int = Field(alias="member_id")
    member_name: str = Field(alias="member.name")
    honour: str
    deeds: str
    consent_on: dt.date
    consent_note: str
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    scope: str
    status: str
    author_name: str
    reviewer_name: str
    secrecy_checked: bool
    approver_name: str
    published_at: dt.datetime | None


class RoleModelPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[RoleModelOut]


class DisclosureIn(Schema):
    org: Id = Field(description="党组织（通常为党支部）")
    year: int = Field(ge=2000, le=2100, description="年度")
    scope: Literal["public", "party", "org"] = "org"


class DisclosureItemOut(Schema):
    id: int
    kind: str
    title: str
    content: str
    source: str
    published_at: dt.datetime | None
    published_scope: str


class DisclosureOut(Schema):
    id: int
    title: str
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    year: int
    scope: str
    status: str
    author_name: str
    reviewer_name: str
    secrecy_checked: bool
    approver_name: str
    published_at: dt.datetime | None
    items: list[DisclosureItemOut]

    @staticmethod
    def resolve_items(obj):
        return list(obj.items.all())


class DisclosureRowOut(Schema):
    id: int
    title: str
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    year: int
    scope: str
    status: str
    published_at: dt.datetime | None


class DisclosurePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[DisclosureRowOut]


class ItemIn(Schema):
    title: str = Field(max_length=400)
    content: str = Field(max_length=20_000)
