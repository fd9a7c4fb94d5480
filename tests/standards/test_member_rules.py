import datetime as dt

import pytest

from dangjian.meetings.services import attendance_mark
from dangjian.members.services import member_update
from dangjian.standards import periods as P
from dangjian.standards.engine import evaluate
from tests.factories import SYSTEM
from tests.standards.helpers import held, local

pytestmark = pytest.mark.django_db


def member_findings(world, code, today):
    found = evaluate(world.a, P.year(today.year), today=today, codes=[code])
    return {f.member_id: f for f in found if f.member_id}, found


def test_six_months_without_organizational_life_is_a_violation_five_is_a_warning(world):
    present, absent, *_ = world.members_a
    meeting = held(world.a, "general_meeting", local(2026, 3, 10))
    attendance_mark(actor=SYSTEM, meeting=meeting, member=present, status="present")
    attendance_mark(actor=SYSTEM, meeting=meeting, member=absent, status="absent")
    five, _ = member_findings(world, "MTG-10", dt.date(2026, 8, 15))  # 5 whole months
    assert five[present.pk].status == "due"
    six, _ = member_findings(world, "MTG-10", dt.date(2026, 9, 10))  # 6 whole months
    assert six[present.pk].status == "violation"
    assert six[present.pk].actual == "6个月"
    assert present.name in six[present.pk].message
    # Never present: counted from the first meeting they were expected at.
    assert six[absent.pk].status == "violation"


def test_attending_recently_clears_the_warning(world):
    member = world.members_a[0]
    old = held(world.a, "general_meeting", local(2026, 1, 10))
    attendance_mark(actor=SYSTEM, meeting=old, member=member, status="present")
    recent = held(world.a, "theme_day", local(2026, 8, 1))
    attendance_mark(actor=SYSTEM, meeting=recent, member=member, status="absent")
    attendance_mark(actor=SYSTEM, meeting=recent, member=member, status="made_up")
    by_member, _ = member_findings(world, "MTG-10", dt.date(2026, 9, 10))
    assert member.pk not in by_member


def test_branch_without_absent_members_gets_one_ok_finding(world):
    _, found = member_findings(world, "MTG-10", dt.date(2026, 9, 10))
    assert [(f.org_id, f.status) for f in found] == [(world.a.pk, "ok")]


def test_lost_contact_six_months_suspends_and_two_more_years_removes(world):
    member = world.members_a[2]
    member_update(
        actor=SYSTEM, member=member, is_lost_contact=True, lost_contact_since=dt.date(2026, 1, 15)
    )
    soon, _ = member_findings(world, "EDU-3", dt.date(2026, 7, 5))  # 10 days before 6 months
    assert soon[member.pk].status == "due"
    suspend, _ = member_findings(world, "EDU-3", dt.date(2026, 7, 15))
    assert suspend[member.pk].status == "violation" and "停止党籍" in suspend[member.pk].message
    removal, _ = member_findings(world, "EDU-3", dt.date(2028, 7, 15))
    assert "除名" in removal[member.pk].message


def test_lost_contact_far_from_the_line_is_not_reported(world):
    member = world.members_a[2]
    member_update(
        actor=SYSTEM, member=member, is_lost_contact=True, lost_contact_since=dt.date(2026, 1, 15)
    )
    early, found = member_findings(world, "EDU-3", dt.date(2026, 3, 1))
    assert member.pk not in early
    assert [f.status for f in found] == ["ok"]
