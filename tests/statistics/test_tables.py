"""Every cell of the tables against the hand-made committee of ``conftest.make_book``."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.members.models import MemberEvent
from dangjian.statistics.tables import compute
from tests.factories import make_member
from tests.statistics.conftest import AS_OF

pytestmark = pytest.mark.django_db


def names(book, tables, cell):
    by_id = {m.pk: n for n, m in book.m.items()}
    return sorted(by_id[i] for i in tables.cells.get(cell, set()))


def test_members_at_the_end_of_the_year(book):
    t = compute(book.c, AS_OF)
    m = t.figures["members"]
    assert (m["total"], m["full"], m["probationary"]) == (6, 4, 2)
    assert (m["female"], m["male"], m["han"], m["minority"]) == (2, 4, 5, 1)
    assert names(book, t, "members.total") == sorted(["甲", "乙", "丙", "戊", "壬", "癸"])
    assert names(book, t, "members.probationary") == sorted(["丙", "壬"])
    assert names(book, t, "members.minority") == ["丙"]


def test_age_bands_education_occupation(book):
    m = compute(book.c, AS_OF).figures["members"]
    assert m["age_bands"] == {
        "0-30": 1,
        "31-35": 1,
        "36-40": 1,
        "41-45": 2,
        "46-50": 0,
        "51-55": 0,
        "56-60": 0,
        "61-": 1,
    }
    assert m["education"] == {
        "postgraduate": 1,
        "university": 2,
        "college": 2,
        "secondary": 0,
        "basic": 0,
        "unknown": 1,
    }
    assert m["occupation"] == {"agency": 5, "retired": 1}


def test_start_of_the_year_is_rebuilt_from_the_history(book):
    t = compute(book.c, AS_OF)
    assert t.figures["start"] == {"total": 6, "full": 4, "probationary": 2}
    assert names(book, t, "start.total") == sorted(["甲", "乙", "丁", "己", "庚", "壬"])


def test_changes_over_the_year(book):
    t = compute(book.c, AS_OF)
    assert t.figures["changes"] == {
        "developed": 1,
        "transferred_in": 2,
        "restored": 0,
        "other_in": 0,
        "transferred_out": 2,
        "died": 1,
        "removed": 0,
        "cancelled": 0,
        "other_out": 0,
        "made_full": 1,
        "increase": 3,
        "decrease": 3,
    }
    assert names(book, t, "changes.transferred_in") == sorted(["戊", "癸"])
    assert names(book, t, "changes.transferred_out") == sorted(["丁", "庚"])
    assert names(book, t, "changes.died") == ["己"]
    assert names(book, t, "changes.made_full") == ["乙"]
    assert names(book, t, "changes.developed") == ["丙"]


def test_orgs_by_kind_and_children(book):
    f = compute(book.c, AS_OF).figures
    assert f["orgs"] == {
        "total": 4,
        "work_committee": 0,
        "committee": 1,
        "general_branch": 0,
        "branch": 2,
        "group": 1,
    }
    assert [(c["name"], c["total"]) for c in f["children"]] == [
        ("统计一支部", 4),
        ("统计二支部", 2),
    ]
    assert f["direct"] == 0


def test_every_check_passes_on_a_sound_history(book):
    checks = compute(book.c, AS_OF).checks
    assert [c["key"] for c in checks if not c["passed"]] == []
    assert len(checks) == 12


def test_a_branch_sees_its_own_moves(book):
    t = compute(book.a, AS_OF)
    assert t.figures["start"]["total"] == 3  # 甲, 乙, 庚
    assert t.figures["members"]["total"] == 4  # 甲, 乙, 丙, 戊
    c = t.figures["changes"]
    assert (c["developed"], c["transferred_in"], c["transferred_out"]) == (1, 1, 1)
    assert all(ch["passed"] for ch in t.checks)


def test_the_whole_tree_has_no_moves_inside_it(book):
    t = compute(book.w, AS_OF)
    c = t.figures["changes"]
    assert (c["transferred_in"], c["transferred_out"]) == (1, 1)  # 癸 in, 庚 out
    assert t.figures["members"]["total"] == 7  # C's six and 丁 in X
    assert all(ch["passed"] for ch in t.checks)


def test_the_state_on_an_earlier_date(book):
    t = compute(book.c, dt.date(2026, 3, 31))
    # 乙 still probationary; 丙 not yet admitted; 丁 and 己 still here; 戊 arrived; 庚 gone;
    # 癸 not yet come.
    m = t.figures["members"]
    assert (m["total"], m["full"], m["probationary"]) == (6, 4, 2)
    assert names(book, t, "members.total") == sorted(["甲", "乙", "丁", "戊", "己", "壬"])


def test_a_status_entry_that_does_not_follow_breaks_the_balance(book):
    event = MemberEvent.objects.get(member=book.m["乙"], kind=MemberEvent.Kind.STATUS)
    event.from_status = "candidate"
    event.save()
    failed = {c["key"] for c in compute(book.c, AS_OF).checks if not c["passed"]}
    assert {"balance_total", "balance_probationary"} <= failed


def test_a_record_changed_without_an_entry_fails_the_history_check(book):
    MemberEvent.objects.filter(member=book.m["己"], kind=MemberEvent.Kind.LEFT).delete()
    t = compute(book.c, AS_OF)
    failed = {c["key"] for c in t.checks if not c["passed"]}
    assert failed == {"history"}
    assert names(book, t, "checks.history") == ["己"]


def test_queries_do_not_grow_with_the_members(book, django_assert_num_queries):
    with django_assert_num_queries(3):
        compute(book.c, AS_OF)
    for i in range(5):
        make_member(book.a, f"新{i}")
    with django_assert_num_queries(3):
        compute(book.c, AS_OF)


def test_a_record_without_any_history_counts_from_its_dates(book):
    MemberEvent.objects.filter(member__in=[book.m["壬"], book.m["子"]]).delete()
    t = compute(book.c, AS_OF)
    assert t.figures["start"]["probationary"] == 2 and t.figures["members"]["probationary"] == 2
    assert all(c["passed"] for c in t.checks)
