"""LRN-1 (乡科级: 90 hours a year) and LRN-2 (县处级: 550 hours in five years) for the
cadres whose member record gives the level; only full-time training counts (集中培训,
培训班); due from the fourth quarter, a violation after the year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.learning.models import StudyCredit
from dangjian.members.models import Member
from dangjian.standards import periods as P
from dangjian.standards.engine import evaluate

pytestmark = pytest.mark.django_db
YEAR = P.containing("year", dt.date(2026, 6, 1))


def credit(member, hours, year=2026, category="training_class"):
    StudyCredit.objects.create(
        member=member,
        year=year,
        category=category,
        hours=Decimal(hours),
        title="培训",
        status="approved",
    )


@pytest.fixture
def cadres(world):
    """张三 乡科级 90 h of classes; 李四 乡科级 89 h + 20 h online; 王五 县处级 550 h over
    2022–2026; 赵六 not a cadre."""
    zhang, li, wang, _zhao = world.members_a
    Member.objects.filter(pk__in=[zhang.pk, li.pk]).update(cadre_level="section")
    Member.objects.filter(pk=wang.pk).update(cadre_level="county")
    credit(zhang, "90")
    credit(li, "89", category="concentrated")
    credit(li, "20", category="online")
    for year in range(2022, 2027):
        credit(wang, "110", year=year)
    credit(wang, "300", year=2021)  # outside the five years
    return world


def found(world, code, today):
    rows = evaluate(world.w, YEAR, today=today, codes=[code])
    return {f.member_name: f.status for f in rows if f.org_id == world.a.pk}


def test_lrn1_checks_section_level_cadres_only_and_counts_full_time_training(cadres):
    assert found(cadres, "LRN-1", dt.date(2026, 11, 2)) == {"张三": "ok", "李四": "due"}
    assert found(cadres, "LRN-1", dt.date(2027, 1, 5)) == {"张三": "ok", "李四": "violation"}


def test_lrn1_is_pending_before_the_fourth_quarter(cadres):
    assert found(cadres, "LRN-1", dt.date(2026, 6, 30))["李四"] == "pending"


def test_lrn2_sums_the_last_five_years(cadres):
    assert found(cadres, "LRN-2", dt.date(2026, 11, 2)) == {"王五": "ok"}
    StudyCredit.objects.filter(member__name="王五", year=2022).delete()
    assert found(cadres, "LRN-2", dt.date(2026, 11, 2)) == {"王五": "due"}


def test_cadre_level_is_read_from_the_import_column(world):
    from dangjian.members.imports import COLUMNS

    assert ("干部层级", "cadre_level") in [(c[0], c[1]) for c in COLUMNS]
