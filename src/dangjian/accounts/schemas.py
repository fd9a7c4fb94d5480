import datetime as dt

from ninja import Schema
from pydantic import Field

from dangjian.api.types import Id


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_in_days: int
    expires_at: dt.datetime
    idle_timeout_hours: int
    must_change_password: bool


class PasswordChangeIn(Schema):
    old_password: str
    new_password: str


class TokenRow(Schema):
    id: int
    prefix: str
    client: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime
    idle_expires_at: dt.datetime
    current: bool = False


class TokenPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[TokenRow]


class PageIn(Schema):
    page: int = 1
    page_size: int = 50


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
    must_change_password: bool
