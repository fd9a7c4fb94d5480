"""The channel pages: managers of the org add, edit, test, disable a channel and read its
delivery log; secrets are never shown back; nobody else gets in."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.channels import services
from dangjian.core.crypto import decrypt
from dangjian.core.models import Channel, ChannelDelivery
from tests.channels.conftest import make_channel
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db
KEY = "693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa"
WECOM = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}"


def test_secretary_adds_a_channel_and_sees_it_masked(world, client_for):
    client = client_for(world.user("sec_a"))
    resp = client.post(
        "/channels/new/",
        {"org": world.a.pk, "kind": "wecom_robot", "name": "", "url": WECOM, "secret": ""},
    )
    channel = Channel.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/channels/{channel.pk}/"
    assert channel.name == "预算处党支部企业微信群机器人"
    page = client.get(f"/channels/{channel.pk}/").content.decode()
    assert "693a…5aaa" in page and KEY not in page
    assert "企业微信群机器人" in page and "wecom_robot" not in page
    listing = client.get("/channels/").content.decode()
    assert channel.name in listing and KEY not in listing


def test_bad_address_is_shown_next_to_the_field_and_the_input_kept(world, client_for):
    resp = client_for(world.user("sec_a")).post(
        "/channels/new/",
        {"org": world.a.pk, "kind": "dingtalk_robot", "name": "支部钉钉群", "url": "oapi"},
    )
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "地址应以 http:// 或 https:// 开头" in html and 'value="支部钉钉群"' in html
    assert not Channel.objects.exists()


def test_edit_leaves_address_and_secret_alone_when_blank(world, client_for):
    channel = make_channel(world.a, kind="dingtalk_robot", url=WECOM, secret="SECold0123")
    client = client_for(world.user("sec_a"))
    form = client.get(f"/channels/{channel.pk}/edit/").content.decode()
    assert "SECold0123" not in form and KEY not in form and "SEC…（共 10 位）" in form
    resp = client.post(
        f"/channels/{channel.pk}/edit/",
        {"name": "支部钉钉群", "url": "", "secret": "", "include_subtree": "on"},
    )
    assert resp.status_code == 302
    channel.refresh_from_db()
    assert channel.name == "支部钉钉群" and channel.include_subtree
    assert decrypt(channel.url_enc) == WECOM and decrypt(channel.secret_enc) == "SECold0123"
    client.post(
        f"/channels/{channel.pk}/edit/",
        {"name": "支部钉钉群", "url": "", "secret": "", "clear_secret": "on"},
    )
    channel.refresh_from_db()
    assert channel.secret_enc == "" and channel.secret_hint == ""


def test_test_disable_and_enable_from_the_page(
    world, client_for, standin, django_capture_on_commit_callbacks
):
    standin.answer("/wecom", {"errcode": 0, "errmsg": "ok"})
    channel = make_channel(world.a, url=standin.url("/wecom"))
    client = client_for(world.user("sec_a"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/channels/{channel.pk}/test/")
    assert ChannelDelivery.objects.get().status == "sent"
    page = client.get(f"/channels/{channel.pk}/").content.decode()
    assert "已送达" in page and "测试消息" in page
    client.post(f"/channels/{channel.pk}/disable/")
    channel.refresh_from_db()
    assert not channel.enabled
    resp = client.post(f"/channels/{channel.pk}/test/", follow=True)
    assert "该渠道已停用" in resp.content.decode()
    client.post(f"/channels/{channel.pk}/enable/")
    channel.refresh_from_db()
    assert channel.enabled


def test_plain_member_and_other_branch_get_404(world, client_for):
    channel = make_channel(world.a)
    assert client_for(world.user("member_a")).get("/channels/").status_code == 404
    assert client_for(world.user("sec_b")).get(f"/channels/{channel.pk}/").status_code == 404
    assert (
        client_for(world.user("sec_b")).post(f"/channels/{channel.pk}/disable/").status_code == 404
    )
    channel.refresh_from_db()
    assert channel.enabled


def test_list_filters_by_kind_and_status(world, client_for):
    make_channel(world.a, name="甲群")
    off = make_channel(world.a, kind="webhook", url="http://10.0.0.1/x", name="乙接口")
    services.channel_set_enabled(actor=SYSTEM, channel=off, enabled=False)
    client = client_for(world.user("sec_a"))
    html = client.get("/channels/", {"kind": "webhook"}).content.decode()
    assert "乙接口" in html and "甲群" not in html
    html = client.get("/channels/", {"enabled": "1"}).content.decode()
    assert "甲群" in html and "乙接口" not in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_and_log_queries_do_not_grow_with_rows(world, client_for):
    client = client_for(world.user("c1_admin"))
    first = make_channel(world.a, name="群1")
    ChannelDelivery.objects.create(channel=first, title="t", status="sent")
    _queries(client, "/channels/")  # warm the per-process caches (org tree, menu)
    few_list = _queries(client, "/channels/")
    few_log = _queries(client, f"/channels/{first.pk}/")
    for n in range(2, 8):
        channel = make_channel(world.b if n % 2 else world.a, name=f"群{n}")
        for _ in range(3):
            ChannelDelivery.objects.create(channel=channel, title="t", status="failed")
            ChannelDelivery.objects.create(channel=first, title="t", status="sent")
    assert _queries(client, "/channels/") == few_list
    assert _queries(client, f"/channels/{first.pk}/") == few_log


def test_failed_deliveries_show_on_the_workbench_of_the_orgs_managers(world, client_for):
    channel = make_channel(world.a, name="支部群")
    ChannelDelivery.objects.create(
        channel=channel, title="t", status="failed", attempts=5, last_error="HTTP 503"
    )
    html = client_for(world.user("sec_a")).get("/").content.decode()
    assert "消息渠道推送失败 1 条：支部群" in html
    assert f"/channels/{channel.pk}/?status=failed" in html
    assert "支部群" not in client_for(world.user("sec_b")).get("/").content.decode()
