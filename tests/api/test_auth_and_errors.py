import json

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_token_with_right_password_then_bearer_call(client, world):
    resp = client.post(
        "/api/v1/auth/token",
        {"username": "sec_a", "password": PASSWORD},
        content_type="application/json",
    )
    assert resp.status_code == 200
    token = resp.json()["token"]
    me = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["username"] == "sec_a"


def test_wrong_password_gets_401_in_chinese(client, world):
    resp = client.post(
        "/api/v1/auth/token",
        {"username": "sec_a", "password": "nope"},
        content_type="application/json",
    )
    assert resp.status_code == 401
    assert "令牌" in resp.json()["detail"] or "登录" in resp.json()["detail"]


def test_no_token_gets_401(client, world):
    resp = client.get("/api/v1/orgs")
    assert resp.status_code == 401
    assert resp.json()["detail"]


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
