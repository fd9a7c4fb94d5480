import datetime as dt

from ninja import Schema
from pydantic import ConfigDict, Field

from dangjian.api.types import Id
from dangjian.core.scope import reach_of
from dangjian.members.models import Member

Gender = Member.Gender
Status = Member.Status
Education = Member.Education
CadreLevel = Member.CadreLevel


class MemberListOut(Schema):
    """A row of the member list: ID number and phone masked, as on the list page."""

    id: int
    name: str
    gender: Gender
    ethnicity: str
    birth_date: dt.date
    id_number: str = Field(alias="id_number_masked", description="脱敏后的身份证号")
    phone: str = Field(alias="phone_masked", description="脱敏后的手机号")
    education: str
    unit: int | None = Field(None, alias="unit_id")
    job_title: str
    cadre_level: str
    org: int = Field(alias="org_id")
    group: int | None = Field(None, alias="group_id")
    status: Status
    applied_at: dt.date | None
    activist_at: dt.date | None
    candidate_at: dt.date | None
    joined_at: dt.date | None
    full_at: dt.date | None
    party_age: int | None
    is_retired: bool
    is_mobile: bool
    is_lost_contact: bool
    voting_rights_suspended: bool
    left_on: dt.date | None


class MemberOut(MemberListOut):
    """One member: the full phone for those who manage the member and for the member
    themself (as the detail page and 我的档案 show it), masked for anyone else."""

    phone: str = Field(description="手机号（管理该党员者及本人可见全号，其他人脱敏）")

    @staticmethod
    def resolve_phone(obj, context) -> str:
        request = context.get("request") if context else None
        reach = reach_of(getattr(request, "user", None))
        if reach.member_id == obj.pk or reach.covers(obj.org.path):
            return obj.phone
        return obj.phone_masked


class MemberIn(Schema):
    name: str = Field(min_length=1, max_length=50)
    gender: Gender
    birth_date: dt.date
    id_number: str
    org: Id
    status: Status
    ethnicity: str = "汉族"
    phone: str = ""
    education: Education | None = None
    unit: Id | None = None
    job_title: str = ""
    cadre_level: CadreLevel | None = None
    group: Id | None = None
    applied_at: dt.date | None = None
    activist_at: dt.date | None = None
    candidate_at: dt.date | None = None
    joined_at: dt.date | None = None
    full_at: dt.date | None = None
    is_retired: bool = False
    is_mobile: bool = False
    is_lost_contact: bool = False


class MemberPatch(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown field is a 422 naming it

    # A field left out stays as it is; null is refused for a column that cannot be empty.
    name: str = Field(None, min_length=1, max_length=50)
    gender: Gender = None
    birth_date: dt.date = None
    id_number: str = None
    org: Id = None
    status: Status = None
    ethnicity: str = None
    phone: str = None
    education: Education | None = None
    unit: Id | None = None
    job_title: str = None
    cadre_level: CadreLevel | None = None
    group: Id | None = None
    applied_at: dt.date | None = None
    activist_at: dt.date | None = None
    candidate_at: dt.date | None = None
    joined_at: dt.date | None = None
    full_at: dt.date | None = None
    is_retired: bool = None
    is_mobile: bool = None
    is_lost_contact: bool = None
    voting_rights_suspended: bool = None
    reason: str = Field("", description="身份或组织变化的原因，记入变动记录")


class MemberPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[MemberListOut]


class EventOut(Schema):
    id: int
    kind: str
    on: dt.date
    from_status: str
    to_status: str
    from_org: int | None = Field(None, alias="from_org_id")
    to_org: int | None = Field(None, alias="to_org_id")
    reason: str


class RevealOut(Schema):
    id_number: str


class ImportResult(Schema):
    created: int
    ids: list[int]
