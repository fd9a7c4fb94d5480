"""Input and output of the learning API. Hours are decimal strings ("1.50")."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from dangjian.api.types import Id, Page, PageSize, Year


class LessonIn(Schema):
    title: str = Field(max_length=200)
    kind: str = Field(description="text、image、audio、video、document、quiz")
    duration_s: int = Field(0, ge=0, le=6 * 3600, description="时长（秒），音频、视频必填")
    body: str = Field("", max_length=50_000, description="正文（HTML，保存时清理）")


class CourseIn(Schema):
    title: str = Field(max_length=200)
    org: Id = Field(description="面向的党组织（含下级）")
    year: Year
    required: bool = False
    summary: str = Field("", max_length=600)
    lessons: list[LessonIn] = Field(default_factory=list, max_length=100)


class LessonOut(Schema):
    id: int
    position: int
    title: str
    kind: str
    kind_label: str
    duration_s: int
    body: str
    media_url: str | None


class CourseOut(Schema):
    id: int
    title: str
    summary: str
    org: int
    org_name: str
    year: int
    required: bool
    status: str
    status_label: str
    reviewer: str | None
    published_at: dt.datetime | None
    lessons: list[LessonOut]


class CourseRowOut(Schema):
    id: int
    title: str
    org: int
    org_name: str
    year: int
    required: bool
    status: str
    lessons: int


class CoursePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[CourseRowOut]


class CourseFilter(Schema):
    org: Id | None = None
    year: Year | None = None
    q: str = Field("", max_length=100)
    page: Page = 1
    page_size: PageSize = 50


class SessionOut(Schema):
    session: str


class HeartbeatIn(Schema):
    session: str = Field(max_length=64)
    position_s: float = Field(0, ge=0, le=24 * 3600, description="播放位置（秒），图文填 0")


class HeartbeatOut(Schema):
    credited_s: float = Field(description="本课时累计计入的学习时间（秒，服务器计量）")
    max_position_s: float
    completed: bool
    percent: int = Field(description="完成进度（0–100）")
    credit_hours: str | None = Field(None, description="本次完成课程时记入的学时")


class HoursQuery(Schema):
    member: Id | None = Field(None, description="党员编号，默认本人")
    year: Year | None = None


class HoursOut(Schema):
    member: int
    year: int
    total: str
    required: str
    exempt: bool
    by_category: dict[str, str]
    pending: str


class ExemptionIn(Schema):
    member: Id
    year: Year
    reason: str = Field(max_length=400)


class ExemptionOut(Schema):
    id: int
    member: int
    year: int
    reason: str
    approver: str | None
