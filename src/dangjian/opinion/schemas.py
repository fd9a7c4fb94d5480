"""Input and output of the opinion API. Times are ISO 8601 with their offset; outputs read
model objects (or their stored JSON, for a repeated Idempotency-Key: both names)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from dangjian.api.types import Id, Page, PageSize

Word = Field(max_length=20)


class OpinionSourceIn(Schema):
    name: str = Field(max_length=100)
    url: str = Field(max_length=1000, description="RSS/Atom 订阅地址（http/https）")
    org: Id = Field(description="所属党组织")


class OpinionSourceOut(Schema):
    model_config = ConfigDict(populate_by_name=True)

    id: int
    name: str
    url: str
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    active: bool
    last_fetched_at: dt.datetime | None
    last_ok: bool
    last_result: str


class OpinionSourcePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OpinionSourceOut]


class OpinionFetchOut(Schema):
    fetched: int = Field(description="本次读取的条目数（内容未更新时为 0）")
    new: int = Field(description="新收录的条数（按链接和内容去重）")
    matched: int = Field(description="新收录中命中关注词的条数")


class OpinionKeywordSetIn(Schema):
    org: Id
    words: list[str] = Field(max_length=100, description="关注词")
    exclude: list[str] = Field(default_factory=list, max_length=100, description="排除词")
    synonyms: dict[str, list[str]] = Field(
        default_factory=dict, description='同义词：{"预算": ["预决算"]}'
    )
    name: str = Field("", max_length=100)


class OpinionKeywordSetOut(Schema):
    model_config = ConfigDict(populate_by_name=True)

    id: int
    org: int = Field(alias="org_id")
    name: str
    words: list[str]
    exclude: list[str]
    synonyms: dict[str, list[str]]
    active: bool


class OpinionKeywordSetPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OpinionKeywordSetOut]


class OpinionItemIn(Schema):
    org: Id
    channel: str = Field(max_length=100, description="渠道：12345 热线、信访、微信群……")
    title: str = Field(max_length=500)
    summary: str = Field("", max_length=5000)
    url: str = Field("", max_length=1000)
    published_at: dt.datetime | None = None


class OpinionItemOut(Schema):
    model_config = ConfigDict(populate_by_name=True)

    id: int
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    source: int | None = Field(alias="source_id")
    channel: str
    title: str
    summary: str
    url: str
    published_at: dt.datetime | None
    matched: bool
    matched_words: list[str]
    sentiment: float | None = Field(description="情感估计：正面的概率 0–1（模型估计，仅供参考）")
    sentiment_label: str = Field(
        description="positive（偏正面）、neutral（中性）、negative（偏负面）"
    )
    status: str = Field(description="new（待研判）、case（已立案研判）、dismissed（无需处置）")


class OpinionItemPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OpinionItemOut]


class OpinionItemFilter(Schema):
    org: Id | None = None
    matched: bool | None = None
    status: Literal["new", "case", "dismissed"] | None = None
    q: str = Field("", max_length=100)
    page: Page = 1
    page_size: PageSize = 50


class OpinionCaseIn(Schema):
    level: Literal["general", "major", "critical"] = Field(
        description="general（一般）、major（较大）、critical（重大）"
    )
    analysis: str = Field(max_length=10000)
    response_plan: str = Field("", max_length=10000)
    responder: str = Field("", max_length=100, description="回应责任人")


class OpinionCaseOut(Schema):
    model_config = ConfigDict(populate_by_name=True)

    id: int
    item: int = Field(alias="item_id")
    org: int = Field(alias="org_id")
    level: str
    analysis: str
    response_plan: str
    responder: str
    due_at: dt.datetime = Field(description="回应时限（按等级，见规则 OPN-1）")
    status: str = Field(description="open（研判处置中）、answered（已回应）、closed（已办结）")
    answer: str
    answered_at: dt.datetime | None
    closure: str
    closed_at: dt.datetime | None
    escalated_at: dt.datetime | None


class OpinionCasePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OpinionCaseOut]


class OpinionCaseFilter(Schema):
    org: Id | None = None
    state: Literal["open", "answered", "closed", "late"] | None = None
    page: Page = 1
    page_size: PageSize = 50


class OpinionAnswerIn(Schema):
    answer: str = Field(max_length=10000)


class OpinionCloseIn(Schema):
    closure: str = Field(max_length=10000)
