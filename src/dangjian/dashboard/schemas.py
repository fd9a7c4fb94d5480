"""Input and output of the 驾驶舱 API. Figures are numbers (rates in percent, money in yuan);
a figure with nothing to count (缺项) is left out of ``figures`` and named in ``missing``."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import BaseModel, Field

from dangjian.api.types import Id, Year


class DashboardQuery(Schema):
    org: Id | None = Field(None, description="党组织（含全部下级组织），默认本人所在的最上级组织")
    year: Year | None = Field(None, description="年度，默认今年")
    children: bool = Field(False, description="同时给出各下级组织的主要数字")


# The panels and their children are plain dicts built by the view: validated as plain
# pydantic models, not through ninja's ORM-attribute getter (a province's 600 committees ×
# 13 panels took 120 ms that way).
class DashboardChildOut(BaseModel):
    org: int
    name: str
    value: float | None


class DashboardPanelOut(BaseModel):
    key: str
    title: str
    figures: dict[str, float] = Field(description="指标 → 数值（率为百分数，金额为元）")
    missing: list[str] = Field(description="缺项（没有可统计数据）的指标")
    labels: dict[str, str] = Field(description="指标 → 中文名称")
    headline: str = Field(description="下级组织对比时使用的主要指标")
    children: list[DashboardChildOut] = Field(default_factory=list)


class DashboardOut(Schema):
    org: int
    org_name: str
    year: int
    built_at: dt.datetime | None = Field(description="数据更新时间；为空表示该年度尚未生成")
    panels: list[DashboardPanelOut]


class DashboardRefreshIn(Schema):
    org: Id
    year: Year | None = None


class DashboardRefreshOut(Schema):
    detail: str
