"""Input and output of the 党内统计 API. Counts are integers; dates ISO ("2026-12-31")."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from dangjian.api.types import Id, Page, PageSize, Year


class AnnualQuery(Schema):
    org: Id = Field(description="党组织（统计其所属全部党组织和党员）")
    year: Year | None = Field(None, description="年度，默认今年")
    as_of: dt.date | None = Field(
        None, description="统计截止日期，默认当年12月31日；给出时按当前数据实时计算"
    )


class AnnualIn(Schema):
    org: Id
    year: Year
    as_of: dt.date | None = Field(None, description="统计截止日期，默认当年12月31日")


class MembersOut(Schema):
    total: int
    full: int
    probationary: int
    female: int
    male: int
    han: int
    minority: int
    age_bands: dict[str, int] = Field(description="年龄段 → 人数（键见 docs/statistics.md）")
    education: dict[str, int]
    occupation: dict[str, int]


class ChildOut(Schema):
    org: int
    name: str
    kind: str
    total: int


class CheckOut(Schema):
    key: str
    title: str
    passed: bool
    left: int
    right: int
    formula: str


class AnnualOut(Schema):
    org: int
    org_name: str
    year: int
    as_of: dt.date
    start_on: dt.date
    members: MembersOut
    start: dict[str, int] = Field(description="年初数：total, full, probationary")
    orgs: dict[str, int] = Field(description="党组织数：total 与各类型")
    changes: dict[str, int] = Field(description="全年增减：发展、转入、转出、死亡、出党……")
    children: list[ChildOut]
    direct: int = Field(description="直属本组织的党员")
    checks: list[CheckOut]
    generated_at: dt.datetime | None = Field(description="已生成的年报的生成时间；实时计算为空")
    generated_by: str | None


class ReportFilter(Schema):
    org: Id
    page: Page = 1
    page_size: PageSize = 50


class ReportOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    year: int
    as_of: dt.date
    passed: bool
    times: int
    generated_at: dt.datetime
    generated_by: str | None

    @staticmethod
    def resolve_generated_by(obj) -> str | None:
        return obj.generated_by.name if obj.generated_by else None


class ReportPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ReportOut]
