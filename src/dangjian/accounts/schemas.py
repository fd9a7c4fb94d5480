from ninja import Schema
from pydantic import Field

from dangjian.api.types import Id


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_in_days: int


class UserIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str
    name: str = ""
    member: Id | None = None
    email: str = ""


class UserOut(Schema):
    id: int
    username: str
    name: str
    member: int | None = Field(None, alias="member_id")
    is_active: bool
