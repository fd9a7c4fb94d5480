import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from dangjian.api.types import Id
from dangjian.meetings.models import Appraisal, Attendance, CriticismItem, Meeting


class MeetingIn(Schema):
    org: Id
    kind: Meeting.Kind
    topic: str = Field(min_length=1, max_length=200)
    status: Meeting.Status = Meeting.Status.PLANNED
    planned_on: dt.date | None = None
    held_at: dt.datetime | None = None
    place: str = Field("", max_length=200)
    group: Id | None = None
    host: Id | None = None
    recorder: Id | None = None
    lecturer: Id | None = None
    counterpart: Id | None = None
    slot: Id | None = None


class MeetingPatch(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown field is a 422 naming it

    # A field left out stays as it is; null is refused for a column that cannot be empty.
    topic: str = Field(None, min_length=1, max_length=200)
    planned_on: dt.date | None = None
    held_at: dt.datetime | None = None
    place: str = Field(None, max_length=200)
    group: Id | None = None
    host: Id | None = None
    recorder: Id | None = None
    lecturer: Id | None = None
    counterpart: Id | None = None
    sign_in_opens_at: dt.datetime | None = None
    sign_in_closes_at: dt.datetime | None = None


class MeetingOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    kind: str
    topic: str
    status: str
    planned_on: dt.date | None
    held_at: dt.datetime | None
    place: str
    group: int | None = Field(None, alias="group_id")
    host: int | None = Field(None, alias="host_id")
    recorder: int | None = Field(None, alias="recorder_id")
    lecturer: int | None = Field(None, alias="lecturer_id")
    counterpart: int | None = Field(None, alias="counterpart_id")
    backfilled: bool
    quality: str
    similar_to: int | None = Field(None, alias="similar_to_id")
    similarity: float | None
    notice_sent_at: dt.datetime | None
    sign_in_opens_at: dt.datetime | None
    sign_in_closes_at: dt.datetime | None


class MeetingDetail(MeetingOut):
    """``record_visible`` false (need to know, docs/meetings.md): the record (minutes,
    resolutions, attendance counts) is null."""

    record_visible: bool = False
    minutes: str | None
    resolutions: str | None
    attendance: dict[str, int] | None = None

    @staticmethod
    def resolve_minutes(obj) -> str | None:
        return obj.minutes if getattr(obj, "record_visible", False) else None

    @staticmethod
    def resolve_resolutions(obj) -> str | None:
        return obj.resolutions if getattr(obj, "record_visible", False) else None

    @staticmethod
    def resolve_attendance(obj) -> dict[str, int] | None:
        return getattr(obj, "attendance", None) if getattr(obj, "record_visible", False) else None


class MeetingPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[MeetingOut]


class CancelIn(Schema):
    reason: str = Field(min_length=1, max_length=200)


class AttendanceException(Schema):
    member: int
    status: Literal["present", "leave", "absent"]


class RecordIn(Schema):
    held_at: dt.datetime | None = None
    minutes: str | None = None
    resolutions: str | None = None
    place: str | None = Field(None, max_length=200)
    attendance: list[AttendanceException] | None = Field(
        None,
        description="出席情况的例外（请假、缺席）；给出时其余应到人员记为出席（全部出席）。"
        "不给出时，未签到且未请假者记为缺席。主持人、记录人均记为出席。",
    )


class NoticeOut(Schema):
    notified: int
    attendees: int


class AttendanceIn(Schema):
    member: Id
    status: Attendance.Status
    note: str = Field("", max_length=500)


class AttendanceOut(Schema):
    id: int
    meeting: int = Field(alias="meeting_id")
    member: int = Field(alias="member_id")
    member_name: str = Field(alias="member.name")
    status: str
    channel: str
    signed_at: dt.datetime | None
    leave_reason: str
    leave_status: str
    made_up_at: dt.datetime | None


class SignInCodeOut(Schema):
    code: str = Field(alias="sign_in_code")
    token: str = Field(alias="sign_in_token")
    opens_at: dt.datetime | None = Field(alias="sign_in_opens_at")
    closes_at: dt.datetime | None = Field(alias="sign_in_closes_at")


class SignInIn(Schema):
    code: str | None = Field(None, max_length=6)
    token: str | None = Field(None, max_length=40)


class LeaveIn(Schema):
    reason: str = Field(min_length=1, max_length=200)


class LeaveDecisionIn(Schema):
    member: Id
    approve: bool


class MakeUpIn(Schema):
    note: str = Field(min_length=1, max_length=2000)


class VoteIn(Schema):
    subject: str = Field(min_length=1, max_length=200)
    votes_for: int = Field(alias="for", ge=0)
    votes_against: int = Field(0, alias="against", ge=0)
    abstain: int = Field(0, ge=0)
    written_opinions: int = Field(0, ge=0)


class VoteOut(Schema):
    """A recorded vote and its judgement. ``for`` and ``against`` are Python keywords: the
    operations serialize by alias (``by_alias=True``)."""

    id: int
    subject: str
    votes_for: int = Field(validation_alias="votes_for", serialization_alias="for")
    votes_against: int = Field(validation_alias="votes_against", serialization_alias="against")
    abstain: int
    written_opinions: int
    voting_members: int
    present_voting: int
    quorum: bool
    passed: bool
    quorum_needed: int
    pass_needed: int
    explanation: str
    rule_code: str = Field(validation_alias="rule_code", serialization_alias="rule")
    rule_version: int


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class CriticismIn(Schema):
    member: Id
    kind: CriticismItem.Kind
    content: str = Field(min_length=1, max_length=5000)
    critic: Id | None = None


class CriticismOut(Schema):
    id: int
    meeting: int = Field(alias="meeting_id")
    member: int = Field(alias="member_id")
    kind: str
    critic: int | None = Field(None, alias="critic_id")
    content: str


class ToRectificationIn(Schema):
    item: str = Field("", max_length=300)
    deadline: dt.date


class RectificationRef(Schema):
    """The rectification item a criticism was put on."""

    id: int
    item: str
    deadline: dt.date


class PlanIn(Schema):
    org: Id
    year: int = Field(ge=2000, le=2100)


class SlotOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    group: int | None = Field(None, alias="group_id")
    year: int
    kind: str
    period: str
    due_on: dt.date
    sequence: int
    planned_on: dt.date
    rule: str = Field(alias="rule_code")
    rule_version: int
    status: str = ""


class SlotPatch(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown field is a 422 naming it

    planned_on: dt.date


class AppraisalIn(Schema):
    org: Id
    year: int = Field(ge=2000, le=2100)
    meeting: Id | None = None


class AppraisalOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    year: int
    status: str
    meeting: int | None = Field(None, alias="meeting_id")
    finalized_at: dt.datetime | None


class EntryOut(Schema):
    member: int = Field(alias="member_id")
    member_name: str = Field(alias="member.name")
    self_assessment: str
    final_rating: str
    board_note: str


class AppraisalStats(Schema):
    per_member: dict[str, dict[str, int]]  # member id: {rating: mutual ratings received}
    final: dict[str, int]  # rating: members given it by the board
    raters: int


class AppraisalDetail(AppraisalOut):
    """Read from an appraisal carrying ``stats`` (``selectors.appraisal_stats``)."""

    entries: list[EntryOut]
    stats: AppraisalStats

    @staticmethod
    def resolve_entries(obj) -> list:
        return list(obj.entries.select_related("member"))

    @staticmethod
    def resolve_stats(obj) -> dict:
        stats = obj.stats
        per_member = {str(k): v for k, v in stats["per_member"].items()}
        return {"per_member": per_member, "final": stats["final"], "raters": stats["raters"]}


class SelfAssessIn(Schema):
    text: str = Field(min_length=1, max_length=5000)


class SelfAssessOut(Schema):
    member: int = Field(alias="member_id")
    self_assessment: str


class RatingsIn(Schema):
    ratings: dict[int, Appraisal.Rating]


class RatedOut(Schema):
    rated: int  # members rated by this submission


class FinalizeIn(Schema):
    ratings: dict[int, Appraisal.Rating]
    notes: dict[int, str] = {}
    followup_deadline: dt.date | None = None
