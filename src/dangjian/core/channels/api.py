"""``/api/v1/channels``: an org's outgoing channels (its managers only) and their delivery
log. Thin: the gate (404 outside reach), then a selector or a service."""

from __future__ import annotations

from ninja import Query, Router, Status

from dangjian.api.paging import page_of
from dangjian.api.types import Id
from dangjian.core.channels import selectors, services
from dangjian.core.channels.schemas import (
    ChannelFilter,
    ChannelIn,
    ChannelOut,
    ChannelPage,
    ChannelPatch,
    DeliveryFilter,
    DeliveryOut,
    DeliveryPage,
)
from dangjian.core.crypto import lookup_hash
from dangjian.core.errors import Forbidden
from dangjian.core.idempotency import idempotent
from dangjian.core.models import Channel
from dangjian.core.scope import get_manageable, org_tree, reach_of

router = Router(tags=["消息渠道"])


def _org(user, pk: int):
    return get_manageable(org_tree().model.objects.all(), user, pk=pk)


def _channel(user, pk: int) -> Channel:
    return get_manageable(Channel.objects.select_related("org"), user, pk=pk)


@router.get("", response=ChannelPage, summary="消息渠道列表（本人管理的组织）")
def channel_list(request, filters: Query[ChannelFilter]):
    org = _org(request.user, filters.org) if filters.org else None
    qs = selectors.channel_list(request.user, q=filters.q, org=org, kind=filters.kind)
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@router.post("", response={201: ChannelOut}, summary="新建消息渠道")
def channel_create(request, payload: ChannelIn):
    """例：`{"org": 3, "kind": "dingtalk_robot", "url":
    "https://oapi.dingtalk.com/robot/send?access_token=…", "secret": "SEC…"}`。
    地址与密钥只写不读：应答中地址已遮盖，密钥只显示是否已设置。可带 `Idempotency-Key`。"""
    if not reach_of(request.user).is_manager:
        raise Forbidden("只有组织的管理人员可以配置消息渠道")
    org = _org(request.user, payload.org)

    def run():
        channel = services.channel_create(
            actor=request.user,
            org=org,
            kind=payload.kind,
            url=payload.url,
            secret=payload.secret,
            name=payload.name,
            include_subtree=payload.include_subtree,
        )
        return 201, ChannelOut.from_orm(channel).model_dump(mode="json")

    # The stored request digest never holds the secret itself.
    digest = payload.model_dump(mode="json") | {"secret": lookup_hash(payload.secret)}
    status, body = idempotent(request, run, endpoint="channels.create", payload=digest)
    return Status(status, body)


@router.get("/{channel_id}", response=ChannelOut, summary="消息渠道详情")
def channel_detail(request, channel_id: Id):
    return _channel(request.user, channel_id)


@router.patch("/{channel_id}", response=ChannelOut, summary="修改消息渠道（地址、密钥留空则不变）")
def channel_update(request, channel_id: Id, payload: ChannelPatch):
    channel = _channel(request.user, channel_id)
    return services.channel_update(
        actor=request.user,
        channel=channel,
        name=payload.name,
        url=payload.url,
        secret=payload.secret,
        include_subtree=payload.include_subtree,
    )


@router.post("/{channel_id}/disable", response=ChannelOut, summary="停用消息渠道（已停用 409）")
def channel_disable(request, channel_id: Id):
    channel = _channel(request.user, channel_id)
    return services.channel_set_enabled(actor=request.user, channel=channel, enabled=False)


@router.post("/{channel_id}/enable", response=ChannelOut, summary="启用消息渠道（已启用 409）")
def channel_enable(request, channel_id: Id):
    channel = _channel(request.user, channel_id)
    return services.channel_set_enabled(actor=request.user, channel=channel, enabled=True)


@router.post("/{channel_id}/test", response={202: DeliveryOut}, summary="发送测试消息（后台发送）")
def channel_test(request, channel_id: Id):
    channel = _channel(request.user, channel_id)
    return Status(202, services.channel_test(actor=request.user, channel=channel))


@router.get("/{channel_id}/deliveries", response=DeliveryPage, summary="推送记录")
def delivery_list(request, channel_id: Id, filters: Query[DeliveryFilter]):
    channel = _channel(request.user, channel_id)
    qs = selectors.delivery_list(channel, status=filters.status)
    return page_of(qs, page=filters.page, page_size=filters.page_size)
