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
