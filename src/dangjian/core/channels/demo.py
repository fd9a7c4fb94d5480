"""Demo channels: the work committee's WeChat Work group and the featured branch's DingTalk
group, behind a stand-in intranet gateway on this machine (nothing leaves it), with a short
delivery history. Runs after the other apps' steps, so that their publications of the demo
are not queued for sending."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangjian.core.channels import services
from dangjian.core.models import ChannelDelivery

GATEWAY = "http://127.0.0.1:9"  # a closed local port: a demo send fails at once, retried
HISTORY = [
    ("通知公告", "关于开展“七一”主题党日活动的通知"),
    ("党建动态", "市直机关工委召开季度党建工作推进会"),
    ("通知公告", "关于做好年度党员教育培训学时登记的通知"),
]


def build(ctx) -> None:
    token = "".join(ctx.random.choice("0123456789abcdef") for _ in range(32))
    committee = services.channel_create(
        actor=ctx.actor,
        org=ctx.work_committee,
        kind="wecom_robot",
        name="工委党建工作群（企业微信）",
        url=f"{GATEWAY}/cgi-bin/webhook/send?key={token}",
    )
    services.channel_create(
        actor=ctx.actor,
        org=ctx.featured,
        kind="dingtalk_robot",
        name="支部党员群（钉钉）",
        url=f"{GATEWAY}/robot/send?access_token={token[::-1]}",
        secret="SEC" + token[:20],
    )
    now = timezone.now()
    ChannelDelivery.objects.bulk_create(
        ChannelDelivery(
            channel=committee,
            source=source,
            title=title,
            link="/",
            status=ChannelDelivery.Status.SENT,
            attempts=1,
            sent_at=now - dt.timedelta(days=3 * (i + 1)),
        )
        for i, (source, title) in enumerate(HISTORY)
    )
    ctx.say("消息渠道：2 个（工委企业微信群、支部钉钉群）")
