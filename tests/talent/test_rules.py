"""SUP-6 (full-time party-affairs staff 1 %–2 % of the agency's staff) at its bounds, and
TAL-1 (staff short of their track's hours) through the standards engine."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.orgs.services import position_assign
from dangjian.standards import periods as P
from dangjian.standards.engine import evaluate
from dangjian.talent import services
from dangjian.talent.selectors import progress_by_org, staffing_rows, track_progress
from tests.factories import SYSTEM, give_role, make_user
from tests.talent.conftest import credit, make_course, make_track, set_unit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = P.containing("year", TODAY)


def of(world, code, org, today=TODAY):
    return [f for f in evaluate(world.w, YEAR, today=today, codes=[code]) if f.org_id == org.pk]


def staffed(world, *, staff: int, full_time: int):
    set_unit(world.c1, "市财政局", staff, below=(world.a, world.b))
    for i in range(full_time):
        pos = give_role(make_user(f"ft{i}"), world.c1 if i % 2 else world.a, "staff")
        services.position_full_time_set(actor=SYSTEM, position=pos, full_time=True)


@pytest.mark.parametrize(
    ("staff", "full_time", "status"),
    [
        (200, 2, "ok"),  # exactly 1 %
        (200, 4, "ok"),  # exactly 2 %
        (201, 2, "violation"),  # just under 1 % (0.995 %)
        (199, 4, "violation"),  # just over 2 % (2.01 %)
        (100, 1, "ok"),
    ],
)
def test_sup6_bounds(world, staff, full_time, status):
    staffed(world, staff=staff, full_time=full_time)
    found = of(world, "SUP-6", world.c1)
    assert [f.status for f in found] == [status]
    assert found[0].actual.startswith(f"{full_time}/{staff}")


def test_sup6_unit_without_staff_count_is_missing_not_zero(world):
    set_unit(world.c1, "市财政局")
    (found,) = of(world, "SUP-6", world.c1)
    assert found.status == "due" and "缺项" in found.actual


def test_sup6_counts_a_person_with_two_full_time_posts_once(world):
    set_unit(world.c1, "市财政局", 100, below=(world.a,))
    user = make_user("twice")
    for org in (world.c1, world.a):
        services.position_full_time_set(
            actor=SYSTEM, position=give_role(user, org, "staff"), full_time=True
        )
    (row,) = staffing_rows(world.user("admin"))
    assert (row.full_time, row.staff_count, row.status) == (1, 100, "ok")


def test_sup6_ended_position_is_not_counted(world):
    set_unit(world.c1, "市财政局", 100)
    pos = give_role(make_user("gone"), world.c1, "staff")
    services.position_full_time_set(actor=SYSTEM, position=pos, full_time=True)
    type(pos).objects.filter(pk=pos.pk).update(ended_on=TODAY - dt.timedelta(days=1))
    (found,) = of(world, "SUP-6", world.c1)
    assert found.status == "violation" and found.actual.startswith("0/100")


def test_track_progress_per_person_and_org(world):
    course = make_course(world.w)
    other = make_course(world.w, title="与专题无关的课程")
    track = make_track(world.w, courses=[course], hours={"secretary": "8", "staff": "4"})
    sec_a, sec_b = world.members_a[0], world.members_b[0]
    credit(sec_a, course, 8)
    credit(sec_b, course, 3)
    credit(sec_b, other, 10)  # not in the track
    people = {p.name: p for p in track_progress(track)}
    assert people[sec_a.name].done and people[sec_a.name].required == 8
    assert not people[sec_b.name].done and people[sec_b.name].short == 5
    orgs = {o.name: (o.done, o.total) for o in progress_by_org(list(people.values()))}
    assert orgs == {world.a.name: (1, 1), world.b.name: (0, 1)}


def test_tal1_finds_the_branch_with_staff_short_of_hours(world):
    course = make_course(world.w)
    make_track(world.w, courses=[course])
    credit(world.members_a[0], course, 8)
    late = dt.date(TODAY.year + 1, 1, 2)
    assert [f.status for f in of(world, "TAL-1", world.a, today=late)] == ["ok"]
    (found,) = of(world, "TAL-1", world.b, today=late)
    assert found.status == "violation"
    assert world.members_b[0].name in found.message and "差 8" in found.message


def test_track_progress_reads_a_constant_number_of_queries(world, django_assert_max_num_queries):
    course = make_course(world.w)
    track = make_track(world.w, courses=[course])
    with django_assert_max_num_queries(4):
        track_progress(track)
    for m in world.members_a[1:] + world.members_b[1:]:
        position_assign(actor=SYSTEM, org=m.org, role="staff", member=m)
    with django_assert_max_num_queries(4):
        assert len(track_progress(track)) == 6


@pytest.mark.parametrize("who", ["admin", "wc_admin", "c1_admin", "sec_a"])
def test_shortfall_counted_in_the_database_is_the_progress_list(world, who):
    """The workbench's count and first names are those of ``progress_for``'s people not
    done, whatever the reach; a person with two roles owes the larger hours."""
    from dangjian.talent.selectors import progress_for, shortfall_for

    course = make_course(world.w)
    other = make_course(world.w, title="另一门课程")
    track = make_track(world.w, courses=[course, other], hours={"secretary": "8", "staff": "4"})
    for m in world.members_a[1:] + world.members_b[1:]:
        position_assign(actor=SYSTEM, org=m.org, role="staff", member=m)
    position_assign(actor=SYSTEM, org=world.a, role="staff", member=world.members_a[0])
    credit(world.members_a[0], course, 5)  # secretary and staff: 8 owed, 5 earned
    credit(world.members_a[1], course, 2)
    credit(world.members_a[1], other, 2)  # 4 of 4: done
    credit(world.members_b[1], course, 3.5)
    user = world.user(who)
    short = [p for p in progress_for(user, track) if not p.done]
    n, first = shortfall_for(user, track, names=3)
    assert (n, first) == (len(short), [p.name for p in short[:3]])
    assert n and world.members_a[1].name not in first
