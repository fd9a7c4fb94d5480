"""The pages of one's own account: password change, one-time passwords, API tokens."""

import pytest

from dangjian.accounts import services
from dangjian.accounts.models import ApiToken
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Hq7!vLm2pZ"


def test_user_menu_links_to_the_account_security_page(client_for, world):
    body = client_for(world.user("sec_a")).get("/members/").content.decode()
    assert 'href="/accounts/tokens/"' in body


def test_token_page_lists_own_live_tokens_only(client_for, world):
    mine, _ = services.token_issue(user=world.user("sec_a"), client="钉钉工作台")
    theirs, _ = services.token_issue(user=world.user("sec_b"), client="乙支部的脚本")
    body = client_for(world.user("sec_a")).get("/accounts/tokens/").content.decode()
    assert f"{mine.prefix}…" in body and "钉钉工作台" in body
    assert f"{theirs.prefix}…" not in body and "乙支部的脚本" not in body


def test_token_page_says_why_it_is_empty(client_for, world):
    body = client_for(world.user("sec_a")).get("/accounts/tokens/").content.decode()
    assert "没有有效的 API 令牌" in body


def test_token_page_revokes_a_token(client_for, world, client):
    token, raw = services.token_issue(user=world.user("sec_a"))
    resp = client_for(world.user("sec_a")).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert resp.status_code == 302 and resp["Location"] == "/accounts/tokens/"
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert (
        client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {raw}"}).status_code
        == 401
    )


def test_another_users_token_cannot_be_revoked_from_the_page(client_for, world):
    token, _ = services.token_issue(user=world.user("sec_b"))
    resp = client_for(world.user("sec_a")).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert resp.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_password_form_refuses_mismatch_and_keeps_the_old_password(client_for, world):
    resp = client_for(world.user("sec_a")).post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "Other@2026x"},
    )
    assert resp.status_code == 200 and "两次输入的新密码不一致" in resp.content.decode()
    world.user("sec_a").refresh_from_db()
    assert world.user("sec_a").check_password(PASSWORD)


def test_password_form_shows_wrong_old_password_next_to_its_field(client_for, world):
    resp = client_for(world.user("sec_a")).post(
        "/accounts/password/",
        {
            "old_password": "Wrong@2026x",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert resp.context["form"].errors["old_password"] == ["原密码不正确"]


def test_login_made_by_a_secretary_is_sent_to_the_password_form_first(client, world):
    services.user_create(
        actor=world.user("sec_a"),
        username="newbie",
        password="Init@2026x",
        member=world.members_a[2],
    )
    resp = client.post("/accounts/login/", {"username": "newbie", "password": "Init@2026x"})
    assert resp.status_code == 302
    for url in ("/", "/members/", "/meetings/"):
        resp = client.get(url)
        assert resp.status_code == 302 and resp["Location"] == "/accounts/password/", url
    page = client.get("/accounts/password/").content.decode()
    assert "初始密码" in page
    resp = client.post(
        "/accounts/password/",
        {
            "old_password": "Init@2026x",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert resp.status_code == 302
    assert client.get("/members/me/").status_code == 200


def test_user_who_must_change_password_may_still_log_out(client, world):
    services.user_create(actor=world.user("admin"), username="newbie", password="Init@2026x")
    client.post("/accounts/login/", {"username": "newbie", "password": "Init@2026x"})
    resp = client.post("/accounts/logout/")
    assert resp.status_code == 302 and resp["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_the_owner_to_the_password_form(client, world):
    services.user_password_reset(
        actor=world.user("sec_a"), user=world.user("member_a"), password=NEW_PASSWORD
    )
    client.post("/accounts/login/", {"username": "member_a", "password": NEW_PASSWORD})
    assert client.get("/").headers["Location"] == "/accounts/password/"


def test_htmx_request_of_a_user_who_must_change_password_is_sent_to_the_form(client, world):
    services.user_create(actor=world.user("admin"), username="newbie", password="Init@2026x")
    client.post("/accounts/login/", {"username": "newbie", "password": "Init@2026x"})
    resp = client.get("/members/", headers={"HX-Request": "true"})
    assert resp["HX-Redirect"] == "/accounts/password/"
