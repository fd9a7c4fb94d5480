"""Input and output of the exam and points API. A member's paper has no answers."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from dangjian.api.types import Id, Page, PageSize, Year


class QuestionIn(Schema):
    kind: str = Field(description="single、multiple、true_false、fill_in")
    text: str = Field(max_length=2000)
    options: list[str] = Field(
        default_factory=list, max_length=10, description="选项，依次为 A、B、C…"
    )
    answer: list[str] = Field(
        max_length=10, description="正确选项字母；判断题 A（正确）/B（错误）；填空题为可接受的答案"
    )
    score: int = Field(ge=1, le=100)
    category: str = Field("", max_length=100)
    difficulty: str = Field("medium", description="easy、medium、hard")
    tags: str = Field("", max_length=400)


class ExamIn(Schema):
    title: str = Field(max_length=200)
    org: Id = Field(description="面向的党组织（含下级）")
    pass_score: int = Field(ge=0, le=10_000)
    attempts: int = Field(1, ge=1, le=20, description="可考次数")
    time_limit_min: int | None = Field(None, ge=1, le=600, description="限时（分钟）")
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    course: Id | None = Field(None, description="通过后完成该课程的测验课时")
    publish: bool = Field(True, description="建立后立即发布（默认）；false 为草稿")
    questions: list[QuestionIn] = Field(max_length=200)


class ExamQuestionOut(Schema):
    id: int
    kind: str
    kind_label: str
    text: str
    options: list[str]
    answer: list[str]
    score: int


class ExamOut(Schema):
    id: int
    title: str
    org: int
    org_name: str
    status: str
    status_label: str
    mode: str
    pass_score: int
    full_marks: int
    attempts: int
    time_limit_min: int | None
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    course: int | None
    questions: list[ExamQuestionOut] = Field(description="固定试题（含答案，仅管理者可见）")


class ExamRowOut(Schema):
    id: int
    title: str
    org: int
    org_name: str
    status: str
    mode: str
    pass_score: int
    attempts: int


class ExamPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ExamRowOut]


class ExamFilter(Schema):
    org: Id | None = None
    q: str = Field("", max_length=100)
    page: Page = 1
    page_size: PageSize = 50


class OptionOut(Schema):
    key: str
    text: str


class PaperQuestionOut(Schema):
    id: int
    number: int
    kind: str
    kind_label: str
    text: str
    options: list[OptionOut]
    score: int


class AttemptOut(Schema):
    id: int
    exam: int
    number: int
    started_at: dt.datetime
    deadline_at: dt.datetime | None
    submitted_at: dt.datetime | None
    total: int
    score: int | None = Field(description="交卷后的得分")
    passed: bool | None
    answers: dict[str, list[str]] = Field(description="已保存的作答")
    questions: list[PaperQuestionOut] = Field(description="试卷（不含答案）")


class AnswersIn(Schema):
    answers: dict[str, list[str]] = Field(
        default_factory=dict, description='{"<试题编号>": ["A"]}；填空题为 ["答案文字"]'
    )


class SavedOut(Schema):
    saved: int = Field(description="已保存作答的题数")
    saved_at: dt.datetime


class ResultOut(Schema):
    score: int
    passed: bool
    total: int
    late: bool = Field(description="超时交卷：按时限内已保存的作答评分")
    submitted_at: dt.datetime


class PointsQuery(Schema):
    member: Id | None = Field(None, description="党员编号（只能查本人），默认本人")
    year: Year | None = None


class PointEntryOut(Schema):
    id: int
    awarded_on: dt.date
    points: int
    title: str
    rule_code: str
    rule_version: int
    reverses: int | None = Field(None, alias="reverses_id")


class PointsOut(Schema):
    member: int
    year: int
    total: int
    entries: list[PointEntryOut]


class OrgPointsQuery(Schema):
    org: Id | None = Field(None, description="党组织，默认本人管理的组织")
    year: Year | None = None


class OrgPointsOut(Schema):
    org: int
    org_name: str
    members: int = Field(description="在册党员数")
    with_points: int = Field(description="本年度有积分的党员数")
    total: int = Field(description="积分合计")
    average: float | None = Field(description="人均积分")


class OrgPointsList(Schema):
    year: int
    results: list[OrgPointsOut] = Field(description="按组织汇总，不列个人、不排名")
