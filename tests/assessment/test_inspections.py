"""Inspection campaigns: targets, coverage, a checklist from the compliance engine, visits
whose findings become rectification items, the cap on on-site visits."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from dangjian.assessment.models import Rectification
from dangjian.assessment.supervision import inspections, selectors
from dangjian.assessment.supervision.models import Inspection, InspectionItem
from dangjian.core.errors import Conflict, DomainError

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def campaign(world):
    return inspections.inspection_create(
        actor=world.user("c1_admin"),
        org=world.c1,
        title="2026年度机关党建督查",
        year=today().year,
        items=["查阅支部工作台账"],
    )


def test_targets_are_the_branches_of_the_subtree(world, campaign):
    orgs = set(campaign.targets.values_list("org_id", flat=True))
    assert orgs == {world.a.pk, world.b.pk}  # not the committee, not the group
    assert campaign.coverage == {"targets": 2, "inspected": 0}


def test_checklist_holds_open_findings_and_free_items(world, campaign):
    free = InspectionItem.objects.filter(inspection=campaign, source="free")
    assert [i.text for i in free] == ["查阅支部工作台账"]
    rule_items = InspectionItem.objects.filter(inspection=campaign, source="rule")
    assert all(i.org_id in (world.a.pk, world.b.pk) for i in rule_items)
    assert all(i.finding_status in ("due", "overdue", "violation") for i in rule_items)


def test_visit_turns_findings_into_rectification_items(world, campaign):
    deadline = today() + dt.timedelta(days=30)
    visit = inspections.inspection_visit(
        actor=world.user("c1_admin"),
        inspection=campaign,
        org=world.a,
        on=today(),
        findings=[{"text": "支部委员会会议记录不完整", "deadline": deadline}],
    )
    rect = Rectification.objects.for_source(visit).get()
    assert rect.org == world.a and rect.deadline == deadline
    assert rect.owner == world.members_a[0]  # the branch secretary by default
    assert rect.source_label.startswith("督查")
    assert (
        campaign.coverage
        if False
        else selectors.coverage(Inspection.objects.get(pk=campaign.pk))
        == {"targets": 2, "inspected": 1}
    )


def test_second_visit_of_a_target_is_a_conflict(world, campaign):
    inspections.inspection_visit(
        actor=world.user("c1_admin"), inspection=campaign, org=world.a, on=today()
    )
    with pytest.raises(Conflict):
        inspections.inspection_visit(
            actor=world.user("c1_admin"), inspection=campaign, org=world.a, on=today()
        )


def test_org_outside_the_targets_is_refused(world, campaign):
    with pytest.raises(DomainError, match="不是本次督查的对象"):
        inspections.inspection_visit(
            actor=world.user("c1_admin"), inspection=campaign, org=world.d, on=today()
        )


@override_settings(INSPECTION_ONSITE_VISITS_MAX=1)
def test_onsite_visits_are_capped_desk_reviews_are_not(world):
    campaign = inspections.inspection_create(
        actor=world.user("c1_admin"), org=world.c1, title="专项督查", year=today().year
    )
    assert campaign.onsite_cap == 1
    inspections.inspection_visit(
        actor=world.user("c1_admin"), inspection=campaign, org=world.a, on=today()
    )
    with pytest.raises(DomainError, match="上限 1 次"):
        inspections.inspection_visit(
            actor=world.user("c1_admin"), inspection=campaign, org=world.b, on=today()
        )
    inspections.inspection_visit(
        actor=world.user("c1_admin"), inspection=campaign, org=world.b, on=today(), kind="desk"
    )
    assert selectors.coverage(campaign) == {"targets": 2, "inspected": 2}


def test_org_without_branches_is_refused(world):
    with pytest.raises(DomainError, match="没有党支部"):
        inspections.inspection_create(
            actor=world.user("admin"), org=world.ga, title="小组督查", year=today().year
        )


def test_api_create_visit_and_read(world, api_for):
    api = api_for(world.user("c1_admin"))
    resp = api.post(
        "/api/v1/inspections",
        {"title": "年度督查", "year": today().year, "org": world.c1.pk, "targets": "branches"},
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["coverage"] == {"targets": 2, "inspected": 0}
    deadline = (today() + dt.timedelta(days=20)).isoformat()
    resp = api.post(
        f"/api/v1/inspections/{body['id']}/visits",
        {
            "org": world.b.pk,
            "on": today().isoformat(),
            "findings": [{"text": "党费收缴台账未及时更新", "deadline": deadline}],
        },
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    assert resp.json()["findings"][0]["item"] == "党费收缴台账未及时更新"
    detail = api.get(f"/api/v1/inspections/{body['id']}").json()
    assert detail["coverage"] == {"targets": 2, "inspected": 1}
    row = next(t for t in detail["targets"] if t["org"] == world.b.pk)
    assert row["inspected"] and row["findings"] == 1


def test_api_bad_deadline_is_422_not_500(world, api_for):
    api = api_for(world.user("c1_admin"))
    campaign = api.post(
        "/api/v1/inspections",
        {"title": "年度督查", "year": today().year, "org": world.c1.pk},
        content_type="application/json",
    ).json()
    resp = api.post(
        f"/api/v1/inspections/{campaign['id']}/visits",
        {
            "org": world.a.pk,
            "on": today().isoformat(),
            "findings": [{"text": "问题", "deadline": "2000-01-01"}],
        },
        content_type="application/json",
    )
    assert resp.status_code == 422
    assert "整改期限" in resp.json()["detail"]
    assert not campaign_visits(campaign["id"])


def campaign_visits(pk):
    return Inspection.objects.get(pk=pk).visits.exists()


def test_board_page_shows_coverage(world, client_for, campaign):
    client = client_for(world.user("c1_admin"))
    client.get("/")
    resp = client.get(f"/assessment/inspections/{campaign.pk}/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "0 / 2" in body and world.a.name in body
    resp = client.get("/assessment/inspections/")
    assert campaign.title in body or campaign.title in resp.content.decode()


def test_board_queries_do_not_grow_with_targets(
    world, client_for, campaign, django_assert_max_num_queries
):
    client = client_for(world.user("c1_admin"))
    client.get("/")
    with django_assert_max_num_queries(25):
        client.get(f"/assessment/inspections/{campaign.pk}/")
