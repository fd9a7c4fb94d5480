import datetime as dt

import pytest

from dangjian.meetings.models import Appraisal
from dangjian.standards import periods as P
from dangjian.standards.engine import evaluate
from tests.factories import make_member, make_org
from tests.standards.helpers import by_period, findings_for, held, local

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def test_general_meeting_one_per_quarter_just_met_and_just_missed(world):
    held(world.a, "general_meeting", local(2026, 3, 31, 23, 30))  # still Q1 in Beijing
    held(world.a, "general_meeting", local(2026, 7, 1, 0, 30))  # Q3, not Q2
    found = by_period(findings_for(world.a, P.year(2026), "MTG-1", today=TODAY, org=world.a))
    assert found == {
        "2026-Q1": "ok",
        "2026-Q2": "overdue",  # over, but the year is still running
        "2026-Q3": "ok",
        "2026-Q4": "pending",  # 41 days left > 14-day window
    }


def test_meeting_at_half_past_midnight_beijing_counts_in_the_new_month(world):
    # 2026-04-01 00:30 Beijing is 2026-03-31 16:30 UTC.
    held(world.a, "theme_day", local(2026, 4, 1, 0, 30))
    found = by_period(findings_for(world.a, P.quarter(2026, 2), "MTG-6", today=TODAY))
    assert found["2026-04"] == "ok"
    march = findings_for(world.a, P.month(2026, 3), "MTG-6", today=TODAY, org=world.a)
    assert [(f.status, f.actual) for f in march] == [("violation", 0)]


def test_unmet_item_becomes_due_inside_the_window_and_violation_after_the_year(world):
    december = P.month(2026, 12)
    pending = findings_for(world.a, december, "MTG-6", today=dt.date(2026, 12, 17), org=world.a)
    due = findings_for(world.a, december, "MTG-6", today=dt.date(2026, 12, 18), org=world.a)
    late = findings_for(world.a, P.year(2026), "MTG-6", today=dt.date(2027, 1, 2), org=world.a)
    assert pending[0].status == "pending"
    assert due[0].status == "due" and due[0].due_on == dt.date(2026, 12, 31)
    assert {f.status for f in late} == {"violation"}


def test_finding_cites_regulation_and_article_and_links_to_fix(world):
    found = findings_for(world.a, P.month(2026, 3), "MTG-6", today=TODAY, org=world.a)[0]
    assert found.rule_code == "MTG-6" and found.rule_version == 1
    assert found.citation == "《教育条例》第十六条"
    assert found.message.startswith("《教育条例》第十六条")
    assert (found.expected, found.actual) == (1, 0)
    assert found.org_name == world.a.name


def test_board_meetings_only_required_of_branches_with_seven_full_members(world):
    big = make_org("大支部", "branch", world.c1)
    for i in range(7):
        make_member(big, f"委员{i}")
    found = {f.org_id for f in evaluate(world.w, P.month(2026, 3), today=TODAY, codes=["MTG-3"])}
    assert found == {big.pk}  # A has 4 full members, B and D 2


def test_group_meeting_counts_for_its_group(world):
    held(world.a, "group_meeting", local(2026, 5, 6), group=world.ga)
    found = findings_for(world.w, P.month(2026, 5), "MTG-4", today=TODAY)
    assert [(f.org_id, f.status) for f in found] == [(world.ga.pk, "ok")]


def test_life_meeting_due_from_the_fourth_quarter(world):
    before = findings_for(world.a, P.year(2026), "MTG-7", today=dt.date(2026, 9, 30), org=world.a)
    inside = findings_for(world.a, P.year(2026), "MTG-7", today=dt.date(2026, 10, 1), org=world.a)
    assert before[0].status == "pending"
    assert inside[0].status == "due"
    held(world.a, "life_meeting", local(2026, 5, 20))
    early = findings_for(world.a, P.year(2026), "MTG-7", today=TODAY, org=world.a)[0]
    assert early.status == "ok" and "第4季度" in early.message


def test_appraisal_counts_only_when_finalized(world):
    Appraisal.objects.create(org=world.a, year=2026, status=Appraisal.Status.OPEN)
    Appraisal.objects.create(org=world.b, year=2026, status=Appraisal.Status.FINALIZED)
    found = {
        f.org_id: f.status for f in evaluate(world.c1, P.year(2026), today=TODAY, codes=["MTG-8"])
    }
    assert found == {world.a.pk: "due", world.b.pk: "ok"}


def test_quarterly_rule_asked_for_a_month_is_judged_on_its_quarter(world):
    found = findings_for(world.a, P.month(2026, 2), "MTG-1", today=TODAY, org=world.a)
    assert [f.period for f in found] == ["2026-Q1"]


def test_query_count_does_not_grow_with_branches(world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        evaluate(world.w, P.year(2026), today=TODAY)
    for i in range(6):
        branch = make_org(f"新支部{i}", "branch", world.c2)
        make_org(f"新小组{i}", "group", branch)
        make_member(branch, f"党员{i}")
        held(branch, "theme_day", local(2026, 3, 3))
    with django_assert_num_queries(len(few.captured_queries)):
        findings = evaluate(world.w, P.year(2026), today=TODAY)
    assert len({f.org_id for f in findings if f.rule_code == "MTG-6"}) == 3 + 6
