import datetime as dt

from ninja import Schema
from pydantic import ConfigDict, Field

from dangjian.api.types import Count, Id
from dangjian.orgs.models import Org, Position

OrgKind = Org.Kind
Role = Position.Role


class OrgOut(Schema):
    id: int
    name: str
    short_name: str
    kind: OrgKind
    parent: int | None = Field(None, alias="parent_id")
    unit: int | None = Field(None, alias="unit_id")
    path: str
    depth: int
    established_on: dt.date | None
    dissolved_on: dt.date | None


class OrgIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    kind: OrgKind
    parent: Id | None = None
    unit: Id | None = None
    short_name: str = ""
    sort: Count = 0
    established_on: dt.date | None = None


class OrgPatch(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown field is a 422 naming it

    # A field left out stays as it is; null is refused for a column that cannot be empty.
    name: str = Field(None, min_length=1, max_length=100)
    kind: OrgKind = None
    parent: Id | None = None
    unit: Id | None = None
    short_name: str = None
    sort: Count = None
    established_on: dt.date | None = None


class PositionIn(Schema):
    role: Role
    user: Id | None = None
    member: Id | None = None
    started_on: dt.date | None = None


class PositionOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    role: Role
    user: int | None = Field(None, alias="user_id")
    member: int | None = Field(None, alias="member_id")
    started_on: dt.date | None
    ended_on: dt.date | None


class DissolveIn(Schema):
    on: dt.date | None = None
