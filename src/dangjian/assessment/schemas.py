import datetime as dt

from ninja import Schema
from pydantic import Field

from dangjian.api.types import Id, Page
from dangjian.assessment.models import Rectification


class RectificationIn(Schema):
    org: Id
    item: str = Field(min_length=1, max_length=300)
    owner: Id
    deadline: dt.date
    detail: str = Field("", max_length=5000)


class RectificationOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    item: str
    detail: str
    owner: int = Field(alias="owner_id")
    owner_name: str = Field(alias="owner.name")
    deadline: dt.date
    status: str
    evidence: str
    submitted_at: dt.datetime | None
    verified_at: dt.datetime | None
    verification_note: str
    source_type: str | None = Field(None, alias="source_type.model")
    source_id: int | None
    source_label: str


class RectificationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[RectificationOut]


class SubmitIn(Schema):
    evidence: str = Field(min_length=1, max_length=5000)


class VerifyIn(Schema):
    accepted: bool
    note: str = Field("", max_length=300)


class RectificationFilter(Schema):
    org: Id | None = None
    status: Rectification.Status | None = None
    overdue: bool = False
    page: Page = 1
    page_size: int = 50
