"""The annual plan: generated from the rules in force, moved by the secretary, judged done /
due / overdue, reminders before a slot."""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.core.errors import DomainError
from dangjian.core.models import Notification
from dangjian.meetings import selectors, services
from dangjian.meetings.models import Appraisal, Meeting, PlanSlot
from dangjian.meetings.plan import is_plan_rule
from dangjian.standards.models import Rule
from tests.factories import SYSTEM
from tests.meetings.conftest import make_rule

pytestmark = pytest.mark.django_db

YEAR = 2026


def counts(slots):
    out = {}
    for s in slots:
        out[s.kind] = out.get(s.kind, 0) + 1
    return out


def test_plan_has_every_required_meeting_of_the_year(world, plan_rules):
    slots = services.plan_generate(actor=SYSTEM, org=world.a, year=YEAR)
    assert counts(slots) == {
        "general_meeting": 4,
        "board_meeting": 12,
        "group_meeting": 12,  # branch A has one group
        "party_lecture": 4,
        "theme_day": 12,
        "life_meeting": 1,
        "appraisal": 1,
        "heart_talk": 1,
    }
    life = next(s for s in slots if s.kind == "life_meeting")
    assert life.planned_on.month in (10, 11, 12)  # preferred_quarter 4
    assert life.due_on == dt.date(YEAR, 12, 31)
    board = sorted((s for s in slots if s.kind == "board_meeting"), key=lambda s: s.period)
    assert board[2].period == "2026-03" and board[2].due_on == dt.date(2026, 3, 31)
    assert {s.group_id for s in slots if s.kind == "group_meeting"} == {world.ga.pk}


def test_min_of_two_makes_two_slots_per_period(world, plan_rules):
    Rule.objects.filter(code="T-GENERAL").update(
        params={"kind": "general_meeting", "period": "quarter", "min": 2}
    )
    slots = services.plan_generate(actor=SYSTEM, org=world.a, year=YEAR)
    assert counts(slots)["general_meeting"] == 8


def test_generating_again_keeps_moved_dates_and_adds_nothing(world, plan_rules):
    slots = services.plan_generate(actor=SYSTEM, org=world.a, year=YEAR)
    slot = next(s for s in slots if s.kind == "theme_day" and s.period == "2026-05")
    services.plan_slot_move(actor=SYSTEM, slot=slot, planned_on=dt.date(2026, 5, 20))
    again = services.plan_generate(actor=SYSTEM, org=world.a, year=YEAR)
    assert len(again) == len(slots)
    assert PlanSlot.objects.get(pk=slot.pk).planned_on == dt.date(2026, 5, 20)


def test_moving_a_slot_out_of_its_year_is_refused(world, plan_rules):
    slot = services.plan_generate(actor=SYSTEM, org=world.a, year=YEAR)[0]
    with pytest.raises(DomainError, match="2026 年内"):
        services.plan_slot_move(actor=SYSTEM, slot=slot, planned_on=dt.date(2027, 1, 5))


def test_a_rule_changed_mid_year_applies_from_its_date(world, plan_rules):
    Rule.objects.filter(code="T-GENERAL").update(effective_to=dt.date(2026, 7, 1))
    make_rule("T-GENERAL", "general_meeting", "quarter", 2, version=2, start=dt.date(2026, 7, 1))
    slots = services.plan_generate(actor=SYSTEM, org=world.a, year=YEAR)
    general = [s for s in slots if s.kind == "general_meeting"]
    per_quarter = {p: sum(1 for s in general if s.period == p) for p in {s.period for s in general}}
    assert per_quarter == {"2026-Q1": 1, "2026-Q2": 1, "2026-Q3": 2, "2026-Q4": 2}
    assert {s.rule_version for s in general if s.period == "2026-Q3"} == {2}


def test_without_rules_the_plan_says_what_to_do(world):
    for rule in Rule.objects.all():
        if is_plan_rule(rule):
            Rule.objects.filter(pk=rule.pk).update(enabled=False)
    with pytest.raises(DomainError, match="标准库"):
        services.plan_generate(actor=SYSTEM, org=world.a, year=YEAR)


def test_slot_status_done_overdue_due(world, plan_rules):
    services.plan_generate(actor=SYSTEM, org=world.a, year=YEAR)
    tz = timezone.get_current_timezone()
    services.meeting_create(
        actor=SYSTEM,
        org=world.a,
        kind="board_meeting",
        topic="一月支委会",
        status="held",
        held_at=dt.datetime(2026, 1, 20, 9, tzinfo=tz),
    )
    rows = selectors.plan_rows(org=world.a, year=YEAR, today=dt.date(2026, 3, 25))
    board = {r.slot.period: r.status for r in rows if r.slot.kind == "board_meeting"}
    assert board["2026-01"] == "done"
    assert board["2026-02"] == "overdue"
    assert board["2026-03"] == "due"
    assert board["2026-06"] == "planned"


def test_group_meeting_counts_for_its_group(world, plan_rules):
    services.plan_generate(actor=SYSTEM, org=world.a, year=YEAR)
    tz = timezone.get_current_timezone()
    services.meeting_create(
        actor=SYSTEM,
        org=world.a,
        kind="group_meeting",
        topic="小组学习",
        status="held",
        group=world.ga,
        held_at=dt.datetime(2026, 2, 3, 15, tzinfo=tz),
    )
    rows = selectors.plan_rows(org=world.a, year=YEAR, today=dt.date(2026, 12, 31))
    group = {r.slot.period: r.status for r in rows if r.slot.kind == "group_meeting"}
    assert group["2026-02"] == "done" and group["2026-01"] == "overdue"


def test_appraisal_slot_is_done_when_the_appraisal_is_finalized(world, plan_rules):
    services.plan_generate(actor=SYSTEM, org=world.a, year=YEAR)
    Appraisal.objects.create(
        org=world.a, year=YEAR, status="finalized", finalized_at=timezone.now()
    )
    rows = selectors.plan_rows(org=world.a, year=YEAR, today=dt.date(2026, 6, 1))
    assert [r.status for r in rows if r.slot.kind == "appraisal"] == ["done"]


def test_plan_page_query_count_does_not_grow_with_slots(
    world, plan_rules, client_for, django_assert_max_num_queries
):
    services.plan_generate(actor=SYSTEM, org=world.a, year=YEAR)
    client = client_for(world.user("sec_a"))
    with django_assert_max_num_queries(20):
        resp = client.get(f"/meetings/plan/?org={world.a.pk}&year={YEAR}")
    assert resp.status_code == 200
    assert resp.content.decode().count("<tr") >= 47


def test_reminders_go_to_the_secretary_once(world, plan_rules, settings):
    settings.REMINDER_DAYS_BEFORE = 7
    services.plan_generate(actor=SYSTEM, org=world.a, year=YEAR)
    slot = PlanSlot.objects.get(org=world.a, kind="theme_day", period="2026-04")
    services.plan_slot_move(actor=SYSTEM, slot=slot, planned_on=dt.date(2026, 4, 10))
    sent = services.plan_send_reminders(today=dt.date(2026, 4, 5))
    assert sent >= 1
    inbox = Notification.objects.filter(user=world.user("sec_a"), title__contains="主题党日")
    assert inbox.count() == 1
    assert services.plan_send_reminders(today=dt.date(2026, 4, 6)) == 0


def test_secretary_of_b_cannot_generate_plan_of_a(world, plan_rules, api_for):
    resp = api_for(world.user("sec_b")).post(
        "/api/v1/meetings/plan",
        {"org": world.a.pk, "year": YEAR},
        content_type="application/json",
    )
    assert resp.status_code == 404
    assert not PlanSlot.objects.exists()


def test_plan_api_generates_and_moves(world, plan_rules, api_for):
    client = api_for(world.user("sec_a"))
    resp = client.post(
        "/api/v1/meetings/plan", {"org": world.a.pk, "year": YEAR}, content_type="application/json"
    )
    assert resp.status_code == 201 and len(resp.json()) == 47
    slot_id = resp.json()[0]["id"]
    moved = client.patch(
        f"/api/v1/meetings/plan/slots/{slot_id}",
        {"planned_on": "2026-01-28"},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["planned_on"] == "2026-01-28"


def test_board_meetings_only_for_branches_with_a_board(world, plan_rules):
    # Like the shipped rule: a board (and its monthly meeting) from 7 full members on.
    Rule.objects.filter(code="T-BOARD").update(
        applies_to={"kinds": ["branch"], "min_full_members": 7}
    )
    slots = services.plan_generate(actor=SYSTEM, org=world.a, year=YEAR)  # 4 full members
    assert "board_meeting" not in counts(slots)


def test_remind_command_runs(world, plan_rules):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("meetings_remind", stdout=out)
    assert "已发送" in out.getvalue()


def test_one_step_from_plan_slot_to_notice(world, plan_rules, api_for):
    year = timezone.localdate().year + 1
    services.plan_generate(actor=SYSTEM, org=world.a, year=year)
    slot = PlanSlot.objects.get(org=world.a, kind="theme_day", period=f"{year}-03")
    client = api_for(world.user("sec_a"))
    resp = client.post(
        f"/api/v1/meetings/plan/slots/{slot.pk}/schedule",
        {"place": "党员活动室"},
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.json()
    again = client.post(
        f"/api/v1/meetings/plan/slots/{slot.pk}/schedule", {}, content_type="application/json"
    )
    assert again.json()["id"] == resp.json()["id"]
    meeting = Meeting.objects.get(pk=resp.json()["id"])
    assert (meeting.slot, meeting.planned_on, meeting.place) == (
        slot,
        slot.planned_on,
        "党员活动室",
    )
    assert meeting.notice_sent_at is not None and meeting.attendances.count() == 4
    assert (
        Notification.objects.filter(
            user=world.user("member_a"), title__startswith="会议通知"
        ).count()
        == 1
    )


def test_a_past_slot_cannot_be_scheduled(world, plan_rules):
    services.plan_generate(actor=SYSTEM, org=world.a, year=2020)
    slot = PlanSlot.objects.filter(org=world.a, kind="theme_day").first()
    with pytest.raises(DomainError, match="计划日期已过"):
        services.plan_slot_schedule(actor=SYSTEM, slot=slot)


def test_plan_page_offers_one_step_scheduling_only_where_the_service_would_do_it(
    world, plan_rules, client_for
):
    year = timezone.localdate().year + 1
    services.plan_generate(actor=SYSTEM, org=world.a, year=year)
    slots = PlanSlot.objects.filter(org=world.a, year=year, kind="theme_day")
    past = slots.order_by("planned_on").first()
    PlanSlot.objects.filter(pk=past.pk).update(planned_on=timezone.localdate() - dt.timedelta(1))
    future, arranged = slots.filter(planned_on__gt=timezone.localdate()).order_by("planned_on")[:2]
    meeting = services.plan_slot_schedule(actor=SYSTEM, slot=arranged)
    talk = PlanSlot.objects.get(org=world.a, year=year, kind="heart_talk")

    body = client_for(world.user("sec_a")).get(f"/meetings/plan/?org={world.a.pk}&year={year}")
    body = body.content.decode()

    def offered(slot) -> bool:
        return f"/meetings/plan/slots/{slot.pk}/schedule/" in body

    assert offered(future)
    assert not offered(past) and not offered(arranged) and not offered(talk)
    assert f'href="/meetings/{meeting.pk}/"' in body  # the arranged slot links to its meeting
    assert f"/meetings/new/?slot={past.pk}" in body  # a past slot keeps "安排会议"
    with pytest.raises(DomainError, match="计划日期已过"):
        services.plan_slot_schedule(actor=SYSTEM, slot=PlanSlot.objects.get(pk=past.pk))
