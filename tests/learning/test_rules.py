"""EDU-1 (32 hours) and EDU-2 (56 for secretaries and board members) through the standards
engine, with EDU-6 exemptions left out: pending before the fourth quarter, due for each
member short from 1 October, a violation after the year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.learning import services
from dangjian.learning.models import StudyCredit
from dangjian.orgs.models import Position
from dangjian.standards import periods as P
from dangjian.standards.engine import evaluate
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db
YEAR = P.containing("year", dt.date(2026, 6, 1))


def credit(member, hours, year=2026, status="approved"):
    StudyCredit.objects.create(
        member=member,
        year=year,
        category="online",
        hours=Decimal(hours),
        title="课程",
        status=status,
    )


@pytest.fixture
def studied(world):
    """Branch A: 张三 (secretary) 40 h, 李四 32 h, 王五 exempt, 赵六 31.75 h (+ 10 pending)."""
    sec, li, wang, zhao = world.members_a
    credit(sec, "40")
    credit(li, "32")
    credit(zhao, "31.75")
    credit(zhao, "10", status="pending")
    credit(zhao, "50", year=2025)
    services.exemption_record(actor=SYSTEM, member=wang, year=2026, reason="年老体弱")
    # The fixture's positions start on the day the tests run: the secretary since January.
    Position.objects.filter(org=world.a).update(started_on=dt.date(2026, 1, 1))
    return world


def findings(world, code, today):
    return [f for f in evaluate(world.w, YEAR, today=today, codes=[code]) if f.org_id == world.a.pk]


def test_before_the_fourth_quarter_one_pending_finding_per_branch(studied):
    found = findings(studied, "EDU-1", dt.date(2026, 6, 30))
    assert [(f.status, f.member_id) for f in found] == [("pending", None)]
    assert "2/3 名党员达到 32 学时" in found[0].actual
    assert "1 人按规定不作硬性要求" in found[0].actual


def test_in_the_fourth_quarter_each_member_short_is_due(studied):
    found = findings(studied, "EDU-1", dt.date(2026, 10, 1))
    zhao = studied.members_a[3]
    assert sorted((f.member_id, f.status) for f in found) == [(zhao.pk, "due")]
    assert "31.75" in found[0].actual


def test_after_the_year_a_member_short_is_a_violation(studied):
    found = findings(studied, "EDU-1", dt.date(2027, 1, 5))
    assert {(f.member_name, f.status) for f in found} == {("赵六", "violation")}


def test_exactly_32_hours_meets_edu1(studied):
    credit(studied.members_a[3], "0.25")  # 赵六 now 32.00
    found = findings(studied, "EDU-1", dt.date(2026, 12, 1))
    assert [(f.status, f.member_id) for f in found] == [("ok", None)]


def test_exempt_member_is_never_flagged_even_with_no_hours(studied):
    found = findings(studied, "EDU-1", dt.date(2027, 1, 5))
    assert studied.members_a[2].pk not in {f.member_id for f in found}


def test_edu2_flags_the_secretary_below_56(studied):
    found = findings(studied, "EDU-2", dt.date(2026, 11, 1))
    assert [(f.member_name, f.status) for f in found] == [("张三", "due")]
    assert "40" in found[0].actual


def test_edu2_secretary_exempt_is_ok(studied):
    services.exemption_record(
        actor=SYSTEM, member=studied.members_a[0], year=2026, reason="长期患病"
    )
    found = findings(studied, "EDU-2", dt.date(2026, 11, 1))
    assert [(f.status, f.member_id) for f in found] == [("ok", None)]


def test_edu2_secretary_with_56_is_ok(studied):
    credit(studied.members_a[0], "16")
    found = findings(studied, "EDU-2", dt.date(2027, 1, 5))
    assert [f.status for f in found] == ["ok"]
