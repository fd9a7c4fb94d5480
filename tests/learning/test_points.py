"""Points: only from verified deeds, once per (rule, source), capped per day and year by the
rule in force, reversed by negative rows; org sums without people."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError

from dangjian.core.errors import Conflict
from dangjian.learning import points
from dangjian.learning.models import PointEntry, PointRule
from dangjian.learning.models_exams import POINT_EVENTS
from dangjian.standards.models import Rule
from tests.factories import SYSTEM
from tests.learning.conftest import make_course

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def courses(org, n):
    return [make_course(org, title=f"课程{i}") for i in range(n)]


def award(member, course, on=DAY):
    return points.point_award(
        event="course_completed", member=member, source=course, title="学完课程", on=on
    )


def test_points_are_awarded_once_per_rule_and_source(world):
    member, (course,) = world.members_a[1], courses(world.a, 1)
    assert [e.points for e in award(member, course)] == [2]
    assert award(member, course) == []
    assert PointEntry.objects.count() == 1


def test_the_database_refuses_a_second_entry_for_the_same_source(world):
    member, (course,) = world.members_a[1], courses(world.a, 1)
    (entry,) = award(member, course)
    with pytest.raises(IntegrityError):
        PointEntry.objects.create(
            member=member,
            year=2026,
            awarded_on=DAY,
            points=2,
            title="x",
            rule_code=entry.rule_code,
            rule_version=1,
            source_type=entry.source_type,
            source_id=entry.source_id,
        )


def test_daily_cap_cuts_the_award_and_then_stops_it(world):
    member, made = world.members_a[1], courses(world.a, 4)
    got = [sum(e.points for e in award(member, c)) for c in made]
    assert got == [2, 2, 2, 0]  # PNT-1: 2 points, at most 6 a day
    assert award(member, made[3], on=DAY + dt.timedelta(days=1))[0].points == 2


def test_yearly_cap_holds_across_days(world):
    rule = PointRule.objects.points().get(code="PNT-1")
    Rule.objects.filter(pk=rule.pk).update(params={**rule.params, "yearly_cap": 5})
    member, made = world.members_a[1], courses(world.a, 3)
    got = [
        sum(e.points for e in award(member, c, on=DAY + dt.timedelta(days=i)))
        for i, c in enumerate(made)
    ]
    assert got == [2, 2, 1]


def test_a_new_rule_version_applies_from_its_date(world):
    rule = PointRule.objects.points().get(code="PNT-1")
    Rule.objects.filter(pk=rule.pk).update(effective_to=dt.date(2026, 6, 1))
    Rule.objects.create(
        code="PNT-1",
        version=2,
        title="学完课程记 3 分",
        standard=rule.standard,
        verification="L",
        params={**rule.params, "points": 3},
        severity="info",
        effective_from=dt.date(2026, 6, 1),
    )
    member, (a, b) = world.members_a[1], courses(world.a, 2)
    assert award(member, a)[0].points == 2
    later = award(member, b, on=dt.date(2026, 7, 1))[0]
    assert (later.points, later.rule_version) == (3, 2)


def test_reversal_is_a_negative_row_once(world):
    member, (course,) = world.members_a[1], courses(world.a, 1)
    (entry,) = award(member, course)
    reversal = points.point_reverse(actor=SYSTEM, entry=entry, reason="课程撤回")
    assert reversal.points == -2
    assert points.member_points(member, 2026)[0] == 0
    with pytest.raises(Conflict):
        points.point_reverse(actor=SYSTEM, entry=entry, reason="再次")
    entry.refresh_from_db()
    assert entry.points == 2  # the ledger row itself is never changed


def test_no_rule_rewards_logins_likes_shares_or_time_online():
    events = {e for e, _ in POINT_EVENTS}
    assert events == {"course_completed", "exam_passed"}
    for rule in PointRule.objects.points():
        assert rule.event in events


def test_finishing_a_course_awards_points_through_the_study_ledger(world):
    from dangjian.learning import progress

    course = make_course(world.a, [{"title": "视频", "kind": "video", "duration_s": 20}])
    lesson = course.lessons.get()
    member = world.members_a[1]
    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    session = progress.session_start(member=member, lesson=lesson, now=start)
    for t in range(5, 25, 5):
        progress.heartbeat(session=session, position_s=t, now=start + dt.timedelta(seconds=t))
    assert list(PointEntry.objects.values_list("rule_code", "points")) == [("PNT-1", 2)]


def test_org_points_sum_per_org_in_tree_order(world):
    made = courses(world.w, 2)
    award(world.members_a[1], made[0])
    award(world.members_a[2], made[0])
    award(world.members_b[1], made[1])
    rows = points.org_points([world.c1, world.a, world.b], 2026)
    assert [(r.org, r.total, r.with_points) for r in rows] == [
        (world.c1, 6, 3),
        (world.a, 4, 2),
        (world.b, 2, 1),
    ]
    assert rows[1].members == 4
