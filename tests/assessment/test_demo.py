"""The supervision demo step: a campaign with coverage, duty reports with ballots, a talk."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from dangjian.assessment import demo
from dangjian.assessment.supervision import duty
from dangjian.assessment.supervision.models import DutyReport, Inspection, Talk
from dangjian.core.demo import DemoContext, demo_steps
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


def test_the_step_is_registered():
    assert ("assessment", "build") in [(s.label, s.name) for s in demo_steps()]


def test_demo_builds_a_campaign_and_duty_reports(world):
    ctx = DemoContext(
        today=timezone.localdate(),
        random=random.Random(2026),
        scale="demo",
        small=True,
        actor=SYSTEM,
        work_committee=world.w,
        branches=[world.a, world.b],
        featured=world.a,
        members_by_org={world.a.pk: world.members_a},
        accounts={"dangyuan": world.user("member_a"), "dangwei": world.user("c1_admin")},
    )
    demo.build(ctx)
    campaign = Inspection.objects.get()
    assert campaign.coverage == {"targets": 2, "inspected": 2}
    reports = DutyReport.objects.order_by("org__path")
    assert [r.org for r in reports] == [world.a, world.b]
    assert sum(duty.tallies(reports[0]).values()) == 2
    assert Talk.objects.count() == 1
