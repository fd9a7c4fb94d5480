"""Channels receive what is published to their org, through the worker, with retries and a
delivery log; the robots get their native format over real HTTP (a local stand-in)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from dangjian.core.channels import delivery as sending
from dangjian.core.channels import services
from dangjian.core.crypto import decrypt
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import AuditEntry, Channel, ChannelDelivery
from dangjian.core.signals import published
from tests.channels.conftest import make_channel
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db
OK = {"errcode": 0, "errmsg": "ok"}


class Notice:
    """Our own sender: publicity sends the signal with its Notice model."""

    class _meta:
        verbose_name = "通知公告"


def publish(org, run, title="关于开展主题党日活动的通知", url="/publicity/notices/3/"):
    with run(execute=True):
        transaction.on_commit(
            lambda: published.send(
                sender=Notice, org=org, title=title, text="请按时参加。", url=url, actor=SYSTEM
            )
        )


def time_passes(row) -> int:
    """The retry's time comes (the row's clock is moved, not the test's); the sweep runs."""
    ChannelDelivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    return sending.deliveries_retry_due()


def test_channel_keeps_address_and_secret_encrypted_and_shows_them_masked(world):
    url = "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123"
    channel = make_channel(world.a, kind="dingtalk_robot", url=url, secret="SEC0123456789")
    row = Channel.objects.get(pk=channel.pk)
    assert "0123456789abcdef" not in row.url_enc and decrypt(row.url_enc) == url
    assert decrypt(row.secret_enc) == "SEC0123456789"
    assert row.url_hint == "https://oapi.dingtalk.com/robot/send?access_token=0123…0123"
    assert row.secret_hint == "SEC…（共 13 位）"
    entry = AuditEntry.objects.get(object_type="core.channel", object_id=str(channel.pk))
    assert "SEC0123456789" not in str(entry.changes) and "abcdef" not in str(entry.changes)


@pytest.mark.parametrize(
    "kind,url,secret,field",
    [
        ("wecom_robot", "ftp://host/x", "", "url"),
        ("webhook", "http://[::1", "", "url"),
        ("wecom_robot", "", "", "url"),
        ("wecom_robot", "https://h/x", "SECabc", "secret"),
        ("email", "not-an-address", "", "url"),
        ("telegram", "https://h/x", "", "kind"),
    ],
)
def test_bad_channel_input_names_the_field(world, kind, url, secret, field):
    with pytest.raises(DomainError) as exc:
        make_channel(world.a, kind=kind, url=url, secret=secret)
    assert exc.value.field == field
    assert not Channel.objects.exists()


def test_two_channels_of_one_org_need_different_names(world):
    make_channel(world.a, name="支部群")
    with pytest.raises(Conflict):
        make_channel(world.a, name="支部群")


def test_internal_hosts_are_allowed(world):
    channel = make_channel(world.a, kind="webhook", url="http://10.0.8.2:8080/gateway/dj")
    assert channel.url_hint == "http://10.0.8.2:8080/gateway/dj"


def test_publishing_to_an_org_posts_the_native_format_to_its_channels(
    world, standin, django_capture_on_commit_callbacks
):
    standin.answer("/wecom", OK)
    standin.answer("/ding", OK)
    standin.answer("/feishu", {"code": 0, "msg": "success"})
    standin.answer("/hook", {})
    make_channel(world.a, url=standin.url("/wecom?key=abc"))
    make_channel(
        world.a, kind="dingtalk_robot", url=standin.url("/ding?access_token=t"), secret="SECx"
    )
    make_channel(world.a, kind="feishu_bot", url=standin.url("/feishu"), secret="fs")
    make_channel(world.a, kind="webhook", url=standin.url("/hook"), secret="wh")
    make_channel(world.b, url=standin.url("/other"))  # a sibling branch: gets nothing

    publish(world.a, django_capture_on_commit_callbacks)

    assert [r.path for r in standin.requests] == ["/wecom", "/ding", "/feishu", "/hook"]
    wecom = standin.of("/wecom")[0]
    assert wecom.query == {"key": "abc"}
    assert wecom.json["markdown"]["content"].startswith("**关于开展主题党日活动的通知**")
    assert "http://127.0.0.1:8000/publicity/notices/3/" in wecom.json["markdown"]["content"]
    ding = standin.of("/ding")[0]
    assert {"access_token", "timestamp", "sign"} <= set(ding.query)
    assert ding.json["msgtype"] == "markdown"
    feishu = standin.of("/feishu")[0].json
    assert feishu["msg_type"] == "post" and feishu["sign"]
    hook = standin.of("/hook")[0]
    assert hook.json["source"] == "通知公告" and hook.headers["x-dangjian-signature"]
    rows = ChannelDelivery.objects.filter(channel__org=world.a)
    assert [r.status for r in rows] == ["sent"] * 4
    assert all(r.attempts == 1 and r.sent_at for r in rows)
    assert not ChannelDelivery.objects.filter(channel__org=world.b).exists()


def test_ancestors_channels_get_it_only_when_they_ask_for_their_subtree(
    world, standin, django_capture_on_commit_callbacks
):
    standin.answer("/c1", OK)
    standin.answer("/w", OK)
    make_channel(world.c1, url=standin.url("/c1"), include_subtree=True)
    make_channel(world.w, url=standin.url("/w"))  # its own publications only
    publish(world.a, django_capture_on_commit_callbacks)
    assert [r.path for r in standin.requests] == ["/c1"]


def test_a_disabled_channel_gets_nothing(world, standin, django_capture_on_commit_callbacks):
    channel = make_channel(world.a, url=standin.url("/wecom"))
    services.channel_set_enabled(actor=SYSTEM, channel=channel, enabled=False)
    publish(world.a, django_capture_on_commit_callbacks)
    assert standin.requests == [] and not ChannelDelivery.objects.exists()
    with pytest.raises(Conflict):
        services.channel_set_enabled(actor=SYSTEM, channel=channel, enabled=False)


def test_a_rolled_back_publication_sends_nothing(
    world, standin, django_capture_on_commit_callbacks
):
    make_channel(world.a, url=standin.url("/wecom"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                transaction.on_commit(
                    lambda: published.send(sender=Notice, org=world.a, title="t", actor=SYSTEM)
                )
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and not ChannelDelivery.objects.exists()


def test_a_refused_message_is_retried_with_a_doubling_wait_then_sent(
    world, standin, settings, django_capture_on_commit_callbacks
):
    settings.CHANNEL_RETRY_SECONDS = 60
    standin.answer("/wecom", {"errcode": 45009, "errmsg": "api freq out of limit"}, OK)
    make_channel(world.a, url=standin.url("/wecom"))
    before = timezone.now()
    publish(world.a, django_capture_on_commit_callbacks)

    row = ChannelDelivery.objects.get()
    assert row.status == "retrying" and row.attempts == 1
    assert row.last_error == "错误码 45009：api freq out of limit"
    assert before + dt.timedelta(seconds=59) < row.next_attempt_at
    assert row.next_attempt_at < timezone.now() + dt.timedelta(seconds=61)
    # The immediate backend cannot defer the retry: the sweep re-queues it when it is due.
    assert sending.deliveries_retry_due() == 0
    assert time_passes(row) == 1

    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2 and row.last_error == ""
    assert len(standin.of("/wecom")) == 2


def test_after_the_last_attempt_the_delivery_fails_and_says_why(
    world, standin, settings, django_capture_on_commit_callbacks
):
    settings.CHANNEL_MAX_ATTEMPTS = 3
    standin.answer("/wecom", {"errmsg": "busy"}, status=503)
    make_channel(world.a, url=standin.url("/wecom"))
    publish(world.a, django_capture_on_commit_callbacks)
    row = ChannelDelivery.objects.get()
    for attempt in (2, 3):
        assert time_passes(row) == 1
        row.refresh_from_db()
        assert row.attempts == attempt
    assert row.status == "failed" and row.last_error == "HTTP 503"
    assert row.next_attempt_at is None
    assert sending.deliveries_retry_due(now=timezone.now() + dt.timedelta(days=1)) == 0
    assert sending.retry_delay(1) == dt.timedelta(seconds=60)
    assert sending.retry_delay(3) == dt.timedelta(seconds=240)


def test_an_unreachable_host_is_a_failed_attempt_not_an_error(
    world, django_capture_on_commit_callbacks
):
    make_channel(world.a, url="http://127.0.0.1:9/closed")
    publish(world.a, django_capture_on_commit_callbacks)
    row = ChannelDelivery.objects.get()
    assert row.status == "retrying" and row.last_error.startswith("无法连接")


def test_an_attempt_is_made_once_even_if_queued_twice(world, standin):
    standin.answer("/wecom", OK)
    channel = make_channel(world.a, url=standin.url("/wecom"))
    row = ChannelDelivery.objects.create(channel=channel, title="t")
    assert sending.delivery_attempt(delivery_id=row.pk).status == "sent"
    assert sending.delivery_attempt(delivery_id=row.pk) is None
    assert len(standin.requests) == 1


def test_queued_copies_of_a_channel_disabled_meanwhile_fail_unsent(world, standin):
    channel = make_channel(world.a, url=standin.url("/wecom"))
    row = ChannelDelivery.objects.create(channel=channel, title="t")
    services.channel_set_enabled(actor=SYSTEM, channel=channel, enabled=False)
    row = sending.delivery_attempt(delivery_id=row.pk)
    assert row.status == "failed" and row.last_error == "渠道已停用，未发送"
    assert standin.requests == []


def test_email_channel_sends_a_mail(world, mailoutbox, django_capture_on_commit_callbacks):
    make_channel(world.a, kind="email", url="dangzhibu@example.gov.cn")
    publish(world.a, django_capture_on_commit_callbacks)
    assert ChannelDelivery.objects.get().status == "sent"
    assert mailoutbox[0].to == ["dangzhibu@example.gov.cn"]
    assert mailoutbox[0].subject == "关于开展主题党日活动的通知"
    assert "http://127.0.0.1:8000/publicity/notices/3/" in mailoutbox[0].body


def test_test_message_goes_through_the_worker_and_the_log(
    world, standin, django_capture_on_commit_callbacks
):
    standin.answer("/wecom", OK)
    channel = make_channel(world.a, url=standin.url("/wecom"))
    with django_capture_on_commit_callbacks(execute=True):
        services.channel_test(actor=world.user("sec_a"), channel=channel)
    row = ChannelDelivery.objects.get()
    assert row.source == "测试消息" and row.status == "sent"
    assert "【测试】" in standin.requests[0].json["markdown"]["content"]


def test_a_retry_queued_twice_is_not_sent_before_its_time(world, standin):
    standin.answer("/wecom", {"errcode": 1, "errmsg": "busy"})
    channel = make_channel(world.a, url=standin.url("/wecom"))
    row = ChannelDelivery.objects.create(channel=channel, title="t")
    assert sending.delivery_attempt(delivery_id=row.pk).status == "retrying"
    assert sending.delivery_attempt(delivery_id=row.pk) is None  # due in a minute, not now
    assert len(standin.requests) == 1
