"""What one evaluation reads: the orgs of the kinds its rules apply to, names of others on
demand, member counts of a subtree from every org below it."""

import pytest

from dangjian.standards import periods as P
from dangjian.standards.engine import Facts, evaluate, plan

pytestmark = pytest.mark.django_db


def _facts(world, codes=None):
    today = P.local_today()
    period = P.year(today.year)
    return Facts(world.w, today, period, plan(period, today, codes))


def test_an_evaluation_of_branch_rules_reads_only_the_branches(world):
    facts = _facts(world, ["MTG-8"])
    assert facts.kinds == {"branch"}
    assert {row.kind for row in facts.orgs.values()} == {"branch"}
    # A name outside those kinds is read when a finding needs it.
    assert facts.names({world.ga.pk, world.a.pk}) == {
        world.ga.pk: world.ga.name,
        world.a.pk: world.a.name,
    }


def test_an_evaluation_of_every_rule_reads_every_kind(world):
    facts = _facts(world)
    kinds = {row.kind for row in facts.orgs.values()}
    assert {"branch", "group", "committee"} <= kinds


def test_subtree_counts_reach_orgs_outside_the_kinds_read(world):
    """A committee's subtree count sums its branches' members though only committees are
    read for a committee rule."""
    only = _facts(world, ["ORG-4"])
    every = _facts(world)
    assert "branch" not in only.kinds
    assert only.party_members(world.c1.pk, "subtree") == every.party_members(world.c1.pk, "subtree")
    assert only.party_members(world.c1.pk, "subtree") > 0


def test_findings_of_one_rule_equal_those_of_every_rule(world):
    today = P.local_today()
    period = P.year(today.year)
    every = [f for f in evaluate(world.w, period, today=today) if f.rule_code == "MTG-8"]
    alone = evaluate(world.w, period, today=today, codes=["MTG-8"])
    assert [(f.org_id, f.org_name, f.status) for f in alone] == [
        (f.org_id, f.org_name, f.status) for f in every
    ]


def test_a_finding_made_in_order_is_the_one_made_by_keywords():
    """``Finding.maker`` passes the fields by position: a field moved would shift them."""
    import datetime as dt

    from dangjian.standards.registry import Finding

    make = Finding.maker("MTG-8", 2, "民主评议", "《条例》第十八条", "warning")
    day = dt.date(2026, 12, 31)
    made = make(7, "2026", "due", 1, 0, "未完成", "/x", day, "一支部", 9, "张三")
    assert made == Finding(
        rule_code="MTG-8",
        rule_version=2,
        org_id=7,
        period="2026",
        status="due",
        expected=1,
        actual=0,
        message="未完成",
        member_id=9,
        link="/x",
        due_on=day,
        org_name="一支部",
        member_name="张三",
        rule_title="民主评议",
        citation="《条例》第十八条",
        severity="warning",
    )
