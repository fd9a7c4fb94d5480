"""The talent demo step: a pool in every state, tracks of learning's courses with progress,
and SUP-6 facts."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from dangjian.core.demo import DemoContext, demo_steps
from dangjian.talent import demo
from dangjian.talent.models import Assignment, Talent, Track
from tests.factories import SYSTEM, make_member
from tests.talent.conftest import make_course, set_unit

pytestmark = pytest.mark.django_db


def test_demo_builds_pool_tracks_and_staffing(world):
    make_course(world.w, title="网络安全基础")
    make_course(world.w, title="新媒体运营")
    set_unit(world.c1, "市财政局", below=(world.a, world.b))
    extra = [make_member(world.a, n) for n in ("陈一", "林二", "黄三", "何四")]
    ctx = DemoContext(
        today=timezone.localdate(),
        random=random.Random(2026),
        scale="demo",
        small=True,
        actor=SYSTEM,
        work_committee=world.w,
        branches=[world.a, world.b, world.d],
        featured=world.a,
        members_by_org={
            world.a.pk: world.members_a + extra,
            world.b.pk: world.members_b,
            world.d.pk: world.members_d,
        },
    )
    demo.build(ctx)
    statuses = set(Talent.objects.values_list("status", flat=True))
    assert {"admitted", "nominated", "declined", "retired"} <= statuses
    assert Talent.objects.filter(status="nominated", consent_on__isnull=True).exists()
    assert Assignment.objects.exclude(outcome="").exists()
    assert Track.objects.count() == 2 and Track.objects.filter(items__isnull=False).exists()
    world.c1.unit.refresh_from_db()
    assert world.c1.unit.staff_count == 150
    assert [(s.rank, s.name) for s in demo_steps() if s.label == "talent"] == [(180, "build")]
