import datetime as dt
import json

import pytest
from django.utils import timezone

from dangjian.accounts import services
from dangjian.accounts.models import ApiToken
from dangjian.core.errors import Forbidden
from dangjian.core.models import AuditEntry
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Hq7!vLm2pZ"


def login(client, username, password=PASSWORD):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def me(client, token):
    return client.get("/api/v1/users/me", headers=bearer(token))


def test_token_with_right_password_then_bearer_call(client, world):
    resp = login(client, "sec_a")
    assert resp.status_code == 200
    body = resp.json()
    assert body["expires_in_days"] == 30 and body["idle_timeout_hours"] == 24
    assert body["must_change_password"] is False
    assert me(client, body["token"]).json()["username"] == "sec_a"


def test_token_is_stored_only_as_its_digest(client, world):
    raw = login(client, "sec_a").json()["token"]
    row = ApiToken.objects.get(user=world.user("sec_a"))
    assert row.digest == ApiToken.digest_of(raw) and raw not in (row.digest, row.prefix)
    assert raw.startswith(row.prefix) and len(row.prefix) == 6


def test_wrong_password_gets_401_in_chinese(client, world):
    resp = login(client, "sec_a", "nope")
    assert resp.status_code == 401
    assert "令牌" in resp.json()["detail"] or "登录" in resp.json()["detail"]


def test_no_token_gets_401(client, world):
    resp = client.get("/api/v1/orgs")
    assert resp.status_code == 401
    assert resp.json()["detail"]


# -- token lifetime ---------------------------------------------------------------------


def test_logout_revokes_the_callers_token_then_401(client, world):
    first = login(client, "sec_a").json()["token"]
    second = login(client, "sec_a").json()["token"]
    resp = client.post("/api/v1/auth/logout", headers=bearer(first))
    assert resp.status_code == 204
    assert me(client, first).status_code == 401
    assert me(client, second).status_code == 200  # only the caller's token
    assert AuditEntry.objects.filter(verb="撤销 API 令牌", actor=world.user("sec_a")).exists()


def test_token_dies_after_idle_period(client, world, settings):
    settings.API_TOKEN_IDLE_HOURS = 2
    raw = login(client, "sec_a").json()["token"]
    row = ApiToken.objects.get(digest=ApiToken.digest_of(raw))
    ApiToken.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=5),
        last_used_at=timezone.now() - dt.timedelta(hours=1, minutes=55),
    )
    assert me(client, raw).status_code == 200  # used 1 h 55 min ago: still alive
    ApiToken.objects.filter(pk=row.pk).update(
        last_used_at=timezone.now() - dt.timedelta(hours=2, minutes=1)
    )
    resp = me(client, raw)
    assert resp.status_code == 401 and resp.json()["detail"]


def test_token_never_used_dies_idle_from_its_creation(client, world, settings):
    settings.API_TOKEN_IDLE_HOURS = 1
    raw = login(client, "sec_a").json()["token"]
    ApiToken.objects.update(created_at=timezone.now() - dt.timedelta(minutes=61))
    assert me(client, raw).status_code == 401


def test_token_dies_at_absolute_lifetime_though_used_a_minute_ago(client, world):
    raw = login(client, "sec_a").json()["token"]
    ApiToken.objects.update(
        last_used_at=timezone.now() - dt.timedelta(minutes=1),
        expires_at=timezone.now() - dt.timedelta(seconds=1),
    )
    assert me(client, raw).status_code == 401


def test_absolute_lifetime_comes_from_settings(client, world, settings):
    settings.API_TOKEN_DAYS = 7
    before = timezone.now()
    body = login(client, "sec_a").json()
    assert body["expires_in_days"] == 7
    row = ApiToken.objects.get()
    assert before + dt.timedelta(days=7) <= row.expires_at <= timezone.now() + dt.timedelta(days=7)


def test_repeated_logins_do_not_pile_up_rows(client, world, settings):
    settings.API_TOKEN_MAX_PER_USER = 3
    tokens = [login(client, "sec_a").json()["token"] for _ in range(5)]
    assert ApiToken.objects.filter(user=world.user("sec_a")).count() == 3
    assert me(client, tokens[0]).status_code == 401  # the oldest were revoked
    assert me(client, tokens[-1]).status_code == 200


def test_dead_tokens_are_cleared_at_the_next_login(client, world):
    login(client, "sec_a")
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(days=1))
    login(client, "sec_a")
    assert ApiToken.objects.filter(user=world.user("sec_a")).count() == 1


# -- password changes revoke tokens ------------------------------------------------------


def change_password(client, token, old=PASSWORD, new=NEW_PASSWORD):
    return client.post(
        "/api/v1/auth/password",
        {"old_password": old, "new_password": new},
        content_type="application/json",
        headers=bearer(token),
    )


def test_token_dies_with_password_change_but_the_callers_survives(client, world):
    caller = login(client, "sec_a").json()["token"]
    other = login(client, "sec_a").json()["token"]
    someone_else = login(client, "sec_b").json()["token"]
    resp = change_password(client, caller)
    assert resp.status_code == 200, resp.json()
    assert resp.json()["username"] == "sec_a"
    assert me(client, other).status_code == 401
    assert me(client, caller).status_code == 200
    assert me(client, someone_else).status_code == 200
    assert login(client, "sec_a", PASSWORD).status_code == 401
    assert login(client, "sec_a", NEW_PASSWORD).status_code == 200


def test_password_change_with_wrong_old_password_changes_nothing(client, world):
    token = login(client, "sec_a").json()["token"]
    resp = change_password(client, token, old="Wrong@2026x")
    assert resp.status_code == 422
    assert resp.json()["errors"] == [{"field": "old_password", "message": "原密码不正确"}]
    world.user("sec_a").refresh_from_db()
    assert world.user("sec_a").check_password(PASSWORD)


def test_password_change_refuses_a_common_password_with_field_error(client, world):
    token = login(client, "sec_a").json()["token"]
    resp = change_password(client, token, new="Password1")
    assert resp.status_code == 422
    assert {"field": "new_password", "message": "这个密码太常见了。"} in resp.json()["errors"]


def test_token_dies_with_web_password_change(client, client_for, world):
    token = login(client, "sec_a").json()["token"]
    page = client_for(world.user("sec_a"))
    resp = page.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert resp.status_code == 302
    assert me(client, token).status_code == 401
    assert page.get("/members/").status_code == 200  # the session itself stays logged in


def test_token_dies_with_password_reset(client, world):
    token = login(client, "member_a").json()["token"]
    services.user_password_reset(
        actor=world.user("sec_a"), user=world.user("member_a"), password=NEW_PASSWORD
    )
    assert me(client, token).status_code == 401
    body = login(client, "member_a", NEW_PASSWORD).json()
    assert body["must_change_password"] is True


def test_token_dies_with_user_deactivation(client, world):
    token = login(client, "member_a").json()["token"]
    services.user_deactivate(actor=world.user("sec_a"), user=world.user("member_a"))
    assert me(client, token).status_code == 401
    assert not ApiToken.objects.filter(user=world.user("member_a")).exists()
    assert login(client, "member_a").status_code == 401


def test_secretary_cannot_reset_the_password_of_a_committee_manager(world):
    # c1_admin's member record sits in branch A, but the account acts for all of C1.
    c1_admin = world.user("c1_admin")
    c1_admin.member = world.members_a[2]
    c1_admin.save()
    with pytest.raises(Forbidden, match="管理范围以外"):
        services.user_password_reset(
            actor=world.user("sec_a"), user=c1_admin, password=NEW_PASSWORD
        )
    c1_admin.refresh_from_db()
    assert c1_admin.check_password(PASSWORD)


# -- own token list -----------------------------------------------------------------------


def test_user_lists_only_own_live_tokens_and_which_is_current(client, world):
    old = login(client, "sec_a").json()["token"]
    current = login(client, "sec_a").json()["token"]
    login(client, "sec_b")
    resp = client.get("/api/v1/auth/tokens", headers=bearer(current))
    body = resp.json()
    assert set(body) == {"count", "page", "page_size", "results"}
    assert body["count"] == 2 and body["page"] == 1
    rows = {r["prefix"]: r for r in body["results"]}
    assert set(rows) == {old[:6], current[:6]}
    assert rows[current[:6]]["current"] is True and rows[old[:6]]["current"] is False


def test_user_revokes_one_of_own_tokens(client, world):
    old = login(client, "sec_a").json()["token"]
    current = login(client, "sec_a").json()["token"]
    old_id = ApiToken.objects.get(digest=ApiToken.digest_of(old)).pk
    resp = client.delete(f"/api/v1/auth/tokens/{old_id}", headers=bearer(current))
    assert resp.status_code == 204
    assert me(client, old).status_code == 401
    assert me(client, current).status_code == 200


def test_revoking_another_users_token_is_404_and_it_keeps_working(client, world):
    mine = login(client, "sec_a").json()["token"]
    theirs = login(client, "sec_b").json()["token"]
    their_id = ApiToken.objects.get(digest=ApiToken.digest_of(theirs)).pk
    resp = client.delete(f"/api/v1/auth/tokens/{their_id}", headers=bearer(mine))
    assert resp.status_code == 404
    assert me(client, theirs).status_code == 200


# -- one-time passwords ------------------------------------------------------------------


def test_login_made_by_a_manager_must_change_password_before_using_the_api(client, world):
    services.user_create(
        actor=world.user("sec_a"),
        username="newbie",
        password="Init@2026x",
        member=world.members_a[2],
    )
    token = login(client, "newbie", "Init@2026x").json()["token"]
    for resp in (me(client, token), client.get("/api/v1/orgs", headers=bearer(token))):
        assert resp.status_code == 403
        assert resp.json()["code"] == "password_change_required"
        assert "修改" in resp.json()["detail"]
    resp = change_password(client, token, old="Init@2026x")
    assert resp.status_code == 200 and resp.json()["must_change_password"] is False
    assert me(client, token).status_code == 200


def test_login_that_must_change_password_may_still_log_out(client, world):
    services.user_create(actor=world.user("admin"), username="newbie", password="Init@2026x")
    token = login(client, "newbie", "Init@2026x").json()["token"]
    assert client.post("/api/v1/auth/logout", headers=bearer(token)).status_code == 204
    assert me(client, token).status_code == 401


# -- lockout ---------------------------------------------------------------------------


def test_locked_out_api_client_gets_json_429_with_minutes_left(client, world):
    for _ in range(5):
        login(client, "sec_a", "bad")
    resp = login(client, "sec_a")  # the right password, too late
    assert resp.status_code == 429
    assert resp["Content-Type"].startswith("application/json")
    body = resp.json()
    assert body["minutes_left"] == 15 and body["code"] == "locked_out"
    assert "15 分钟" in body["detail"]


def test_web_lockout_page_says_the_minutes_left(client, world, settings):
    settings.AXES_COOLOFF_TIME = 0.5  # 30 minutes
    for _ in range(5):
        client.post("/accounts/login/", {"username": "sec_a", "password": "bad"})
    resp = client.post("/accounts/login/", {"username": "sec_a", "password": PASSWORD})
    assert resp.status_code == 429
    assert "请 30 分钟后再试" in resp.content.decode()


def test_successful_api_login_resets_the_failure_count(client, world):
    for _ in range(4):
        login(client, "sec_a", "bad")
    assert login(client, "sec_a").status_code == 200
    for _ in range(4):
        login(client, "sec_a", "bad")
    assert login(client, "sec_a").status_code == 200


def test_api_login_is_audited(client, world):
    login(client, "sec_a")
    assert AuditEntry.objects.filter(action="login", actor=world.user("sec_a")).count() == 1


# -- errors -----------------------------------------------------------------------------
def test_malformed_json_is_400_not_500(api_for, world):
    resp = api_for(world.user("admin")).post(
        "/api/v1/orgs", data="{nope", content_type="application/json"
    )
    assert resp.status_code == 400
    assert "无法解析" in resp.json()["detail"]


def test_wrong_types_give_field_errors(api_for, world):
    resp = api_for(world.user("admin")).post(
        "/api/v1/members",
        data=json.dumps({"name": "x", "gender": "other", "birth_date": "bad"}),
        content_type="application/json",
    )
    assert resp.status_code == 422
    fields = {e["field"] for e in resp.json()["errors"]}
    assert {"gender", "birth_date", "id_number", "org", "status"} <= fields


def test_enum_error_names_each_choice_by_its_label_then_value(api_for, world):
    resp = api_for(world.user("admin")).get("/api/v1/members?status=bogus")
    assert resp.status_code == 422
    message = resp.json()["errors"][0]["message"]
    assert "正式党员（full）" in message and "入党申请人（applicant）" in message
    assert "'full'" not in message


def test_unknown_choices_keep_their_bare_values():
    from dangjian.api.errors import translate

    error = {"type": "literal_error", "loc": ("x",), "ctx": {"expected": "'aa' or 'bb'"}}
    assert translate([error])[0]["message"] == "取值无效，可选：aa、bb"
