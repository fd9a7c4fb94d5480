"""What the outgoing channels contribute to the workbench (工作台): a channel of the user's
orgs whose copies failed lately (after every retry) needs a look at its address or secret."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Max
from django.utils import timezone

from dangjian.core.models import Channel, ChannelDelivery
from dangjian.core.workbench import DUE, Todo, WorkbenchContext, provider, url

RECENT_DAYS = 7  # how far back a failed delivery still asks for attention
SHOWN = 5


@provider("todos", order=95)
def failed_channels(ctx: WorkbenchContext) -> Iterable[Todo]:
    """One query."""
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    rows = (
        Channel.objects.manageable_by(ctx.user)
        .filter(
            enabled=True,
            deliveries__status=ChannelDelivery.Status.FAILED,
            deliveries__created_at__gte=since,
        )
        .annotate(n_failed=Count("deliveries"), last_at=Max("deliveries__created_at"))
        .select_related("org")
        .order_by("-last_at", "id")[:SHOWN]
    )
    for channel in rows:
        yield Todo(
            what=f"消息渠道推送失败 {channel.n_failed} 条：{channel.name}",
            org_name=channel.org.name,
            due_on=None,
            status=DUE,
            action="查看推送记录",
            url=url("core:channel", channel.pk, query="status=failed"),
            source="消息渠道",
            detail="请检查机器人地址、签名密钥是否有效",
        )
