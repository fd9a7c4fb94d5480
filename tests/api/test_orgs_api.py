import pytest

pytestmark = pytest.mark.django_db


def test_list_orgs_of_the_callers_reach(api_for, world):
    names = {o["name"] for o in api_for(world.user("c1_admin")).get("/api/v1/orgs").json()}
    assert {"市财政局机关党委", "预算处党支部", "国库处党支部"} <= names
    assert "基础教育处党支部" not in names


def test_create_org_returns_201_with_parent(api_for, world):
    resp = api_for(world.user("c1_admin")).post(
        "/api/v1/orgs",
        {"name": "综合处党支部", "kind": "branch", "parent": world.c1.pk},
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body["parent"] == world.c1.pk and body["kind"] == "branch" and body["id"]


def test_create_under_org_outside_reach_is_404(api_for, world):
    resp = api_for(world.user("c1_admin")).post(
        "/api/v1/orgs",
        {"name": "x", "kind": "branch", "parent": world.c2.pk},
        content_type="application/json",
    )
    assert resp.status_code == 404


def test_group_cannot_sit_under_committee(api_for, world):
    resp = api_for(world.user("admin")).post(
        "/api/v1/orgs",
        {"name": "小组", "kind": "group", "parent": world.c1.pk},
        content_type="application/json",
    )
    assert resp.status_code == 422
    assert "党小组不能设在党委之下" in resp.json()["detail"]


def test_patch_moves_subtree(api_for, world):
    resp = api_for(world.user("wc_admin")).patch(
        f"/api/v1/orgs/{world.a.pk}", {"parent": world.c2.pk}, content_type="application/json"
    )
    assert resp.status_code == 200
    assert resp.json()["parent"] == world.c2.pk
    world.ga.refresh_from_db()
    assert world.ga.path.startswith(world.c2.path)


def test_patch_rename(api_for, world):
    resp = api_for(world.user("sec_a")).patch(
        f"/api/v1/orgs/{world.a.pk}", {"name": "预算处第一党支部"}, content_type="application/json"
    )
    assert resp.json()["name"] == "预算处第一党支部"


def test_positions_and_users(api_for, world):
    client = api_for(world.user("c1_admin"))
    user = client.post(
        "/api/v1/users",
        {"username": "newsec", "password": "Qz7mpl2wX", "name": "新书记"},
        content_type="application/json",
    )
    assert user.status_code == 201, user.json()
    resp = client.post(
        f"/api/v1/orgs/{world.b.pk}/positions",
        {"user": user.json()["id"], "role": "organizer"},
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.json()
    assert resp.json()["role"] == "organizer"


def test_weak_password_refused_with_reason(api_for, world):
    resp = api_for(world.user("admin")).post(
        "/api/v1/users",
        {"username": "weak", "password": "abcdefgh"},
        content_type="application/json",
    )
    assert resp.status_code == 422
    assert "至少 3 类" in resp.json()["detail"]


def test_plain_member_cannot_create_users(api_for, world):
    resp = api_for(world.user("member_a")).post(
        "/api/v1/users",
        {"username": "x1", "password": "Qz7mpl2wX"},
        content_type="application/json",
    )
    assert resp.status_code == 403
