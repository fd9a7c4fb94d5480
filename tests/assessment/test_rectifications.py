"""The general rectification list: item, owner, deadline, evidence, verification."""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.assessment import services
from dangjian.assessment.models import Rectification
from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.models import Notification
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


def soon(days=30):
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def rect(world):
    return services.rectification_create(
        actor=world.user("sec_a"),
        org=world.a,
        item="完善会议记录",
        owner=world.members_a[1],
        deadline=soon(),
    )


def test_owner_is_notified(world, rect):
    assert (
        Notification.objects.filter(
            user=world.user("member_a"), title__startswith="整改事项"
        ).count()
        == 1
    )


def test_owner_submits_and_secretary_verifies(world, rect):
    rect = services.rectification_submit(
        actor=world.user("member_a"), rectification=rect, evidence="已补充三次会议的完整记录"
    )
    assert rect.status == "submitted"
    rect = services.rectification_verify(
        actor=world.user("sec_a"), rectification=rect, accepted=True, note="符合要求"
    )
    assert rect.status == "verified" and rect.verified_by == world.user("sec_a")
    assert rect.verified_at is not None


def test_sending_back_needs_a_note_and_reopens(world, rect):
    services.rectification_submit(
        actor=world.user("member_a"), rectification=rect, evidence="已整改完毕"
    )
    with pytest.raises(DomainError, match="验收意见"):
        services.rectification_verify(actor=SYSTEM, rectification=rect, accepted=False)
    rect = services.rectification_verify(
        actor=SYSTEM, rectification=rect, accepted=False, note="缺少会议签到表"
    )
    assert rect.status == "open"


def test_cannot_verify_before_submission(world, rect):
    with pytest.raises(Conflict, match="尚未提交"):
        services.rectification_verify(actor=SYSTEM, rectification=rect, accepted=True)


def test_another_member_cannot_submit(world, rect):
    # A role rule of the service (owner or manager), not the gate: 403.
    with pytest.raises(Forbidden, match="责任人"):
        services.rectification_submit(
            actor=world.user("sec_b"), rectification=rect, evidence="代为提交材料"
        )


def test_deadline_in_the_past_is_refused(world):
    with pytest.raises(DomainError, match="不能早于今天"):
        services.rectification_create(
            actor=SYSTEM,
            org=world.a,
            item="x",
            owner=world.members_a[0],
            deadline=timezone.localdate() - dt.timedelta(days=1),
        )


def test_owner_must_belong_to_the_org(world):
    with pytest.raises(DomainError, match="本组织"):
        services.rectification_create(
            actor=SYSTEM, org=world.a, item="x", owner=world.members_b[0], deadline=soon()
        )


def test_generic_source_link(world):
    source = world.b  # any model instance can be the source
    rect = services.rectification_create(
        actor=SYSTEM,
        org=world.b,
        item="督查发现问题",
        owner=world.members_b[0],
        deadline=soon(),
        source=source,
        source_label="督查",
    )
    assert rect.source == world.b
    assert Rectification.objects.for_source(world.b).get() == rect


def test_api_create_list_and_scope(world, api_for):
    sec_a = api_for(world.user("sec_a"))
    resp = sec_a.post(
        "/api/v1/rectifications",
        {
            "org": world.a.pk,
            "item": "整改事项一",
            "owner": world.members_a[2].pk,
            "deadline": soon().isoformat(),
        },
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.json()
    pk = resp.json()["id"]
    listed = sec_a.get(f"/api/v1/rectifications?org={world.a.pk}").json()
    assert [r["id"] for r in listed["results"]] == [pk]
    sec_b = api_for(world.user("sec_b"))
    assert sec_b.get(f"/api/v1/rectifications/{pk}").status_code == 404
    assert (
        sec_b.post(
            f"/api/v1/rectifications/{pk}/verify",
            {"accepted": True},
            content_type="application/json",
        ).status_code
        == 404
    )
    cross = sec_b.post(
        "/api/v1/rectifications",
        {
            "org": world.a.pk,
            "item": "x",
            "owner": world.members_a[2].pk,
            "deadline": soon().isoformat(),
        },
        content_type="application/json",
    )
    assert cross.status_code == 404


def test_member_sees_own_items_on_the_phone(world, rect, client_for):
    resp = client_for(world.user("member_a")).get("/assessment/rectifications/")
    assert resp.status_code == 200
    assert "完善会议记录" in resp.content.decode()
    detail = client_for(world.user("member_a")).post(
        f"/assessment/rectifications/{rect.pk}/", {"action": "submit", "evidence": "已全部补齐记录"}
    )
    assert detail.status_code == 302
    rect.refresh_from_db()
    assert rect.status == "submitted"


def test_list_page_query_count(world, client_for, django_assert_max_num_queries):
    for i in range(15):
        services.rectification_create(
            actor=SYSTEM,
            org=world.a,
            item=f"事项{i}",
            owner=world.members_a[i % 4],
            deadline=soon(i + 1),
        )
    client = client_for(world.user("sec_a"))
    with django_assert_max_num_queries(20):
        resp = client.get(f"/assessment/rectifications/?org={world.a.pk}")
    assert resp.status_code == 200 and resp.content.decode().count("事项") >= 15
