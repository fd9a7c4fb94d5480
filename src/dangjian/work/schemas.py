"""Input and output of the 党建+业务 API. Numbers of indicators are decimal strings
("100", "98.50"); dates ISO ("2026-06-30"); outputs read model objects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field, model_validator

from dangjian.api.types import Id, Page, PageSize, Year


class IndicatorIn(Schema):
    name: str = Field(max_length=200)
    target: Decimal = Field(description='目标值，如 "100"', max_digits=14, decimal_places=2)
    unit: str = Field("", max_length=40)
    owner: str = Field("", max_length=100, description="数据责任人")


class InitiativeIn(Schema):
    title: str = Field(max_length=400)
    org: Id = Field(description="责任党组织")
    unit: str = Field(max_length=200, description="业务部门")
    year: Year
    goal: str = Field("", max_length=4000)
    indicators: list[IndicatorIn] = Field(default_factory=list, max_length=20)
    members: list[Id] = Field(default_factory=list, max_length=500, description="参与党员")


class IndicatorOut(Schema):
    id: int
    name: str
    target: Decimal
    actual: Decimal | None
    unit: str
    owner: str


class InitiativeOut(Schema):
    id: int
    title: str
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    unit: str
    year: int
    goal: str
    phase: str
    phase_label: str
    next_phase: str | None
    progress: str
    review: str
    review_meeting: int | None = Field(alias="review_meeting_id")
    completed_on: dt.date | None
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_phase_label(obj) -> str:
        return obj.get_phase_display()


class InitiativeRowOut(Schema):
    id: int
    title: str
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    unit: str
    year: int
    phase: str
    phase_label: str

    @staticmethod
    def resolve_phase_label(obj) -> str:
        return obj.get_phase_display()


class InitiativePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[InitiativeRowOut]


class InitiativeFilter(Schema):
    org: Id | None = None
    year: Year | None = None
    phase: Literal["plan", "deploy", "execute", "review", "done"] | None = None
    q: str = Field("", max_length=100)
    page: Page = 1
    page_size: PageSize = 50


class AdvanceIn(Schema):
    to: str = Field(max_length=20, description="plan、deploy、execute、review、done（下一阶段）")
    progress: str = Field("", max_length=10000, description="落实阶段：推进情况")
    review: str = Field("", max_length=10000, description="检查阶段：书面检查评估")
    review_meeting: Id | None = Field(None, description="检查阶段：研究检查的会议")
    actuals: dict[int, Decimal] = Field(
        default_factory=dict, description="检查阶段：指标编号 → 实际值"
    )
    note: str = Field("", max_length=2000)


class TaskIn(Schema):
    title: str = Field(max_length=400)
    org: Id | None = Field(None, description="承办党组织（与 member 二选一）")
    member: Id | None = Field(None, description="承办党员（与 org 二选一）")
    due: dt.date
    done_definition: str = Field("", max_length=1000, description="完成标准")

    @model_validator(mode="after")
    def one_assignee(self):
        if (self.org is None) == (self.member is None):
            raise ValueError("请给出承办党组织 org 或承办党员 member（二选一）")
        return self


class TaskOut(Schema):
    # Built from a Task, or from its stored JSON (a repeated Idempotency-Key): both names.
    model_config = ConfigDict(populate_by_name=True)

    id: int
    title: str
    initiative: int | None = Field(alias="initiative_id")
    plan_item: int | None = Field(alias="plan_item_id")
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    member: int | None = Field(alias="member_id")
    member_name: str | None
    due: dt.date
    done_definition: str
    status: str = Field(alias="state_now")
    status_label: str = Field(alias="state_label")
    percent: int
    outcome: str
    completed_on: dt.date | None


class TaskPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[TaskOut]


class TaskFilter(Schema):
    org: Id | None = None
    status: Literal["open", "in_progress", "done", "overdue"] | None = Field(
        None, description="open（未开始）、in_progress（进行中）、done（已完成）、overdue（已逾期）"
    )
    page: Page = 1
    page_size: PageSize = 50


class ProgressIn(Schema):
    percent: int = Field(ge=0, le=100)
    note: str = Field(max_length=4000)


class CompleteIn(Schema):
    outcome: str = Field(max_length=10000)


class PledgeIn(Schema):
    member: Id
    year: Year
    text: str = Field(max_length=4000)


class FulfilIn(Schema):
    result: str = Field(max_length=10000)
    rating: Literal["excellent", "good", "fair", "poor"] = Field(
        description="excellent（优秀）、good（良好）、fair（一般）、poor（较差）"
    )


class PledgeOut(Schema):
    id: int
    member: int = Field(alias="member_id")
    member_name: str = Field(alias="member.name")
    year: int
    text: str
    result: str
    rating: str
    rating_label: str
    rated_on: dt.date | None

    @staticmethod
    def resolve_rating_label(obj) -> str:
        return obj.get_rating_display()


class FeedbackIn(Schema):
    org: Id = Field(description="填报反馈的党支部")
    text: str = Field(max_length=10000)


class FeedbackOut(Schema):
    id: int
    item: int = Field(alias="item_id")
    org: int = Field(alias="org_id")
    text: str
    facts: dict
