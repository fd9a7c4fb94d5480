"""Metrics the apps contribute for the assessment: values from the platform's records, 缺项
when there is nothing to count, and a constant number of queries for any number of orgs."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.assessment.models import Rectification
from dangjian.core import metrics
from dangjian.orgs.models import Org
from dangjian.standards.models import KeptFinding
from tests.factories import make_member, make_org

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = TODAY.year
KEYS = [
    "rule:MTG-3",
    "dues:collection_rate",
    "meetings:held_rate",
    "assessment:rectifications_on_time",
    "development:on_schedule",
    "learning:completion",
]


def kept(org, status, member_id=0, code="MTG-3"):
    KeptFinding.objects.create(
        year=YEAR,
        org=org,
        branch=org if org.kind == "branch" else org.parent,
        rule_code=code,
        rule_version=1,
        rule_title="t",
        period=f"{YEAR}-{member_id:02d}",
        member_id=member_id,
        status=status,
        evaluated_at=timezone.now(),
    )


def branches(world):
    return list(Org.objects.filter(kind="branch").order_by("path"))


def test_every_metric_the_issue_names_is_registered_with_a_source():
    for key in KEYS:
        m = metrics.resolve(key)
        assert m is not None, key
        assert m.source is not None and m.title


def test_rule_metric_reads_kept_findings_of_the_subtree(world):
    kept(world.a, "ok", 1)
    kept(world.ga, "violation", 2)  # a group counts for its branch
    kept(world.a, "pending", 3)  # not judged yet: left out
    kept(world.b, "ok", 1)
    got = metrics.resolve("rule:MTG-3").compute(branches(world), YEAR)
    assert (got[world.a.pk].numerator, got[world.a.pk].denominator) == (1, 2)
    assert got[world.b.pk].rate == 1
    assert world.d.pk not in got  # nothing kept: 缺项, not 0
    c1 = metrics.resolve("rule:MTG-3").compute([world.c1], YEAR)
    assert (c1[world.c1.pk].numerator, c1[world.c1.pk].denominator) == (2, 3)


def test_a_rule_with_no_checker_or_unknown_is_no_metric():
    assert metrics.resolve("rule:NOPE-1") is None
    assert metrics.resolve("rule:DUE-2") is None


def test_rectifications_on_time(world):
    owner = world.members_a[1]
    late = dict(org=world.a, owner=owner, item="x", deadline=TODAY - dt.timedelta(days=3))
    Rectification.objects.create(**late)  # overdue, open
    Rectification.objects.create(
        **late | {"item": "y"},
        status="verified",
        submitted_at=timezone.now() - dt.timedelta(days=5),
        verified_at=timezone.now(),
    )
    Rectification.objects.create(**late | {"item": "z", "deadline": TODAY + dt.timedelta(days=9)})
    got = metrics.resolve("assessment:rectifications_on_time").compute(branches(world), YEAR)
    assert (got[world.a.pk].numerator, got[world.a.pk].denominator) == (1, 2)
    assert world.b.pk not in got


@pytest.mark.parametrize("key", KEYS)
def test_metric_queries_do_not_grow_with_the_orgs(world, key):
    m = metrics.resolve(key)

    def count():
        orgs = branches(world)
        with CaptureQueriesContext(connection) as ctx:
            m.compute(orgs, YEAR)
        return len(ctx.captured_queries)

    before = count()
    for i in range(5):
        org = make_org(f"新党支部{i}", "branch", world.c2)
        make_member(org, f"新党员{i}")
        kept(org, "ok")
    assert count() == before
