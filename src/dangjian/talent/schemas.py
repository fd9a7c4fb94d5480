"""Input and output of the talent API (/api/v1/talent). Dates ISO ("2026-06-30"); hours are
decimal strings; outputs read model objects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from dangjian.api.types import Id, Page, PageSize, Year


class NominationIn(Schema):
    member: Id = Field(description="被提名党员")
    skills: list[str] = Field(
        min_length=1, max_length=10, description='技能词表中的技能，如 ["信息安全"]'
    )
    reason: str = Field(max_length=2000, description="提名理由")
    tags: list[str] = Field(default_factory=list, max_length=8, description="其他专长（自由标签）")
    consent_on: dt.date | None = Field(
        None, description="本人书面同意的日期（由提名组织登记）；不填则由本人在平台确认"
    )


class NominationReviewIn(Schema):
    approve: bool = Field(description="true 同意入库，false 不同意（须填 note）")
    note: str = Field("", max_length=500, description="审核意见")


class TalentConfirmIn(Schema):
    availability: Literal["available", "limited", "unavailable"] = Field(
        description="可用状态：可承担任务（available）、时间有限（limited）、暂不可用（unavailable）"
    )
    skills: list[str] | None = Field(None, max_length=10, description="不填则技能不变")
    tags: list[str] | None = Field(None, max_length=8)
    note: str = Field("", max_length=500)


class TalentRetireIn(Schema):
    reason: str = Field(max_length=200, description="退出原因")


class TalentCertificateIn(Schema):
    name: str = Field(max_length=100)
    issuer: str = Field("", max_length=100)
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None


class TalentAssignmentIn(Schema):
    kind: Literal["initiative", "publicity", "opinion", "other"] = Field(
        description="融合项目（initiative）、宣传工作（publicity）、舆情研判（opinion）、其他（other）"
    )
    title: str = Field("", max_length=200, description="任务；融合项目可不填（取项目名称）")
    initiative: Id | None = Field(None, description="融合项目（kind 为 initiative 时必填）")
    org: Id | None = Field(None, description="安排任务的组织；不填为人才所在组织")
    started_on: dt.date


class AssignmentCloseIn(Schema):
    outcome: str = Field(max_length=2000, description="完成情况")
    ended_on: dt.date | None = None


class TalentCertificateOut(Schema):
    id: int
    name: str
    issuer: str
    issued_on: dt.date | None
    expires_on: dt.date | None


class TalentAssignmentOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    initiative: int | None = Field(alias="initiative_id")
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    started_on: dt.date
    ended_on: dt.date | None
    outcome: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class TalentOut(Schema):
    id: int
    member: int = Field(alias="member_id")
    name: str = Field(alias="member.name")
    org: int = Field(alias="member.org_id")
    org_name: str = Field(alias="member.org.name")
    nominated_by_org: int = Field(alias="org_id")
    status: str
    status_label: str
    skills: list[str]
    tags: list[str]
    availability: str
    availability_label: str
    reason: str
    consent_on: dt.date | None
    review_note: str
    reviewed_at: dt.datetime | None
    confirmed_on: dt.date | None

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_availability_label(obj) -> str:
        return obj.get_availability_display()

    @staticmethod
    def resolve_skills(obj) -> list[str]:
        return [s.name for s in obj.skills.all()]

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return obj.tag_list


class TalentStudyOut(Schema):
    year: int
    title: str
    hours: Decimal
    category: str


class TalentDetailOut(TalentOut):
    certificates: list[TalentCertificateOut]
    assignments: list[TalentAssignmentOut]
    training: list[TalentStudyOut] = Field(description="学习模块中的已认定学时（近三年）")

    @staticmethod
    def resolve_certificates(obj) -> list:
        return list(obj.certificates.all())

    @staticmethod
    def resolve_assignments(obj) -> list:
        return list(obj.assignments.all())

    @staticmethod
    def resolve_training(obj) -> list:
        return getattr(obj, "training", [])


class TalentFilter(Schema):
    skill: str = Field("", max_length=30, description="技能，如 信息安全")
    org: Id | None = Field(None, description="组织（含下级）")
    availability: Literal["", "available", "limited", "unavailable"] = ""
    status: Literal["nominated", "admitted", "declined", "retired", "all"] = Field(
        "admitted", description="默认只列在库人员；all 为全部"
    )
    q: str = Field("", max_length=50, description="姓名、拼音、首字母（zs）或专长")
    order: Literal["name", "org", "newest", "confirmed"] = "name"
    page: Page = 1
    page_size: PageSize = 50


class TalentPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[TalentOut]


class TrackHoursOut(Schema):
    role: str
    role_label: str
    hours: Decimal

    @staticmethod
    def resolve_role_label(obj) -> str:
        return obj.get_role_display()


class TrackIn(Schema):
    org: Id
    title: str = Field(max_length=100)
    topic: Literal["network", "security", "new_media", "opinion", "other"]
    year: Year
    summary: str = Field("", max_length=500)
    hours: dict[str, Decimal] = Field(
        description='各职务应完成学时，如 {"secretary": "16", "staff": "24"}', max_length=6
    )


class TrackItemIn(Schema):
    course: Id | None = None
    training: Id | None = None


class TrackOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    title: str
    topic: str
    topic_label: str
    year: int
    summary: str
    hours: list[TrackHoursOut]
    courses: list[int]
    trainings: list[int]

    @staticmethod
    def resolve_topic_label(obj) -> str:
        return obj.get_topic_display()

    @staticmethod
    def resolve_hours(obj) -> list:
        return list(obj.hours.all())

    @staticmethod
    def resolve_courses(obj) -> list[int]:
        return [i.course_id for i in obj.items.all() if i.course_id]

    @staticmethod
    def resolve_trainings(obj) -> list[int]:
        return [i.training_id for i in obj.items.all() if i.training_id]


class TrackPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[TrackOut]


class TrackFilter(Schema):
    year: Year | None = None
    page: Page = 1
    page_size: PageSize = 50


class TrackPersonOut(Schema):
    member: int = Field(alias="member_id")
    name: str
    org: int = Field(alias="org_id")
    org_name: str
    roles: list[str]
    required: Decimal
    earned: Decimal
    done: bool


class TrackOrgOut(Schema):
    org: int = Field(alias="org_id")
    name: str
    total: int
    done: int


class TrackProgressOut(Schema):
    track: int
    people: list[TrackPersonOut]
    orgs: list[TrackOrgOut]
