"""Talks (SUP-4) and accountability: confidential to the org that held them and above."""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.assessment.models import Rectification
from dangjian.assessment.supervision import talks
from dangjian.assessment.supervision.models import Talk
from dangjian.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def talk(world):
    """The committee C1 interviews a member of branch A."""
    return talks.talk_create(
        actor=world.user("c1_admin"),
        kind="interview",
        org=world.c1,
        member=world.members_a[1],
        reason="组织生活长期缺席（保密事由）",
        on=timezone.localdate(),
    )


def test_visible_to_the_org_that_held_it_and_above(world, talk):
    for name in ("c1_admin", "wc_admin", "admin"):
        assert Talk.objects.visible_to(world.user(name)).filter(pk=talk.pk).exists(), name


def test_never_to_the_branch_or_its_members_or_peers(world, talk):
    for name in ("sec_a", "member_a", "peer_a", "sec_b"):
        assert not Talk.objects.visible_to(world.user(name)).filter(pk=talk.pk).exists(), name


def test_pages_and_api_hide_it_from_the_branch(world, talk, client_for, api_for):
    for name in ("sec_a", "member_a", "peer_a"):
        assert client_for(world.user(name)).get(f"/assessment/talks/{talk.pk}/").status_code == 404
        assert api_for(world.user(name)).get(f"/api/v1/talks/{talk.pk}").status_code == 404
        listing = client_for(world.user(name)).get("/assessment/talks/").content.decode()
        assert "保密事由" not in listing
        assert "保密事由" not in api_for(world.user(name)).get("/api/v1/talks").content.decode()
    assert api_for(world.user("c1_admin")).get(f"/api/v1/talks/{talk.pk}").status_code == 200


def test_commitment_becomes_a_rectification_the_branch_does_not_see(world, talk):
    rect = talks.talk_commit(
        actor=world.user("c1_admin"),
        talk=talk,
        item="按时参加组织生活",
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    assert rect.owner == world.members_a[1] and rect.org == world.c1
    assert not Rectification.objects.visible_to(world.user("sec_a")).filter(pk=rect.pk).exists()
    # The member himself sees the commitment he made.
    assert Rectification.objects.visible_to(world.user("member_a")).filter(pk=rect.pk).exists()


def test_member_outside_the_org_is_refused(world):
    with pytest.raises(DomainError, match="不是"):
        talks.talk_create(
            actor=world.user("sec_a"),
            kind="reminder",
            org=world.a,
            member=world.members_b[1],
            reason="提醒",
            on=timezone.localdate(),
        )


def test_api_create_with_contract_fields(world, api_for):
    api = api_for(world.user("c1_admin"))
    resp = api.post(
        "/api/v1/talks",
        {
            "kind": "interview",
            "org": world.c1.pk,
            "member": world.members_a[2].pk,
            "reason": "整改不力",
            "on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    pk = resp.json()["id"]
    resp = api.post(
        f"/api/v1/talks/{pk}/accountability",
        {
            "decision": "诫勉",
            "basis": "《问责条例》第八条",
            "decided_on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    detail = api.get(f"/api/v1/talks/{pk}").json()
    assert detail["decisions"][0]["decision"] == "诫勉"
    resp = api.post(
        "/api/v1/talks",
        {
            "kind": "lecture",
            "org": world.c1.pk,
            "member": world.members_a[2].pk,
            "reason": "x",
            "on": "2026-01-01",
        },
        content_type="application/json",
    )
    assert resp.status_code == 422


def test_talks_follow_the_person(world, talk, api_for, client_for):
    api = api_for(world.user("c1_admin"))
    mine = api.get(f"/api/v1/talks?member={world.members_a[1].pk}").json()
    assert [t["id"] for t in mine["results"]] == [talk.pk]
    assert api.get(f"/api/v1/talks?member={world.members_a[2].pk}").json()["count"] == 0
    # A person out of reach: 404, as for one who does not exist.
    outsider = api_for(world.user("sec_b"))
    assert outsider.get(f"/api/v1/talks?member={world.members_a[1].pk}").status_code == 404
    page = client_for(world.user("c1_admin")).get(
        f"/assessment/talks/?member={world.members_a[1].pk}"
    )
    assert "保密事由" in page.content.decode()
