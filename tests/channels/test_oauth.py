"""Login through WeChat Work and DingTalk against a local stand-in of their endpoints: the
happy path, a state mismatch, an unbound account (no account is created), binding."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from dangjian.accounts import services
from dangjian.accounts.models import ExternalIdentity, User
from dangjian.core.models import AuditEntry
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def wecom(settings, standin):
    settings.WECOM_CORP_ID, settings.WECOM_AGENT_ID, settings.WECOM_SECRET = "ww1", "1000002", "s"
    settings.WECOM_API = standin.url("")
    standin.answer("/cgi-bin/gettoken", {"errcode": 0, "access_token": "AT", "expires_in": 7200})
    standin.answer("/cgi-bin/auth/getuserinfo", {"errcode": 0, "errmsg": "ok", "userid": "LiSi"})
    return standin


@pytest.fixture
def dingtalk(settings, standin):
    settings.DINGTALK_CLIENT_ID, settings.DINGTALK_CLIENT_SECRET = "dingabc", "dsecret"
    settings.DINGTALK_API = standin.url("")
    standin.answer("/v1.0/oauth2/userAccessToken", {"accessToken": "UAT", "expireIn": 7200})
    standin.answer("/v1.0/contact/users/me", {"nick": "李四", "unionId": "U-lisi"})
    return standin


def start(client, path="/accounts/oauth/wecom/", **headers):
    resp = client.get(path, headers=headers)
    assert resp.status_code == 302
    return resp["Location"], parse_qs(urlsplit(resp["Location"]).query)


def test_login_page_shows_buttons_only_when_configured(client, settings):
    assert "扫码登录" not in client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/oauth/wecom/").status_code == 404
    settings.WECOM_CORP_ID, settings.WECOM_AGENT_ID, settings.WECOM_SECRET = "ww1", "1", "s"
    html = client.get("/accounts/login/").content.decode()
    assert "企业微信扫码登录" in html and "钉钉扫码登录" not in html


def test_wecom_qr_on_pc_and_oauth_inside_the_app(client, wecom, settings):
    location, query = start(client)
    assert location.startswith(settings.WECOM_QR_URL)
    assert query["login_type"] == ["CorpApp"] and query["appid"] == ["ww1"]
    assert query["agentid"] == ["1000002"]
    assert query["redirect_uri"] == ["http://testserver/accounts/oauth/wecom/callback/"]
    ua = "Mozilla/5.0 (iPhone) wxwork/4.1.0 MicroMessenger/7.0.1"
    location, query = start(client, HTTP_USER_AGENT=ua, **{"User-Agent": ua})
    assert location.startswith(settings.WECOM_AUTHORIZE_URL)
    assert location.endswith("#wechat_redirect") and query["scope"] == ["snsapi_base"]


def test_wecom_login_of_a_bound_user(world, client, wecom):
    member_a = world.user("member_a")
    services.identity_bind(actor=SYSTEM, user=member_a, provider="wecom", external_id="LiSi")
    _, query = start(client, "/accounts/oauth/wecom/?next=/members/me/")
    resp = client.get(
        "/accounts/oauth/wecom/callback/", {"code": "CODE1", "state": query["state"][0]}
    )
    assert resp.status_code == 302 and resp["Location"] == "/members/me/"
    assert client.session["_auth_user_id"] == str(member_a.pk)
    assert wecom.of("/cgi-bin/gettoken")[0].query == {"corpid": "ww1", "corpsecret": "s"}
    assert wecom.of("/cgi-bin/auth/getuserinfo")[0].query == {"access_token": "AT", "code": "CODE1"}
    assert AuditEntry.objects.filter(action="login", actor=member_a).exists()
    assert ExternalIdentity.objects.get().last_login_at is not None


def test_state_mismatch_is_refused(world, client, wecom):
    services.identity_bind(
        actor=SYSTEM, user=world.user("member_a"), provider="wecom", external_id="LiSi"
    )
    start(client)
    resp = client.get("/accounts/oauth/wecom/callback/", {"code": "C", "state": "forged"})
    assert resp.status_code == 400
    assert "登录请求已失效或来源不明" in resp.content.decode()
    assert "_auth_user_id" not in client.session
    assert wecom.of("/cgi-bin/auth/getuserinfo") == []  # the code was never used
    # A callback nobody started is refused the same way.
    fresh = client.get("/accounts/oauth/wecom/callback/", {"code": "C", "state": "x"})
    assert fresh.status_code == 400


def test_unbound_account_is_not_logged_in_and_no_account_is_created(world, client, wecom):
    users = User.objects.count()
    _, query = start(client)
    resp = client.get("/accounts/oauth/wecom/callback/", {"code": "C", "state": query["state"][0]})
    assert resp.status_code == 404
    assert "尚未绑定平台账号" in resp.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users and not ExternalIdentity.objects.exists()


def test_a_state_is_used_once(world, client, wecom):
    services.identity_bind(
        actor=SYSTEM, user=world.user("member_a"), provider="wecom", external_id="LiSi"
    )
    _, query = start(client)
    state = query["state"][0]
    assert (
        client.get("/accounts/oauth/wecom/callback/", {"code": "C", "state": state}).status_code
        == 302
    )
    client.logout()
    again = client.get("/accounts/oauth/wecom/callback/", {"code": "C", "state": state})
    assert again.status_code == 400


def test_provider_errors_are_a_clear_message_not_a_500(world, client, wecom):
    wecom.answer("/cgi-bin/auth/getuserinfo", {"errcode": 40029, "errmsg": "invalid code"})
    _, query = start(client)
    resp = client.get("/accounts/oauth/wecom/callback/", {"code": "C", "state": query["state"][0]})
    assert resp.status_code == 400 and "请重新扫码" in resp.content.decode()


def test_dingtalk_login_reads_the_union_id(world, client, dingtalk, settings):
    services.identity_bind(
        actor=SYSTEM, user=world.user("sec_a"), provider="dingtalk", external_id="U-lisi"
    )
    location, query = start(client, "/accounts/oauth/dingtalk/")
    assert location.startswith(settings.DINGTALK_AUTHORIZE_URL)
    assert query["client_id"] == ["dingabc"] and query["scope"] == ["openid"]
    resp = client.get(
        "/accounts/oauth/dingtalk/callback/", {"authCode": "AC", "state": query["state"][0]}
    )
    assert resp.status_code == 302 and resp["Location"] == "/"
    assert client.session["_auth_user_id"] == str(world.user("sec_a").pk)
    token = dingtalk.of("/v1.0/oauth2/userAccessToken")[0]
    assert token.json == {
        "clientId": "dingabc",
        "clientSecret": "dsecret",
        "code": "AC",
        "grantType": "authorization_code",
    }
    me = dingtalk.of("/v1.0/contact/users/me")[0]
    assert me.headers["x-acs-dingtalk-access-token"] == "UAT"


def test_a_signed_in_user_binds_his_own_account_by_scanning(world, client_for, dingtalk):
    client = client_for(world.user("member_a"))
    _, query = start(client, "/accounts/oauth/dingtalk/")
    resp = client.get(
        "/accounts/oauth/dingtalk/callback/", {"authCode": "AC", "state": query["state"][0]}
    )
    assert resp.status_code == 302 and resp["Location"] == "/accounts/identities/"
    identity = ExternalIdentity.objects.get()
    assert identity.user == world.user("member_a") and identity.external_id == "U-lisi"
    assert identity.external_name == "李四" and identity.bound_by == world.user("member_a")
    page = client.get("/accounts/identities/").content.decode()
    assert "已绑定（李四）" in page


def test_manager_binds_a_user_of_his_branch_only(world, client_for):
    client = client_for(world.user("sec_a"))
    member_a, sec_b = world.user("member_a"), world.user("sec_b")
    resp = client.post(
        "/accounts/identities/", {"user": member_a.pk, "provider": "wecom", "external_id": "LiSi"}
    )
    assert resp.status_code == 302
    assert ExternalIdentity.objects.get().bound_by == world.user("sec_a")
    resp = client.post(
        "/accounts/identities/", {"user": sec_b.pk, "provider": "wecom", "external_id": "QianQi"}
    )
    assert resp.status_code == 200 and ExternalIdentity.objects.count() == 1
    # The same provider account cannot be bound twice.
    resp = client.post(
        "/accounts/identities/",
        {"user": world.user("peer_a").pk, "provider": "wecom", "external_id": "LiSi"},
    )
    assert "已绑定其他用户" in resp.content.decode()


def test_unbind_own_or_in_reach_only(world, client_for):
    mine = services.identity_bind(
        actor=SYSTEM, user=world.user("member_a"), provider="wecom", external_id="LiSi"
    )
    other = services.identity_bind(
        actor=SYSTEM, user=world.user("sec_b"), provider="wecom", external_id="QianQi"
    )
    member = client_for(world.user("member_a"))
    assert member.post(f"/accounts/identities/{other.pk}/unbind/").status_code == 404
    assert member.post(f"/accounts/identities/{mine.pk}/unbind/").status_code == 302
    assert list(ExternalIdentity.objects.all()) == [other]
    assert (
        client_for(world.user("c1_admin"))
        .post(f"/accounts/identities/{other.pk}/unbind/")
        .status_code
        == 302
    )
    assert not ExternalIdentity.objects.exists()


def test_member_home_offers_binding_only_when_a_provider_is_on(world, client_for, settings):
    client = client_for(world.user("member_a"))
    assert "账号绑定" not in client.get("/members/me/").content.decode()
    settings.DINGTALK_CLIENT_ID, settings.DINGTALK_CLIENT_SECRET = "dingabc", "s"
    assert "账号绑定" in client.get("/members/me/").content.decode()
