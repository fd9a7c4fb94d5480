"""The talent API's contract (issue 16, part 5): nominations, review, the pool search; and
its refusals (clear Chinese messages, 404 outside reach, retried POSTs recorded once)."""

from __future__ import annotations

import pytest

from dangjian.talent.models import Talent
from tests.talent.conftest import credit, make_course, make_talent, make_track

pytestmark = pytest.mark.django_db
URL = "/api/v1/talent"


def post(client, url, body, **headers):
    return client.post(url, body, content_type="application/json", headers=headers)


def test_nominate_review_and_search_by_skill(world, api_for):
    sec_a, c1 = api_for(world.user("sec_a")), api_for(world.user("c1_admin"))
    r = post(
        sec_a,
        f"{URL}/nominations",
        {
            "member": world.members_a[1].pk,
            "skills": ["信息安全"],
            "reason": "负责处室网络安全",
            "consent_on": "2026-01-05",
        },
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["status"] == "nominated" and body["status_label"] == "待审核"
    assert body["skills"] == ["信息安全"] and body["name"] == world.members_a[1].name
    # the branch cannot admit its own nominee; the committee above can
    assert (
        post(sec_a, f"{URL}/nominations/{body['id']}/review", {"approve": True}).status_code == 403
    )
    r = post(c1, f"{URL}/nominations/{body['id']}/review", {"approve": True})
    assert r.status_code == 200 and r.json()["status"] == "admitted"
    r = sec_a.get(URL, {"skill": "信息安全"})
    assert r.status_code == 200
    data = r.json()
    assert set(data) == {"count", "page", "page_size", "results"}
    assert [row["id"] for row in data["results"]] == [body["id"]]
    assert sec_a.get(URL, {"skill": "新媒体"}).json()["count"] == 0
    # pinyin initials of 李四
    assert sec_a.get(URL, {"q": "ls"}).json()["count"] == 1


def test_pool_lists_only_members_within_reach(world, api_for):
    make_talent(world.members_a[1], admit=True)
    make_talent(world.members_b[1], admit=True)
    names = {r["name"] for r in api_for(world.user("sec_a")).get(URL).json()["results"]}
    assert names == {world.members_a[1].name}
    names = {r["name"] for r in api_for(world.user("c1_admin")).get(URL).json()["results"]}
    assert names == {world.members_a[1].name, world.members_b[1].name}


def test_nominating_a_member_out_of_reach_is_404(world, api_for):
    r = post(
        api_for(world.user("sec_a")),
        f"{URL}/nominations",
        {"member": world.members_b[1].pk, "skills": ["信息安全"], "reason": "x"},
    )
    assert r.status_code == 404
    assert not Talent.objects.exists()


def test_unknown_skill_and_bad_shapes_are_clear_422s(world, api_for):
    client = api_for(world.user("sec_a"))
    r = post(
        client,
        f"{URL}/nominations",
        {"member": world.members_a[1].pk, "skills": ["炼丹"], "reason": "x"},
    )
    assert r.status_code == 422 and "炼丹" in r.json()["detail"]
    for body in ({"member": "abc"}, {"member": world.members_a[1].pk, "skills": []}, []):
        r = post(client, f"{URL}/nominations", body)
        assert r.status_code in (400, 422)
        assert r.json()["detail"]
    r = post(client, f"{URL}/nominations/999999/review", {"approve": "maybe"})
    assert r.status_code == 422


def test_retried_nomination_is_recorded_once(world, api_for):
    client = api_for(world.user("sec_a"))
    body = {"member": world.members_a[1].pk, "skills": ["新媒体"], "reason": "公众号编辑"}
    first = post(client, f"{URL}/nominations", body, **{"Idempotency-Key": "n-1"})
    again = post(client, f"{URL}/nominations", body, **{"Idempotency-Key": "n-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Talent.objects.count() == 1
    # without the key, a second nomination of the same member is a conflict, not a duplicate
    assert post(client, f"{URL}/nominations", body).status_code == 409


def test_member_confirms_consent_and_sees_own_profile(world, api_for):
    talent = make_talent(world.members_a[1], consent=False)
    member = api_for(world.user("member_a"))
    r = post(member, f"{URL}/nominations/{talent.pk}/consent", {})
    assert r.status_code == 200 and r.json()["consent_on"]
    assert member.get(f"{URL}/{talent.pk}").status_code == 200
    peer = api_for(world.user("peer_a"))
    assert peer.get(f"{URL}/{talent.pk}").status_code == 404


def test_profile_shows_training_from_learning_and_assignments(world, api_for):
    course = make_course(world.w)
    credit(world.members_a[1], course, 4)
    talent = make_talent(world.members_a[1], admit=True)
    client = api_for(world.user("sec_a"))
    r = post(
        client,
        f"{URL}/{talent.pk}/assignments",
        {"kind": "opinion", "title": "网络舆情值班", "started_on": "2026-03-01"},
    )
    assert r.status_code == 201 and r.json()["kind_label"] == "舆情研判"
    r = post(
        client,
        f"{URL}/assignments/{r.json()['id']}/close",
        {"outcome": "值班 20 天，报送 3 条"},
    )
    assert r.status_code == 200
    profile = client.get(f"{URL}/{talent.pk}").json()
    assert profile["training"][0]["title"] == course.title
    assert profile["assignments"][0]["outcome"] == "值班 20 天，报送 3 条"


def test_track_progress_within_reach(world, api_for):
    course = make_course(world.w)
    track = make_track(world.w, courses=[course])
    credit(world.members_a[0], course, 8)
    r = api_for(world.user("sec_a")).get(f"{URL}/tracks/{track.pk}/progress")
    assert r.status_code == 200
    people = r.json()["people"]
    assert [(p["name"], p["done"]) for p in people] == [(world.members_a[0].name, True)]
    r = api_for(world.user("wc_admin")).get(f"{URL}/tracks/{track.pk}/progress")
    assert {o["name"]: o["done"] for o in r.json()["orgs"]} == {world.a.name: 1, world.b.name: 0}
    r = post(
        api_for(world.user("wc_admin")),
        f"{URL}/tracks",
        {
            "org": world.w.pk,
            "title": "新媒体运营",
            "topic": "new_media",
            "year": 2026,
            "hours": {"secretary": "6"},
        },
    )
    assert r.status_code == 201 and r.json()["hours"][0]["role_label"] == "书记"
