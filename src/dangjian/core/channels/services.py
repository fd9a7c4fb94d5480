"""Every write of the outgoing channels: a channel's life (create, change, disable, enable,
test) and queuing the copies of a publication. Admins may point a channel at any http(s)
host, internal ones included (an intranet gateway is common); outside calls are made by
the worker only (``delivery.deliver``), never inside a request."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q

from dangjian.core.actors import actor_user
from dangjian.core.audit import audit
from dangjian.core.channels import formats
from dangjian.core.channels.delivery import deliver
from dangjian.core.crypto import encrypt
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import AuditEntry, Channel, ChannelDelivery
from dangjian.core.scope import lineage

Kind = Channel.Kind
Status = ChannelDelivery.Status
SIGNED_KINDS = {Kind.DINGTALK_ROBOT, Kind.FEISHU_BOT, Kind.WEBHOOK}
URL_MAX = 2000
SECRET_MAX = 200


def _clean_address(kind: str, url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise DomainError("请填写地址", field="url")
    if kind == Kind.EMAIL:
        try:
            validate_email(url)
        except ValidationError:
            raise DomainError("邮箱地址格式不正确，如 dangjian@example.gov.cn", field="url")
        return url
    if len(url) > URL_MAX:
        raise DomainError(f"地址过长（最多 {URL_MAX} 个字符）", field="url")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # "http://[::1" and the like
        parts, host = None, None
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise DomainError(
            "地址应以 http:// 或 https:// 开头，如 https://qyapi.weixin.qq.com/cgi-bin/webhook/"
            "send?key=…（内网网关地址亦可）",
            field="url",
        )
    return url


def _clean_secret(kind: str, secret: str) -> str:
    secret = (secret or "").strip()
    if secret and kind not in SIGNED_KINDS:
        raise DomainError(f"{Kind(kind).label}不使用签名密钥，请留空", field="secret")
    if len(secret) > SECRET_MAX:
        raise DomainError(f"签名密钥过长（最多 {SECRET_MAX} 个字符）", field="secret")
    return secret


def _clean_name(org, name: str, exclude: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写渠道名称，如“预算处党支部企业微信群”", field="name")
    if len(name) > 100:
        raise DomainError("名称过长（最多 100 个字符）", field="name")
    clash = Channel.objects.filter(org=org, name=name).exclude(pk=exclude)
    if clash.exists():
        raise Conflict(f"本组织已有名为“{name}”的渠道", field="name")
    return name


def _set_address(channel: Channel, url: str) -> None:
    channel.url_enc = encrypt(url)
    channel.url_hint = formats.mask_url(url)


def _set_secret(channel: Channel, secret: str) -> None:
    channel.secret_enc = encrypt(secret) if secret else ""
    channel.secret_hint = formats.mask_secret(secret)


@transaction.atomic
def channel_create(
    *,
    actor,
    org,
    kind: str,
    url: str,
    name: str = "",
    secret: str = "",
    include_subtree: bool = False,
) -> Channel:
    if kind not in Kind.values:
        choices = "、".join(f"{k.label}（{k.value}）" for k in Kind)
        raise DomainError(f"渠道类型应为：{choices}", field="kind")
    url = _clean_address(kind, url)
    secret = _clean_secret(kind, secret)
    name = _clean_name(org, name or f"{org.name}{Kind(kind).label}")
    channel = Channel(
        org=org,
        name=name,
        kind=kind,
        include_subtree=include_subtree,
        created_by=actor_user(actor),
    )
    _set_address(channel, url)
    _set_secret(channel, secret)
    channel.save()
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=channel,
        verb="新建消息渠道",
        changes={
            "kind": kind,
            "url_hint": channel.url_hint,
            "secret_hint": "已设置" if secret else "",
            "include_subtree": include_subtree,
        },
    )
    return channel


@transaction.atomic
def channel_update(
    *,
    actor,
    channel: Channel,
    name: str | None = None,
    url: str | None = None,
    secret: str | None = None,
    include_subtree: bool | None = None,
) -> Channel:
    """Change what is given. ``url`` / ``secret`` left ``None`` (or a blank form field) keep
    the stored ones, which are never shown back; ``secret=""`` with ``clear`` semantics is
    ``channel_clear_secret``."""
    changes: dict = {}
    if name is not None and name.strip() != channel.name:
        new = _clean_name(channel.org, name, exclude=channel.pk)
        changes["name"] = [channel.name, new]
        channel.name = new
    if url:
        url = _clean_address(channel.kind, url)
        hint = channel.url_hint
        _set_address(channel, url)
        changes["url_hint"] = [hint, channel.url_hint]
    if secret:
        _set_secret(channel, _clean_secret(channel.kind, secret))
        changes["secret_hint"] = ["", "已更换"]
    if include_subtree is not None and include_subtree != channel.include_subtree:
        changes["include_subtree"] = [channel.include_subtree, include_subtree]
        channel.include_subtree = include_subtree
    if changes:
        channel.save()
        audit(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=channel,
            verb="修改消息渠道",
            changes=changes,
        )
    return channel


@transaction.atomic
def channel_clear_secret(*, actor, channel: Channel) -> Channel:
    if channel.secret_enc:
        _set_secret(channel, "")
        channel.save(update_fields=["secret_enc", "secret_hint", "updated_at"])
        audit(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=channel,
            verb="清除渠道签名密钥",
            changes={"secret_hint": ["已设置", ""]},
        )
    return channel


@transaction.atomic
def channel_set_enabled(*, actor, channel: Channel, enabled: bool) -> Channel:
    """Disable (nothing more is sent; queued deliveries fail as "渠道已停用") or enable."""
    if channel.enabled == enabled:
        raise Conflict("该渠道已启用" if enabled else "该渠道已停用")
    channel.enabled = enabled
    channel.save(update_fields=["enabled", "updated_at"])
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=channel,
        verb="启用消息渠道" if enabled else "停用消息渠道",
        changes={"enabled": [not enabled, enabled]},
    )
    return channel


def _absolute(url: str) -> str:
    if url.startswith("/"):
        return settings.SITE_URL.rstrip("/") + url
    return url


def _queue(deliveries: list[ChannelDelivery]) -> None:
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: [deliver.enqueue(delivery_id=pk) for pk in ids])


@transaction.atomic
def channel_test(*, actor, channel: Channel) -> ChannelDelivery:
    """Queue a test message, sent by the worker like any other (see the delivery log)."""
    if not channel.enabled:
        raise Conflict("该渠道已停用，请先启用再发送测试消息")
    delivery = ChannelDelivery.objects.create(
        channel=channel,
        source="测试消息",
        title="【测试】机关党建平台消息渠道",
        text=f"这是一条测试消息：{channel.org.name}的“{channel.name}”已接入机关党建平台。",
        link=_absolute("/"),
    )
    audit(actor=actor, action=AuditEntry.Action.ACTION, obj=channel, verb="发送测试消息")
    _queue([delivery])
    return delivery


def channels_for(org) -> list[Channel]:
    """The enabled channels that receive what is published to ``org``: the org's own, and
    those of the orgs above it that chose to receive their subtree's too."""
    above = [p for p in lineage(org.path) if p != org.path]
    return list(
        Channel.objects.filter(enabled=True)
        .filter(Q(org=org) | Q(org__path__in=above, include_subtree=True))
        .order_by("pk")
    )


@transaction.atomic
def channels_publish(
    *, org, title: str, text: str = "", url: str = "", source: str = ""
) -> list[ChannelDelivery]:
    """Queue a copy of a publication for every channel that receives ``org``'s."""
    deliveries = ChannelDelivery.objects.bulk_create(
        [
            ChannelDelivery(
                channel=channel,
                source=source[:100],
                title=(title or "")[:200] or "（无标题）",
                text=text or "",
                link=_absolute(url or "")[:500],
            )
            for channel in channels_for(org)
        ]
    )
    if deliveries:
        _queue(deliveries)
    return deliveries
