"""WRK-1 (overdue tasks), WRK-2 (a joint initiative per branch a year) and WRK-3 (every full
member pledges) through the standards engine; reminders and escalation (tasks.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.core.models import Notification
from dangjian.standards import periods as P
from dangjian.standards.engine import evaluate
from dangjian.work import services
from dangjian.work.models import Task
from dangjian.work.tasks import task_reminders
from tests.factories import SYSTEM
from tests.work.conftest import make_initiative, make_task

pytestmark = pytest.mark.django_db
YEAR = P.containing("year", dt.date(2026, 6, 1))


def of(world, code, today, org=None, period=YEAR):
    org = org or world.a
    return [f for f in evaluate(world.w, period, today=today, codes=[code]) if f.org_id == org.pk]


def test_overdue_task_is_a_finding_of_the_assignee_org(world):
    i = make_initiative(world.c1)
    make_task(i, org=world.a, due=dt.date(2026, 3, 1), title="迟交的方案")
    make_task(i, org=world.b, due=dt.date(2026, 12, 1))
    found = of(world, "WRK-1", dt.date(2026, 6, 1))
    assert [(f.status, f.actual) for f in found] == [("overdue", "1 项逾期")]
    assert "迟交的方案" in found[0].message
    assert of(world, "WRK-1", dt.date(2026, 6, 1), org=world.b) == []


def test_branch_without_initiative_is_due_from_july_and_a_violation_after_the_year(world):
    assert of(world, "WRK-2", dt.date(2026, 3, 1))[0].status == "pending"
    assert of(world, "WRK-2", dt.date(2026, 8, 1))[0].status == "due"
    assert of(world, "WRK-2", dt.date(2027, 1, 2))[0].status == "violation"


def test_taking_part_through_a_task_counts_as_joint_initiative(world):
    make_task(make_initiative(world.c1), org=world.a)
    assert of(world, "WRK-2", dt.date(2026, 8, 1))[0].status == "ok"
    assert of(world, "WRK-2", dt.date(2026, 8, 1), org=world.b)[0].status == "due"


def test_leading_an_initiative_counts(world):
    make_initiative(world.b)
    assert of(world, "WRK-2", dt.date(2026, 8, 1), org=world.b)[0].status == "ok"


def test_pledges_due_until_march_then_each_missing_member_is_named(world):
    for m in world.members_a[:3]:
        services.pledge_make(actor=SYSTEM, member=m, year=2026, text="承诺")
    found = of(world, "WRK-3", dt.date(2026, 2, 1))
    assert [(f.status, f.member_id) for f in found] == [("due", None)]
    assert "3/4 名正式党员已承诺" in found[0].actual
    found = of(world, "WRK-3", dt.date(2026, 4, 1))
    assert [(f.member_name, f.status) for f in found] == [("赵六", "overdue")]
    found = of(world, "WRK-3", dt.date(2027, 1, 2))
    assert [f.status for f in found] == ["violation"]


def test_all_pledged_is_ok(world):
    for m in world.members_a:
        services.pledge_make(actor=SYSTEM, member=m, year=2026, text="承诺")
    assert [f.status for f in of(world, "WRK-3", dt.date(2026, 4, 1))] == ["ok"]


def test_reminder_before_due_and_escalation_to_the_assigner_once(world):
    i = make_initiative(world.c1)
    soon = make_task(i, org=world.a, due=dt.date(2026, 6, 17), title="快到期")
    late = make_task(i, member=world.members_a[1], due=dt.date(2026, 6, 1), title="已逾期")
    Notification.objects.all().delete()
    sent = task_reminders(today=dt.date(2026, 6, 15))
    assert sent == {"reminded": 1, "escalated": 2}  # sec_a; member_a and c1_admin
    got = {(n.user.username, n.title) for n in Notification.objects.select_related("user")}
    assert ("sec_a", "任务即将到期：快到期") in got
    assert ("member_a", "任务逾期：已逾期（李四）") in got
    assert ("c1_admin", "任务逾期：已逾期（李四）") in got
    late.refresh_from_db()
    assert late.escalated_on == dt.date(2026, 6, 15)
    assert task_reminders(today=dt.date(2026, 6, 16)) == {"reminded": 0, "escalated": 0}
    assert soon.pk in set(Task.objects.values_list("pk", flat=True))


def test_overdue_check_queries_do_not_grow_with_tasks(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    i = make_initiative(world.w)
    make_task(i, org=world.a, due=dt.date(2026, 3, 1))
    evaluate(world.w, YEAR, today=dt.date(2026, 6, 1), codes=["WRK-1", "WRK-2", "WRK-3"])
    with CaptureQueriesContext(connection) as few:
        evaluate(world.w, YEAR, today=dt.date(2026, 6, 1), codes=["WRK-1", "WRK-2", "WRK-3"])
    for org in (world.b, world.d, world.c2, world.c1):
        make_task(i, org=org, due=dt.date(2026, 3, 1))
    services.pledge_make(actor=SYSTEM, member=world.members_b[0], year=2026, text="x")
    with CaptureQueriesContext(connection) as many:
        found = evaluate(
            world.w, YEAR, today=dt.date(2026, 6, 1), codes=["WRK-1", "WRK-2", "WRK-3"]
        )
    assert len([f for f in found if f.rule_code == "WRK-1"]) == 5
    assert len(many) == len(few)


def test_a_task_to_the_leading_branch_itself_does_not_count_twice(world):
    i = make_initiative(world.a)
    make_task(i, org=world.a)
    f = of(world, "WRK-2", dt.date(2026, 8, 1))[0]
    assert f.actual == "1 个"
