"""Input and output of ``/api/v1/channels``. The address and the secret are write-only: the
output shows the address masked and whether a secret is set."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import ConfigDict, Field

from dangjian.api.types import Id, Page, PageSize


class ChannelIn(Schema):
    org: Id = Field(description="组织")
    kind: str = Field(
        max_length=20,
        description="wecom_robot（企业微信群机器人）、dingtalk_robot（钉钉群机器人）、"
        "feishu_bot（飞书机器人）、webhook（通用 Webhook）、email（电子邮件）",
    )
    url: str = Field(max_length=2000, description="机器人 Webhook 地址（内网网关亦可）或邮箱")
    secret: str = Field(
        "", max_length=200, description="签名密钥（钉钉加签、飞书签名校验、Webhook）"
    )
    name: str = Field("", max_length=100, description="名称，默认“组织名+类型”")
    include_subtree: bool = Field(False, description="同时推送下级组织发布的内容")


class ChannelPatch(Schema):
    name: str | None = Field(None, max_length=100)
    url: str | None = Field(None, max_length=2000, description="留空则不变")
    secret: str | None = Field(None, max_length=200, description="留空则不变")
    include_subtree: bool | None = None


class ChannelOut(Schema):
    # Also read from the stored answer of a repeated request (Idempotency-Key), by field name.
    model_config = ConfigDict(populate_by_name=True)

    id: int
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    name: str
    kind: str
    kind_label: str
    url: str = Field(alias="url_hint", description="地址（已遮盖）")
    has_secret: bool
    secret_hint: str
    include_subtree: bool
    enabled: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class ChannelFilter(Schema):
    org: Id | None = None
    kind: str = Field("", max_length=20)
    q: str = Field("", max_length=100)
    page: Page = 1
    page_size: PageSize = 50


class ChannelPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ChannelOut]


class DeliveryOut(Schema):
    id: int
    channel: int = Field(alias="channel_id")
    source: str
    title: str
    link: str
    status: str
    status_label: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_error: str
    sent_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class DeliveryFilter(Schema):
    status: str = Field("", max_length=10)
    page: Page = 1
    page_size: PageSize = 50


class DeliveryPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[DeliveryOut]
