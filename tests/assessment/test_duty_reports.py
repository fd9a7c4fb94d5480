"""Duty reports (述职评议, SUP-2): eligible raters, one anonymous ballot each, tallies."""

import pytest
from django.db import connection
from django.utils import timezone

from dangjian.assessment.supervision import duty
from dangjian.assessment.supervision.models import DutyBallot, DutyReport, DutyVoter
from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.models import AuditEntry

pytestmark = pytest.mark.django_db
TEXT = "一年来，支部认真落实三会一课制度，按时收缴党费，组织党员集中学习。"


@pytest.fixture
def report(world):
    return duty.duty_report_create(
        actor=world.user("c1_admin"),
        org=world.a,
        year=timezone.localdate().year,
        reporter=world.members_a[0],
        text=TEXT,
    )


def test_only_the_secretary_reports(world):
    with pytest.raises(DomainError, match=r"不是.*在任书记"):
        duty.duty_report_create(
            actor=world.user("c1_admin"),
            org=world.a,
            year=timezone.localdate().year,
            reporter=world.members_a[1],
            text=TEXT,
        )


def test_second_report_of_the_year_is_a_conflict(world, report):
    with pytest.raises(Conflict):
        duty.duty_report_create(
            actor=world.user("c1_admin"),
            org=world.a,
            year=report.year,
            reporter=world.members_a[0],
            text=TEXT,
        )


def test_members_and_superior_staff_rate_once(world, report):
    duty.duty_ballot_cast(actor=world.user("member_a"), report=report, rating="good")
    duty.duty_ballot_cast(actor=world.user("c1_admin"), report=report, rating="fair")
    with pytest.raises(Conflict, match="只能评议一次"):
        duty.duty_ballot_cast(actor=world.user("member_a"), report=report, rating="poor")
    assert duty.tallies(report) == {"good": 1, "fair": 1, "average": 0, "poor": 0}


def test_reporter_and_outsiders_cannot_rate(world, report):
    with pytest.raises(Forbidden):
        duty.duty_ballot_cast(actor=world.user("sec_a"), report=report, rating="good")
    with pytest.raises(Forbidden):
        duty.duty_ballot_cast(actor=world.user("sec_b"), report=report, rating="good")
    assert not DutyBallot.objects.exists() and not DutyVoter.objects.exists()


def test_no_column_or_join_links_a_ballot_to_a_person(world, report):
    """The ballot table has the report and the rating only; the roll has no rating and no
    ballot; neither has a time (the ballot's key is random, so its order tells nothing)."""
    ballot_columns = {f.column for f in DutyBallot._meta.concrete_fields}
    assert ballot_columns == {"id", "report_id", "rating"}
    assert DutyBallot._meta.pk.get_internal_type() == "UUIDField"
    voter_columns = {f.column for f in DutyVoter._meta.concrete_fields}
    assert voter_columns == {"id", "report_id", "user_id"}
    assert not [f for f in DutyBallot._meta.get_fields() if f.is_relation and f.name != "report"]
    assert not [
        f
        for f in DutyVoter._meta.get_fields()
        if f.is_relation and f.name not in ("report", "user")
    ]
    duty.duty_ballot_cast(actor=world.user("member_a"), report=report, rating="poor")
    # The database agrees with the models.
    with connection.cursor() as cursor:
        cols = [
            c.name
            for c in connection.introspection.get_table_description(
                cursor, DutyBallot._meta.db_table
            )
        ]
    assert sorted(cols) == ["id", "rating", "report_id"]
    # The audit entry says that member_a voted, never how.
    entry = AuditEntry.objects.filter(verb="参加述职评议").get()
    assert "poor" not in str(entry.changes) and "差" not in str(entry.changes)


def test_superior_comment_closes_the_rating(world, report):
    with pytest.raises(Forbidden):
        duty.duty_report_comment(actor=world.user("sec_a"), report=report, comment="很好，继续努力")
    report = duty.duty_report_comment(
        actor=world.user("c1_admin"), report=report, comment="工作扎实，学习教育需加强"
    )
    assert report.status == DutyReport.Status.CLOSED
    with pytest.raises(Conflict, match="已结束"):
        duty.duty_ballot_cast(actor=world.user("member_a"), report=report, rating="good")


def test_api_contract(world, api_for):
    staff, member = api_for(world.user("c1_admin")), api_for(world.user("member_a"))
    resp = staff.post(
        "/api/v1/duty-reports",
        {
            "org": world.a.pk,
            "year": timezone.localdate().year,
            "reporter": world.members_a[0].pk,
            "text": TEXT,
        },
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    pk = resp.json()["id"]
    url = f"/api/v1/duty-reports/{pk}/ballots"
    resp = member.post(url, {"rating": "average"}, content_type="application/json")
    assert resp.status_code == 201, resp.content
    resp = member.post(url, {"rating": "good"}, content_type="application/json")
    assert resp.status_code == 409
    resp = member.post(url, {"rating": "excellent"}, content_type="application/json")
    assert resp.status_code == 422
    body = staff.get(f"/api/v1/duty-reports/{pk}").json()
    assert body["tallies"] == {"good": 0, "fair": 0, "average": 1, "poor": 0}
    assert body["voters"] == 1
    assert "member_a" not in str(body) and world.members_a[1].name not in str(body)


def test_member_rates_on_the_phone(world, client_for, report):
    client = client_for(world.user("member_a"))
    resp = client.get(f"/assessment/duty-reports/{report.pk}/")
    body = resp.content.decode()
    assert resp.status_code == 200 and "较好" in body and "提交评议" in body
    resp = client.post(
        f"/assessment/duty-reports/{report.pk}/", {"action": "rate", "rating": "fair"}
    )
    assert resp.status_code == 302
    assert duty.tallies(report)["fair"] == 1
    body = client.get(f"/assessment/duty-reports/{report.pk}/").content.decode()
    assert "您已评议" in body
    assert "去评议" not in client.get("/assessment/duty-reports/").content.decode()


def test_manager_page_shows_tallies_in_chinese(world, client_for, report):
    duty.duty_ballot_cast(actor=world.user("member_a"), report=report, rating="good")
    client = client_for(world.user("c1_admin"))
    body = client.get(f"/assessment/duty-reports/{report.pk}/").content.decode()
    assert "好" in body and "一般" in body and "共 1 票" in body
    assert "good" not in body.replace('value="good"', "")


def test_raters_are_told_in_their_inbox(world, report):
    from dangjian.core.models import Notification

    told = set(
        Notification.objects.filter(dedupe_key=f"duty-report-{report.pk}").values_list(
            "user__username", flat=True
        )
    )
    assert {"member_a", "peer_a", "c1_admin"} <= told
    assert "sec_a" not in told and "sec_b" not in told
