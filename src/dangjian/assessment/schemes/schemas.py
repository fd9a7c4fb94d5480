"""API schemas of assessment schemes, results and scores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from dangjian.api.types import Id, Page, PageSize, Year


class SchemeIndicatorIn(Schema):
    code: str = Field(min_length=1, max_length=20)
    title: str = Field(min_length=1, max_length=200)
    max_score: Decimal = Field(gt=0, le=10000, description="满分")
    method: str = Field(description="auto / manual / evidence / survey / deduction")
    metric: str = Field("", max_length=80, description="自动指标的平台指标，如 rule:MTG-3")
    weight: Decimal = Field(Decimal("1"), gt=0, le=100)
    criteria: str = Field("", max_length=5000, description="评分标准")
    scoring_org: Id | None = Field(None, description="评分组织（默认考核组织）")
    parent: str = Field("", max_length=20, description="上级指标编号")
    mapping: dict[str, Any] | None = Field(None, description="取值换算，默认按比例")


class SchemeIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    year: Year
    org: Id
    target_kind: str = Field(description="branch / general_branch / committee")
    description: str = Field("", max_length=5000)
    indicators: list[SchemeIndicatorIn] = Field(min_length=1, max_length=200)


class SchemeIndicatorOut(Schema):
    id: int
    code: str
    title: str
    parent: int | None = Field(alias="parent_id")
    weight: Decimal
    max_score: Decimal
    method: str
    metric: str
    mapping: dict
    criteria: str
    scoring_org: int | None = Field(alias="scoring_org_id")


class SchemeOut(Schema):
    id: int
    title: str
    year: int
    org: int = Field(alias="org_id")
    target_kind: str
    version: int
    status: str
    effective_from: dt.date | None
    effective_to: dt.date | None
    closed_on: dt.date | None
    bands: list
    indicators: list[SchemeIndicatorOut] = Field(alias="indicator_list")


class SchemeBrief(Schema):
    id: int
    title: str
    year: int
    org: int = Field(alias="org_id")
    target_kind: str
    version: int
    status: str


class SchemePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[SchemeBrief]


class SchemeFilter(Schema):
    year: Year | None = None
    page: Page = 1
    page_size: PageSize = 50


class SchemePublishIn(Schema):
    effective_from: dt.date | None = None


class SchemeCloseIn(Schema):
    on: dt.date | None = None


class ResultCellOut(Schema):
    indicator: str
    title: str
    value: Decimal | None
    score: Decimal | None
    status: str
    source: str
    score_id: int | None


class ResultRowOut(Schema):
    org: int
    org_name: str
    total: Decimal
    max_total: Decimal
    complete: bool
    missing: int
    grade: str
    rank: int | None
    scores: list[ResultCellOut]


class SchemeResultsOut(Schema):
    scheme: int
    status: str
    closed_on: dt.date | None
    results: list[ResultRowOut]


class ScoreIn(Schema):
    scheme: Id
    indicator: str = Field(min_length=1, max_length=20, description="指标编号（如 A2）")
    org: Id
    score: Decimal = Field(ge=0, le=10000)
    comment: str = Field("", max_length=2000)
    evidence: str = Field("", max_length=5000, description="佐证（可选，不要求照片）")


class ScoreReviewIn(Schema):
    note: str = Field("", max_length=300)


class ScoreOut(Schema):
    id: int
    scheme: int = Field(alias="scheme_id")
    indicator: str = Field(alias="indicator.code")
    org: int = Field(alias="org_id")
    score: Decimal
    status: str
    comment: str
    evidence: str
    scorer: int | None = Field(alias="scorer_id")
    reviewer: int | None = Field(alias="reviewer_id")
    reviewed_at: dt.datetime | None
