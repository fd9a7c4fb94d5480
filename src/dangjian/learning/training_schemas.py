"""Input and output of the training-class and outside-record API. Hours are decimal
strings ("8.00"; numbers are accepted in input and checked by the service)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, Field

from dangjian.api.types import Id, Page, PageSize, Year
from dangjian.core.choices import choices_text
from dangjian.learning.models import OutsideRecord, TrainingAttendance, TrainingClass


def _decimal_text(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


HoursText = Annotated[str, BeforeValidator(_decimal_text)]


class TrainingIn(Schema):
    title: str = Field(max_length=200)
    org: Id = Field(description="举办的党组织")
    starts_at: dt.datetime
    ends_at: dt.datetime
    hours: Any = Field(description='学时，如 "8"（按 LRN-5 不超过起止时间可认定的上限）')
    kind: str = Field("concentrated", description=choices_text(TrainingClass.Kind.choices))
    place: str = Field("", max_length=400)
    notice: str = Field("", max_length=10_000)


class TrainingOut(Schema):
    id: int
    title: str
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    status: str
    status_label: str = Field(alias="get_status_display")
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    hours: HoursText
    notice: str


class TrainingPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[TrainingOut]


class TrainingFilter(Schema):
    org: Id | None = None
    year: Year | None = None
    q: str = Field("", max_length=100)
    page: Page = 1
    page_size: PageSize = 50


class TrainingAttendanceIn(Schema):
    member: Id
    status: str = Field(description=choices_text(TrainingAttendance.Status.choices))
    absent_hours: Any = Field(0, description="缺课学时（出席时填写，LRN-3）")


class TrainingAttendanceOut(Schema):
    member: int = Field(alias="member_id")
    name: str = Field(alias="member.name")
    status: str
    status_label: str = Field(alias="get_status_display")
    channel: str
    signed_at: dt.datetime | None
    absent_hours: HoursText
    credited_hours: HoursText


class TrainingSessionIn(Schema):
    title: str = Field(max_length=100, description="课次，如“第一天上午”")
    starts_at: dt.datetime
    ends_at: dt.datetime
    hours: Any = Field(description="学时（LRN-5），各课次合计不超过培训班学时")


class TrainingSessionOut(Schema):
    id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    hours: HoursText
    present: int = Field(0, alias="n_present", description="出席人数")


class TrainingSessionRollIn(Schema):
    present: list[Id] = Field(max_length=5000, description="出席本课次的党员 id（须在学员名单中）")


class TrainingSessionRollOut(Schema):
    added: int
    removed: int


class TrainingSignInIn(Schema):
    code: str | None = Field(None, max_length=20)
    token: str | None = Field(None, max_length=100)


class TrainingNoticeOut(Schema):
    added: int


class OutsideRecordOut(Schema):
    id: int
    member: int = Field(alias="member_id")
    name: str = Field(alias="member.name")
    title: str
    organizer: str
    starts_on: dt.date
    ends_on: dt.date
    hours: HoursText
    status: str
    status_label: str = Field(alias="get_status_display")
    reject_reason: str


class OutsideRecordPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OutsideRecordOut]


class OutsideRecordFilter(Schema):
    org: Id | None = None
    status: str = Field("pending", description=choices_text(OutsideRecord.Status.choices))
    page: Page = 1
    page_size: PageSize = 50


class OutsideDecisionIn(Schema):
    approve: bool
    reason: str = Field("", max_length=400)


class StudyMeetingHoursIn(Schema):
    year: Year
    org: Id = Field(description="计入该组织及下级组织的会议")


class StudyMeetingHoursOut(Schema):
    added: int
