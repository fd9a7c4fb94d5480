"""Input and output schemas of the supervision API (inspections, duty reports, talks)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from dangjian.api.types import Id, Page, PageSize, Year
from dangjian.assessment.supervision.models import DutyReport, InspectionVisit, Talk

# ---- inspections -------------------------------------------------------------------------


class InspectionIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    year: Year
    org: Id
    targets: Literal["branches"] = "branches"
    basis: str = Field("", max_length=5000)
    scope: str = Field("", max_length=300)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    items: list[str] = Field(default_factory=list, max_length=200, description="自定检查事项")


class InspectionCoverage(Schema):
    targets: int
    inspected: int


class InspectionOut(Schema):
    id: int
    title: str
    year: int
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    basis: str
    scope: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    status: str
    onsite_cap: int
    coverage: InspectionCoverage


class ChecklistItemOut(Schema):
    id: int
    org: int | None = Field(None, alias="org_id")
    source: str
    rule_code: str
    text: str
    finding_status: str


class VisitFindingIn(Schema):
    text: str = Field(min_length=1, max_length=2000)
    deadline: dt.date
    owner: Id | None = Field(None, description="整改责任人（党员编号，默认为该组织书记）")


class InspectionVisitIn(Schema):
    org: Id
    on: dt.date
    kind: InspectionVisit.Kind = InspectionVisit.Kind.ON_SITE
    note: str = Field("", max_length=5000)
    findings: list[VisitFindingIn] = Field(default_factory=list, max_length=100)


class VisitFindingOut(Schema):
    id: int
    item: str
    owner: int = Field(alias="owner_id")
    owner_name: str = Field(alias="owner.name")
    deadline: dt.date
    status: str


class InspectionVisitOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    on: dt.date
    kind: str
    note: str
    findings: list[VisitFindingOut]


class InspectionTargetOut(Schema):
    org: int
    org_name: str
    inspected: bool
    visited_on: dt.date | None
    kind: str | None
    findings: int
    closed: int


class InspectionDetail(InspectionOut):
    targets: list[InspectionTargetOut] = Field(alias="target_rows")
    items: list[ChecklistItemOut] = Field(alias="checklist")


class InspectionPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[InspectionOut]


class InspectionFilter(Schema):
    org: Id | None = None
    year: Year | None = None
    page: Page = 1
    page_size: PageSize = 50


# ---- duty reports ------------------------------------------------------------------------


class DutyReportIn(Schema):
    org: Id
    year: Year
    reporter: Id
    text: str = Field(min_length=1, max_length=20000)


class DutyReportCreated(Schema):
    id: int


class DutyBallotIn(Schema):
    rating: DutyReport.Rating


class DutyBallotOut(Schema):
    voted: bool = True


class DutyCommentIn(Schema):
    comment: str = Field(min_length=1, max_length=5000)
    close: bool = True


class DutyTally(Schema):
    good: int
    fair: int
    average: int
    poor: int


class DutyReportOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    year: int
    reporter: int = Field(alias="reporter_id")
    reporter_name: str = Field(alias="reporter.name")
    text: str
    status: str
    comment: str
    commented_at: dt.datetime | None


class DutyReportDetail(DutyReportOut):
    tallies: DutyTally
    voters: int = Field(alias="voter_count", description="已评议人数（不含谁投了什么）")


class DutyReportPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[DutyReportOut]


class DutyFilter(Schema):
    org: Id | None = None
    year: Year | None = None
    page: Page = 1
    page_size: PageSize = 50


# ---- talks -------------------------------------------------------------------------------


class TalkIn(Schema):
    kind: Talk.Kind
    org: Id
    member: Id
    reason: str = Field(min_length=1, max_length=5000)
    on: dt.date
    record: str = Field("", max_length=20000)
    findings: list[Id] = Field(default_factory=list, max_length=100, description="相关整改事项")


class TalkCommitmentIn(Schema):
    item: str = Field(min_length=1, max_length=300)
    deadline: dt.date


class TalkCommitmentOut(Schema):
    id: int
    item: str
    deadline: dt.date
    status: str


class AccountabilityIn(Schema):
    decision: str = Field(min_length=1, max_length=300)
    basis: str = Field(min_length=1, max_length=5000)
    decided_on: dt.date


class AccountabilityOut(Schema):
    id: int
    decision: str
    basis: str
    decided_on: dt.date


class TalkOut(Schema):
    id: int
    kind: str
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    member: int = Field(alias="member_id")
    member_name: str = Field(alias="member.name")
    reason: str
    on: dt.date
    record: str


class TalkDetail(TalkOut):
    findings: list[int] = Field(alias="finding_ids")
    commitments: list[TalkCommitmentOut]
    decisions: list[AccountabilityOut] = Field(alias="decision_rows")


class TalkPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[TalkOut]


class TalkFilter(Schema):
    org: Id | None = None
    member: Id | None = Field(None, description="谈话对象（党员编号）")
    kind: Talk.Kind | None = None
    page: Page = 1
    page_size: PageSize = 50
