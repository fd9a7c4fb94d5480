"""Input and output of the consultation and survey API. Outputs read model objects; an
anonymous survey's outputs hold counts only, never who answered what."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from dangjian.api.types import Id, Page, PageSize

Kind = Literal["question", "suggestion", "complaint"]
QuestionKind = Literal["single", "multiple", "text", "rating", "matrix"]
Answer = list[int] | list[str]


# ---- consultations -----------------------------------------------------------------------


class PublicConsultationIn(Schema):
    org: Id | None = Field(None, description="受理党组织（与 topic 二选一）")
    topic: Id | None = Field(None, description="咨询事项（按事项转到负责的党组织）")
    question: str = Field(max_length=2000)
    contact: str = Field("", max_length=100, description="联系方式（可不填，凭查询码查询）")
    kind: Kind = "question"
    faq_consent: bool = Field(False, description="同意答复后公开为常见问题（不含个人信息）")


class ConsultationIn(PublicConsultationIn):
    pass


class ConsultationCodeOut(Schema):
    code: str


class PublicConsultationOut(Schema):
    """What the tracking code shows: the question and its answer, no personal data."""

    code: str
    kind: str
    kind_label: str
    org_name: str = Field(alias="org.name")
    question: str
    status: str
    status_label: str
    asked_at: dt.datetime = Field(alias="created_at")
    due_on: dt.date
    reply: str
    replied_at: dt.datetime | None
    rating: int | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class ConsultationOut(PublicConsultationOut):
    id: int
    org: int = Field(alias="org_id")
    topic: int | None = Field(alias="topic_id")
    channel: str
    contact: str
    faq_consent: bool
    faq_published: bool
    rating_note: str


class ConsultationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ConsultationOut]


class ConsultationFilter(Schema):
    org: Id | None = None
    status: Literal["open", "answered", "late"] | None = None
    kind: Kind | None = None
    q: str = Field("", max_length=100)
    sort: Literal["due", "-due", "new", "old"] = "due"
    page: Page = 1
    page_size: PageSize = 50


class ConsultationReplyIn(Schema):
    text: str = Field(max_length=4000)


class ConsultationRatingIn(Schema):
    rating: int = Field(ge=1, le=5, description="满意度 1–5 星")
    note: str = Field("", max_length=300)


class ConsultationFaqIn(Schema):
    publish: bool = True


class PublicFaqOut(Schema):
    id: int
    question: str
    answer: str
    url: str


class PublicFaqPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[PublicFaqOut]


# ---- surveys -----------------------------------------------------------------------------


class SurveyQuestionIn(Schema):
    kind: QuestionKind
    text: str = Field(max_length=300)
    options: list[str] = Field(default_factory=list, max_length=30)
    rows: list[str] = Field(default_factory=list, max_length=30, description="矩阵题的行")
    required: bool = True


class SurveyIn(Schema):
    title: str = Field(max_length=200)
    org: Id
    anonymous: bool = True
    audience: Literal["subtree", "public"] = "subtree"
    satisfaction: bool = Field(False, description="满意度测评（评分题计入考核指标）")
    intro: str = Field("", max_length=2000)
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None
    questions: list[SurveyQuestionIn] = Field(max_length=100)


class SurveyQuestionOut(Schema):
    number: int
    kind: str
    text: str
    options: list[str]
    rows: list[str]
    required: bool


class SurveyOut(Schema):
    id: int
    title: str
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    intro: str
    anonymous: bool
    audience: str
    satisfaction: bool
    status: str
    status_label: str
    opens_on: dt.date | None
    closes_on: dt.date | None
    questions: list[SurveyQuestionOut]

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_questions(obj) -> list:
        return list(obj.questions.all())


class SurveyRowOut(Schema):
    id: int
    title: str
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    anonymous: bool
    audience: str
    status: str
    opens_on: dt.date | None
    closes_on: dt.date | None
    responses: int = Field(alias="n_responses")


class SurveyPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[SurveyRowOut]


class SurveyFilter(Schema):
    org: Id | None = None
    status: Literal["draft", "open", "closed"] | None = None
    q: str = Field("", max_length=100)
    page: Page = 1
    page_size: PageSize = 50


class SurveyAnswersIn(Schema):
    answers: list[Answer] = Field(
        max_length=100, description='每题一项：[0]、[0, 2]、[5]、["文字"]'
    )


class PublicSurveyAnswersIn(SurveyAnswersIn):
    token: str = Field(max_length=100, description="一次性口令")


class SurveyAnswerRecorded(Schema):
    recorded: bool = True


class SurveyTokensIn(Schema):
    count: int = Field(ge=1, le=2000)


class SurveyTokensOut(Schema):
    tokens: list[str]


class SurveyQuestionResult(Schema):
    number: int
    kind: str
    text: str
    options: list[str]
    rows: list[str]
    answered: int
    counts: list[int] | list[list[int]]
    average: float | None = None
    texts: list[str] = Field(default_factory=list)


class SurveyResultsOut(Schema):
    responses: int
    questions: list[SurveyQuestionResult]
