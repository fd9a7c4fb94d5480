"""/api/v1/channels: the contract of the issue, admins only, secrets never read back."""

from __future__ import annotations

import pytest

from dangjian.core.models import AuditEntry, Channel, ChannelDelivery
from tests.channels.conftest import make_channel

pytestmark = pytest.mark.django_db
DING = "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123"


def body(world, **extra):
    return {
        "org": world.a.pk,
        "kind": "dingtalk_robot",
        "url": DING,
        "secret": "SEC0123456789",
    } | extra


def test_secretary_adds_a_channel_to_his_branch(world, api_for):
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/channels", body(world), content_type="application/json"
    )
    assert resp.status_code == 201, resp.content
    data = resp.json()
    assert data["org"] == world.a.pk and data["kind"] == "dingtalk_robot"
    assert data["kind_label"] == "钉钉群机器人"
    assert data["name"] == "预算处党支部钉钉群机器人"
    assert data["url"] == "https://oapi.dingtalk.com/robot/send?access_token=0123…0123"
    assert data["has_secret"] is True and data["secret_hint"] == "SEC…（共 13 位）"
    assert "SEC0123456789" not in resp.content.decode()
    assert data["enabled"] is True
    detail = api_for(world.user("sec_a")).get(f"/api/v1/channels/{data['id']}")
    assert detail.json() == data


def test_a_plain_member_may_not_add_a_channel(world, api_for):
    resp = api_for(world.user("member_a")).post(
        "/api/v1/channels", body(world), content_type="application/json"
    )
    assert resp.status_code == 403
    assert resp.json()["detail"] == "只有组织的管理人员可以配置消息渠道"
    assert not Channel.objects.exists()


def test_secretary_of_other_branch_gets_404_for_the_org(world, api_for):
    resp = api_for(world.user("sec_b")).post(
        "/api/v1/channels", body(world), content_type="application/json"
    )
    assert resp.status_code == 404
    assert not Channel.objects.exists()


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"kind": "qq"}, "kind"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"kind": "wecom_robot"}, "secret"),
        ({"url": "x" * 3000}, "url"),
    ],
)
def test_bad_input_answers_422_in_chinese(world, api_for, extra, field):
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/channels", body(world, **extra), content_type="application/json"
    )
    assert resp.status_code == 422
    errors = resp.json()["errors"]
    assert any(field in (e.get("field") or "") for e in errors), errors
    assert not Channel.objects.exists()


@pytest.mark.parametrize("raw", ["[]", "null", '{"org": "a"}', "{"])
def test_malformed_bodies_never_500(world, api_for, raw):
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/channels", raw, content_type="application/json"
    )
    assert resp.status_code in (400, 422)


def test_a_retried_create_records_once(world, api_for):
    client = api_for(world.user("sec_a"))
    first = client.post(
        "/api/v1/channels",
        body(world),
        content_type="application/json",
        headers={"Idempotency-Key": "ch-1"},
    )
    again = client.post(
        "/api/v1/channels",
        body(world),
        content_type="application/json",
        headers={"Idempotency-Key": "ch-1"},
    )
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Channel.objects.count() == 1
    # Without the key a retry is refused by the name, not recorded twice.
    third = client.post("/api/v1/channels", body(world), content_type="application/json")
    assert third.status_code == 409 and Channel.objects.count() == 1


def test_list_shows_only_channels_in_reach(world, api_for):
    make_channel(world.a, name="甲")
    make_channel(world.b, name="乙")
    sec_a = api_for(world.user("sec_a")).get("/api/v1/channels").json()
    assert sec_a["count"] == 1 and [r["name"] for r in sec_a["results"]] == ["甲"]
    assert set(sec_a) == {"count", "page", "page_size", "results"}
    c1 = api_for(world.user("c1_admin")).get("/api/v1/channels", {"org": world.b.pk}).json()
    assert [r["name"] for r in c1["results"]] == ["乙"]
    assert (
        api_for(world.user("sec_a")).get("/api/v1/channels", {"org": world.b.pk}).status_code == 404
    )
    assert api_for(world.user("member_a")).get("/api/v1/channels").json()["count"] == 0


def test_disable_then_enable(world, api_for):
    channel = make_channel(world.a)
    client = api_for(world.user("sec_a"))
    resp = client.post(f"/api/v1/channels/{channel.pk}/disable")
    assert resp.status_code == 200 and resp.json()["enabled"] is False
    assert client.post(f"/api/v1/channels/{channel.pk}/disable").status_code == 409
    assert client.post(f"/api/v1/channels/{channel.pk}/test").status_code == 409
    assert client.post(f"/api/v1/channels/{channel.pk}/enable").json()["enabled"] is True
    verbs = list(
        AuditEntry.objects.filter(object_type="core.channel").values_list("verb", flat=True)
    )
    assert {"停用消息渠道", "启用消息渠道"} <= set(verbs)


def test_patch_keeps_secret_when_left_out(world, api_for):
    channel = make_channel(world.a, kind="feishu_bot", url="https://h/hook/x", secret="old")
    resp = api_for(world.user("sec_a")).patch(
        f"/api/v1/channels/{channel.pk}",
        {"name": "支部飞书群", "include_subtree": True},
        content_type="application/json",
    )
    assert resp.status_code == 200
    assert resp.json()["name"] == "支部飞书群" and resp.json()["has_secret"] is True
    channel.refresh_from_db()
    assert channel.include_subtree is True


def test_test_message_and_delivery_log(world, api_for, standin, django_capture_on_commit_callbacks):
    standin.answer("/wecom", {"errcode": 0, "errmsg": "ok"})
    channel = make_channel(world.a, url=standin.url("/wecom"))
    client = api_for(world.user("sec_a"))
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(f"/api/v1/channels/{channel.pk}/test")
    assert resp.status_code == 202 and resp.json()["status"] == "pending"
    log = client.get(f"/api/v1/channels/{channel.pk}/deliveries").json()
    assert log["count"] == 1
    assert log["results"][0]["status"] == "sent"
    assert log["results"][0]["status_label"] == "已送达"
    assert ChannelDelivery.objects.get().attempts == 1
