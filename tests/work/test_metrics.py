"""The three assessment metrics: values per org over its subtree, 缺项 when nothing counts,
a constant number of queries whatever the number of orgs and rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core import metrics
from dangjian.work import services
from dangjian.work.metrics import tasks_on_time
from dangjian.work.models import Phase
from tests.factories import SYSTEM, make_org
from tests.work.conftest import make_initiative, make_task

pytestmark = pytest.mark.django_db


def read(key, orgs, year=2026):
    return metrics.get(key).compute(orgs, year)


def test_the_three_metrics_are_registered_with_a_source():
    for key in ("work:initiatives_completed", "work:tasks_on_time", "work:pledges_fulfilled"):
        m = metrics.get(key)
        assert m is not None and m.unit == "rate"


def test_source_links_to_the_records(world):
    m = metrics.get("work:initiatives_completed")
    assert m.source_url(world.a, 2026) == f"/work/?org={world.a.pk}&year=2026"


def test_initiatives_completed_rolls_up_the_subtree(world):
    make_initiative(world.a, phase=Phase.DONE)
    make_initiative(world.a, title="未完成")
    make_initiative(world.b, phase=Phase.DONE, title="B")
    got = read("work:initiatives_completed", [world.a, world.b, world.c1, world.d])
    assert got[world.a.pk].rate == Decimal(1) / 2
    assert got[world.b.pk].rate == 1
    assert (got[world.c1.pk].numerator, got[world.c1.pk].denominator) == (2, 3)
    assert world.d.pk not in got  # 缺项, never 0


def test_tasks_on_time_counts_due_or_done_tasks(world):
    i = make_initiative(world.a)
    on_time = make_task(i, org=world.a, due=dt.date(2026, 5, 1))
    services.task_complete(actor=SYSTEM, task=on_time, outcome="ok", on=dt.date(2026, 4, 30))
    late = make_task(i, org=world.a, due=dt.date(2026, 5, 1))
    services.task_complete(actor=SYSTEM, task=late, outcome="ok", on=dt.date(2026, 5, 2))
    make_task(i, org=world.a, due=dt.date(2026, 5, 10))  # overdue, open
    make_task(i, org=world.a, due=dt.date(2026, 9, 1))  # not yet due: not counted
    got = tasks_on_time([world.a], 2026, today=dt.date(2026, 6, 1))
    assert (got[world.a.pk].numerator, got[world.a.pk].denominator) == (1, 3)


def test_pledges_fulfilled_reads_the_ratings_of_wrk3(world):
    ratings = ["excellent", "poor", None, "fair"]
    for m, rating in zip(world.members_a, ratings, strict=True):
        p = services.pledge_make(actor=SYSTEM, member=m, year=2026, text="承诺")
        if rating:
            services.pledge_fulfil(actor=SYSTEM, pledge=p, result="x", rating=rating)
    got = read("work:pledges_fulfilled", [world.a, world.b])
    assert (got[world.a.pk].numerator, got[world.a.pk].denominator) == (2, 4)
    assert world.b.pk not in got


@pytest.mark.parametrize(
    "key", ["work:initiatives_completed", "work:tasks_on_time", "work:pledges_fulfilled"]
)
def test_queries_do_not_grow_with_orgs_or_rows(world, key):
    make_initiative(world.a, phase=Phase.EXECUTE)
    orgs = [world.a, world.b]
    read(key, orgs)
    with CaptureQueriesContext(connection) as few:
        read(key, orgs)
    more = [make_org(f"支部{n}", "branch", world.c2) for n in range(5)]
    for org in more:
        make_initiative(org, phase=Phase.EXECUTE, title=org.name)
    with CaptureQueriesContext(connection) as many:
        read(key, orgs + more + [world.w])
    assert len(many) == len(few)
