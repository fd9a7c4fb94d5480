import datetime as dt

import pytest

from dangjian.members.models import Member
from tests.factories import id_number_for

pytestmark = pytest.mark.django_db


def payload(world, **extra):
    born = dt.date(1990, 5, 17)
    return {
        "name": "陈晓明",
        "gender": "male",
        "birth_date": str(born),
        "id_number": id_number_for(born, "male"),
        "phone": "13912345678",
        "org": world.a.pk,
        "status": "full",
        "applied_at": "2010-03-01",
        "activist_at": "2010-09-01",
        "candidate_at": "2011-10-01",
        "joined_at": "2012-06-01",
        "full_at": "2013-06-01",
        **extra,
    }


def test_create_member_returns_masked_id(api_for, world):
    data = payload(world)
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/members", data, content_type="application/json"
    )
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body["id_number"] == data["id_number"][:3] + "*" * 11 + data["id_number"][-4:]
    assert body["org"] == world.a.pk and body["full_at"] == "2013-06-01"
    stored = Member.objects.get(pk=body["id"])
    assert data["id_number"] not in stored.id_number_encrypted


def test_bad_check_digit_gets_chinese_message_on_the_field(api_for, world):
    data = payload(world)
    data["id_number"] = data["id_number"][:-1] + ("0" if data["id_number"][-1] != "0" else "1")
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/members", data, content_type="application/json"
    )
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "id_number"
    assert "校验位" in resp.json()["detail"]


def test_duplicate_id_number_is_409(api_for, world):
    client = api_for(world.user("sec_a"))
    data = payload(world)
    assert client.post("/api/v1/members", data, content_type="application/json").status_code == 201
    again = client.post(
        "/api/v1/members", {**data, "name": "另一人"}, content_type="application/json"
    )
    assert again.status_code == 409
    assert "已存在" in again.json()["detail"]


def test_list_by_org_is_that_subtree_within_reach(api_for, world):
    resp = api_for(world.user("c1_admin")).get(f"/api/v1/members?org={world.a.pk}")
    names = {m["name"] for m in resp.json()["results"]}
    assert names == {"张三", "李四", "王五", "赵六"}
    assert api_for(world.user("sec_a")).get(f"/api/v1/members?org={world.b.pk}").status_code == 404


def test_patch_status_records_history(api_for, world):
    member = world.members_a[2]
    client = api_for(world.user("sec_a"))
    resp = client.patch(
        f"/api/v1/members/{member.pk}", {"phone": "13700001111"}, content_type="application/json"
    )
    assert resp.status_code == 200 and resp.json()["phone"] == "13700001111"
    resp = client.patch(
        f"/api/v1/members/{member.pk}", {"org": world.b.pk}, content_type="application/json"
    )
    assert resp.status_code == 404  # branch B is outside sec_a's reach
    resp = api_for(world.user("c1_admin")).patch(
        f"/api/v1/members/{member.pk}",
        {"org": world.b.pk, "reason": "工作调动"},
        content_type="application/json",
    )
    assert resp.json()["org"] == world.b.pk
    history = api_for(world.user("c1_admin")).get(f"/api/v1/members/{member.pk}/history").json()
    assert history[0]["kind"] == "org" and history[0]["reason"] == "工作调动"


def test_plain_member_reads_only_self(api_for, world):
    client = api_for(world.user("member_a"))
    own = world.members_a[1]
    assert client.get(f"/api/v1/members/{own.pk}").status_code == 200
    assert client.get(f"/api/v1/members/{world.members_a[2].pk}").status_code == 404
    assert (
        client.patch(
            f"/api/v1/members/{own.pk}", {"phone": "13700001111"}, content_type="application/json"
        ).status_code
        == 404
    )
    listed = client.get("/api/v1/members").json()["results"]
    assert [m["id"] for m in listed] == [own.pk]


def test_reveal_is_audited(api_for, world):
    from dangjian.core.models import AuditEntry

    member = world.members_a[3]
    resp = api_for(world.user("sec_a")).post(f"/api/v1/members/{member.pk}/reveal-id")
    assert resp.status_code == 200 and len(resp.json()["id_number"]) == 18
    assert AuditEntry.objects.filter(action="reveal", object_id=str(member.pk)).count() == 1
