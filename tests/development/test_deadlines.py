"""Deadlines: the case list shows the next one, the compliance engine reports due/overdue,
the reminders go to whoever acts, the batch lists find who becomes eligible."""

import datetime as dt

from dangjian.core.calendar import add_months
from dangjian.core.models import AuditEntry, Notification
from dangjian.development import services
from dangjian.development.tasks import deadline_reminders
from dangjian.standards import periods as P
from dangjian.standards.engine import evaluate
from tests.development.helpers import make_applicant
from tests.factories import SYSTEM, make_member

TODAY = dt.date.today()


def _applied_case(world, applied_on):
    m = make_applicant(world, applied=str(applied_on))
    case = services.development_case_open(actor=SYSTEM, member=m)
    return services.case_step_record(actor=SYSTEM, case=case, number=1, done_on=applied_on)


def test_case_list_api_shows_next_deadline_and_filters_by_org(world, api_for):
    case = _applied_case(world, TODAY - dt.timedelta(days=10))
    resp = api_for(world.user("sec_a")).get(f"/api/v1/development/cases?org={world.a.pk}")
    assert resp.status_code == 200
    row = resp.json()["results"][0]
    assert row["id"] == case.pk
    assert row["current_step"] == 2 and row["current_step_name"] == "党组织派人谈话"
    assert row["next_due_on"] == str(add_months(TODAY - dt.timedelta(days=10), 1))
    assert row["next_due_rule"] == "DEV-2"
    other = api_for(world.user("sec_b")).get("/api/v1/development/cases").json()
    assert other["count"] == 0
    assert (
        api_for(world.user("sec_b")).get(f"/api/v1/development/cases?org={world.a.pk}").status_code
        == 404
    )


def test_compliance_engine_reports_due_and_overdue_cases(world):
    due = _applied_case(world, TODAY - dt.timedelta(days=10))
    late = _applied_case(world, add_months(TODAY, -2))
    findings = [f for f in evaluate(world.w, P.year(TODAY.year), codes=["PROC-1"]) if f.rule_code]
    by_case = {f.link: f for f in findings}
    assert by_case[f"/development/cases/{due.pk}/"].status == "due"
    overdue = by_case[f"/development/cases/{late.pk}/"]
    assert overdue.status == "overdue"
    assert overdue.due_on == add_months(add_months(TODAY, -2), 1)
    assert overdue.org_id == world.a.pk and "党组织派人谈话" in overdue.message


def test_compliance_engine_query_count_does_not_grow_with_cases(
    world, django_assert_max_num_queries
):
    for i in range(5):
        _applied_case(world, TODAY - dt.timedelta(days=i))
    with django_assert_max_num_queries(12):
        evaluate(world.w, P.year(TODAY.year), codes=["PROC-1"])


def test_deadline_reminders_go_once_to_the_handling_branch(world):
    _applied_case(world, add_months(TODAY, -2))
    assert deadline_reminders(today=TODAY) == 1
    assert deadline_reminders(today=TODAY) == 0
    note = Notification.objects.get(user=world.user("sec_a"))
    assert note.title.startswith("已逾期")


def test_candidates_due_this_quarter(world, api_for):
    start, _ = P.quarter(TODAY.year, (TODAY.month - 1) // 3 + 1).start, None
    inside = make_member(
        world.a, "积极甲", status="activist", applied_at=add_months(start, -14),
        activist_at=add_months(start, -12),
    )  # fmt: skip
    make_member(
        world.a, "积极乙", status="activist", applied_at=add_months(start, -14),
        activist_at=add_months(start, -12) - dt.timedelta(days=1),
    )  # fmt: skip
    rows = api_for(world.user("sec_a")).get("/api/v1/development/eligible?list=candidates").json()
    assert [r["member"]["id"] for r in rows] == [inside.pk]
    assert rows[0]["date"] == str(start)


def test_probation_ending_this_month_includes_extensions(world, api_for):
    month_start = TODAY.replace(day=1)
    joined = add_months(month_start, -12)
    plain = make_member(world.a, "预备戊", status="probationary", joined_at=joined)
    make_member(world.a, "预备己", status="probationary", joined_at=joined - dt.timedelta(days=1))
    rows = api_for(world.user("sec_a")).get("/api/v1/development/eligible?list=probation").json()
    assert [r["member"]["id"] for r in rows] == [plain.pk]
    assert rows[0]["date"] == str(month_start)


def test_eligible_page_exports_excel_and_audits(world, client_for):
    make_member(
        world.a, "积极丙", status="activist", applied_at=add_months(TODAY, -14),
        activist_at=add_months(TODAY, -12),
    )  # fmt: skip
    c = client_for(world.user("sec_a"))
    page = c.get("/development/cases/eligible/")
    assert page.status_code == 200 and "积极丙" in page.content.decode()
    resp = c.get("/development/cases/eligible/?list=candidates&export=xlsx")
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action="export", verb__contains="发展对象").exists()


def test_reminders_command_is_idempotent(world):
    from io import StringIO

    from django.core.management import call_command

    from dangjian.orgs.services import board_create

    board_create(
        actor=SYSTEM, org=world.a, term_start=add_months(TODAY, -30), term_end=add_months(TODAY, 2)
    )
    out = StringIO()
    call_command("development_reminders", stdout=out)
    assert "新开 1 个" in out.getvalue()
    out = StringIO()
    call_command("development_reminders", stdout=out)
    assert "新开 0 个" in out.getvalue()


def test_probation_list_follows_an_extension(world, api_for):
    from tests.development.helpers import run_to

    m = make_applicant(world)
    case = run_to(world, services.development_case_open(actor=SYSTEM, member=m), 21)
    services.case_extend_probation(
        actor=SYSTEM, case=case, months=6, decided_on="2025-06-01", reason="延长考察"
    )
    api = api_for(world.user("sec_a"))
    july = api.get("/api/v1/development/eligible?list=probation&on=2025-07-15").json()
    january = api.get("/api/v1/development/eligible?list=probation&on=2026-01-15").json()
    assert m.pk not in [r["member"]["id"] for r in july]
    row = next(r for r in january if r["member"]["id"] == m.pk)
    assert row["date"] == "2026-01-01" and row["case_id"] == case.pk


def test_list_filters_cases_waiting_for_the_superior(world, api_for):
    from tests.development.helpers import run_to

    waiting = run_to(
        world, services.development_case_open(actor=SYSTEM, member=make_applicant(world)), 12
    )
    _applied_case(world, TODAY - dt.timedelta(days=3))
    api = api_for(world.user("c1_admin"))
    rows = api.get("/api/v1/development/cases?actor=superior").json()["results"]
    assert [r["id"] for r in rows] == [waiting.pk]
    assert api.get("/api/v1/development/cases?actor=nobody").status_code == 422
