"""The demo data of organizational life (small scale)."""

import datetime as dt

import pytest

from dangjian.assessment.models import Rectification
from dangjian.core.management.commands.demo import build_demo
from dangjian.meetings.models import Appraisal, Attendance, Meeting, PlanSlot, Vote

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def demo(db, plan_rules):
    return build_demo(scale="small", seed=2026, today=TODAY)


def test_demo_has_a_year_and_a_half_of_every_kind(demo):
    held = Meeting.objects.filter(status="held")
    assert set(held.values_list("kind", flat=True)) == set(Meeting.Kind.values)
    first = held.order_by("held_at").first().held_at.date()
    assert first.year == TODAY.year - 1
    assert held.filter(held_at__date__gte=TODAY).count() == 0
    assert (
        Attendance.objects.filter(status="present").count()
        > Attendance.objects.filter(status="absent").count()
    )
    assert Meeting.objects.filter(status="planned").count() >= len(demo.branches)


def test_demo_minutes_include_flagged_ones(demo):
    assert Meeting.objects.filter(quality="ok").exists()
    assert Meeting.objects.filter(quality__in=["short", "similar"]).exists()


def test_demo_plan_appraisals_and_rectifications(demo):
    assert PlanSlot.objects.filter(year=TODAY.year).count() >= 35 * len(demo.branches)
    assert Appraisal.objects.filter(year=TODAY.year - 1, status="finalized").count() == len(
        demo.branches
    )
    assert Rectification.objects.exists()
    # This year's held meetings fulfil their plan slots, as when scheduled from the plan.
    linked = Meeting.objects.filter(status="held", held_at__year=TODAY.year, slot__isnull=False)
    assert linked.count() > len(demo.branches)
    for meeting in linked.select_related("slot")[:50]:
        assert meeting.slot.org_id == meeting.org_id and meeting.slot.kind == meeting.kind
        assert meeting.slot.period_start <= meeting.held_at.date() <= meeting.slot.due_on


def test_demo_votes_are_judged(demo):
    for vote in Vote.objects.all():
        assert vote.present_voting <= vote.voting_members
        assert vote.quorum == (vote.present_voting >= vote.quorum_needed)


def test_demo_is_deterministic(db, plan_rules):
    from django.db import transaction

    def topics():
        try:
            with transaction.atomic():
                build_demo(scale="small", seed=7, today=TODAY)
                raise RuntimeError(
                    list(
                        Meeting.objects.order_by("held_at", "org__path", "kind").values_list(
                            "topic", "place"
                        )[:200]
                    )
                )
        except RuntimeError as done:
            return done.args[0]

    assert topics() == topics()
