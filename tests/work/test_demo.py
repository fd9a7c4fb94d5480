"""The work demo step: key points decomposed to every branch, initiatives across the
phases, posts and pledges."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from dangjian.core.demo import DemoContext, demo_steps
from dangjian.work import demo
from dangjian.work.models import Feedback, Initiative, Pledge, Task, VanguardPost
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def built(world):
    ctx = DemoContext(
        today=TODAY,
        random=random.Random(2026),
        scale="demo",
        small=True,
        actor=SYSTEM,
        work_committee=world.w,
        branches=[world.a, world.b, world.d],
        featured=world.a,
        members_by_org={
            world.a.pk: world.members_a,
            world.b.pk: world.members_b,
            world.d.pk: world.members_d,
        },
    )
    demo.build(ctx)
    return world


def test_the_step_runs_after_learning():
    ranks = {s.label: s.rank for s in demo_steps()}
    assert ranks["work"] == 150 > ranks["learning"]


def test_key_points_reach_every_branch(built):
    assert set(Task.objects.filter(plan_item__isnull=False).values_list("org", flat=True)) == {
        built.a.pk,
        built.b.pk,
        built.d.pk,
    }
    assert Feedback.objects.filter(org=built.a).count() == len(demo.ITEMS)


def test_initiatives_in_every_phase_and_one_overdue_task(built):
    phases = set(Initiative.objects.values_list("phase", flat=True))
    assert phases == {"plan", "deploy", "execute", "review", "done"}
    assert Task.objects.filter(initiative__isnull=False).overdue(TODAY).count() == 1


def test_posts_and_pledges(built):
    assert VanguardPost.objects.filter(org=built.a).exists()
    assert Pledge.objects.filter(year=2026, member__org=built.a).count() == 4
    assert Pledge.objects.exclude(rating="").exists()
