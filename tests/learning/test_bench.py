"""The learning bench (bench/learning.py) at small scale: its two whole-tree reads run a
constant number of queries, whatever the number of members and credits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.learning import edu1_for_tree, hours_for_tree
from dangjian.learning.models import StudyCredit
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def credit(member, hours="4"):
    StudyCredit.objects.create(
        member=member,
        year=2026,
        category="online",
        hours=Decimal(hours),
        title="学习",
        status="approved",
    )


def counted(func):
    func()  # warm: one-time lookups (rules, URLconf) are not the read's
    with CaptureQueriesContext(connection) as q:
        result = func()
    return len(q), result


def test_hours_and_edu1_for_the_tree_take_constant_queries(world):
    for m in world.members_a:
        credit(m)
    few_hours, rows = counted(lambda: hours_for_tree(world.w, 2026))
    few_check, _ = counted(lambda: edu1_for_tree(world.w, dt.date(2026, 11, 30)))
    for i in range(12):
        credit(make_member(world.b, f"党员{i}"), "40")
        credit(make_member(world.d, f"教育{i}"))
    more_hours, more_rows = counted(lambda: hours_for_tree(world.w, 2026))
    more_check, findings = counted(lambda: edu1_for_tree(world.w, dt.date(2026, 11, 30)))
    assert len(more_rows) == len(rows) + 24
    assert more_hours == few_hours
    assert more_check == few_check
    assert any(f.member_name == "教育3" for f in findings)
