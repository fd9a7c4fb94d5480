"""The bulk path of the demo (city and province scales): rows written with COPY on PostgreSQL
and executemany on SQLite hold what the services would have written, and the services keep
working on top of them."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from dangjian.core.actors import SYSTEM
from dangjian.core.bulk import (
    bulk_insert,
    db_values,
    insert_rows,
    next_id,
    reset_sequences,
    update_column,
    upsert_rows,
)
from dangjian.core.demo import SIZES, DemoContext
from dangjian.core.management.commands.demo import run_demo_steps
from dangjian.dues.models import DuesPayment, DuesProfile
from dangjian.meetings.models import Attendance, Meeting
from dangjian.members.models import Member, MemberEvent
from dangjian.orgs.models import Board, Org, Position
from dangjian.orgs.services import org_create, segment
from tests.factories import make_member, make_org


def test_upsert_rows_inserts_new_rows_and_updates_existing_ones(db):
    from dangjian.standards.models import KeptFinding

    org = make_org("市直机关工委", "work_committee")
    columns = ("year", "org_id", "member_id", "rule_code", "rule_version", "rule_title",
               "period", "status", "expected", "actual", "due_on", "evaluated_at",
               "citation", "severity", "member_name", "message", "link", "org_name")  # fmt: skip
    unique = ("year", "org_id", "rule_code", "period", "member_id")
    convert = db_values(KeptFinding, columns)
    now = timezone.now()

    def row(code, status, actual):
        return convert((2026, org.pk, 0, code, 1, "规则", "2026", status, {"n": 4}, actual,
                        dt.date(2026, 12, 31), now, "", "", "", "", "", ""))  # fmt: skip

    assert upsert_rows(KeptFinding, columns, unique, [row("MTG-1", "due", [1, "二"])]) == 1
    first = KeptFinding.objects.get()
    upsert_rows(KeptFinding, columns, unique, [row("MTG-1", "ok", None), row("MTG-3", "ok", 2)])
    assert KeptFinding.objects.count() == 2
    again = KeptFinding.objects.get(rule_code="MTG-1")
    assert again.pk == first.pk and again.status == "ok" and again.actual is None
    assert first.actual == [1, "二"] and first.expected == {"n": 4}
    assert KeptFinding.objects.get(rule_code="MTG-3").due_on == dt.date(2026, 12, 31)
    # A key repeated in one call: the last row wins (PostgreSQL writes them in one statement).
    rows = [row("MTG-4", "due", 1), row("MTG-4", "violation", 2), row("MTG-1", "due", 3)]
    assert upsert_rows(KeptFinding, columns, unique, rows) == 3
    assert KeptFinding.objects.get(rule_code="MTG-4").status == "violation"
    assert KeptFinding.objects.get(rule_code="MTG-1").actual == 3
    assert KeptFinding.objects.count() == 3


def test_bulk_insert_sets_ids_stamps_times_and_converts_values(db):
    org = make_org("预算处党支部", "branch", make_org("市直机关工委", "work_committee"))
    members = [make_member(org, n) for n in ["张三", "李四"]]
    profiles = [
        DuesProfile(
            member=m,
            category="employed",
            effective_month=dt.date(2026, 1, 1),
            base=Decimal("5200.50"),
            components=[{"name": "基本工资", "amount": "5200.50", "counted": True}],
        )
        for m in members
    ]
    assert bulk_insert(DuesProfile, iter(profiles)) == 2  # a generator is fine
    assert [p.pk for p in profiles] == sorted(p.pk for p in profiles)
    stored = DuesProfile.objects.get(pk=profiles[1].pk)
    assert stored.member_id == members[1].pk
    assert stored.base == Decimal("5200.50")
    assert stored.components[0]["name"] == "基本工资"
    assert stored.created_at is not None and stored.updated_at is not None
    # The sequence moved past the written ids: the next ordinary save gets a fresh one.
    later = DuesProfile.objects.create(
        member=make_member(org, "王五"), category="employed",
        effective_month=dt.date(2026, 1, 1), base=Decimal("1"),
    )  # fmt: skip
    assert later.pk > profiles[1].pk


def test_insert_rows_writes_database_ready_tuples(db):
    org = make_org("预算处党支部", "branch", make_org("市直机关工委", "work_committee"))
    member = make_member(org, "张三")
    first = next_id(MemberEvent)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    day = connection.ops.adapt_datefield_value(dt.date(2026, 1, 1))
    rows = (
        (first + i, member.pk, "created", day, "", "full", org.pk, "建档", now) for i in range(3)
    )
    columns = (
        "id", "member_id", "kind", "on", "from_status", "to_status", "to_org_id", "reason",
        "created_at",
    )  # fmt: skip
    assert insert_rows(MemberEvent, columns, rows) == 3
    reset_sequences(MemberEvent)
    assert MemberEvent.objects.filter(member=member, on=dt.date(2026, 1, 1)).count() == 3
    event = MemberEvent.objects.create(member=member, kind="created", on=dt.date(2026, 2, 1))
    assert event.pk > first + 2


@pytest.fixture
def bulk_demo(db):
    """The reduced demo built the way the city and province are (``ctx.bulk``)."""
    ctx = DemoContext(
        today=dt.date(2026, 6, 15),
        random=random.Random(2026),
        scale="demo",
        size=SIZES["small"],
        bulk=True,
        small=True,
    )
    run_demo_steps(ctx)
    return ctx


def test_bulk_demo_writes_the_tree_boards_members_and_records(bulk_demo):
    ctx = bulk_demo
    groups = list(Org.objects.filter(kind="group").select_related("parent"))
    assert groups and len(groups) == len(ctx.groups)
    for group in groups:
        assert group.path == group.parent.path + segment(group)
        assert group.depth == group.parent.depth + 1
    assert Member.objects.count() == len(ctx.members()) == SIZES["small"].members
    assert MemberEvent.objects.filter(kind="created").count() == Member.objects.count()
    # (the demo accounts' own positions, assigned before the boards, have none)
    positions = Position.objects.filter(board__isnull=False).select_related(
        "board", "member__org", "org"
    )
    assert positions.count() > Board.objects.count()
    for position in positions:
        assert position.board.org_id == position.org_id
        assert position.member.org.path.startswith(position.org.path)
    assert Board.objects.filter(is_current=True).count() == Board.objects.count()
    featured = Position.objects.get(org=ctx.featured, role="secretary")
    assert featured.user == ctx.accounts["shuji"]
    held = Meeting.objects.filter(status="held")
    assert held.exists() and Attendance.objects.filter(meeting__in=held).exists()
    assert DuesPayment.objects.exists()


def test_services_work_on_top_of_the_bulk_demo(bulk_demo):
    branch = bulk_demo.branches[0]
    group = org_create(actor=SYSTEM, name="新党小组", kind="group", parent=branch)
    assert group.pk > max(g.pk for g in bulk_demo.groups)
    assert group.path.startswith(branch.path)


def test_update_column_sets_one_column_by_id(db):
    org = make_org("预算处党支部", "branch", make_org("市直机关工委", "work_committee"))
    members = [make_member(org, n) for n in ["张三", "李四", "王五"]]
    assert (
        update_column(Member, "phone", [(members[0].pk, "13800000001"), (members[2].pk, "")]) == 2
    )
    phones = dict(Member.objects.values_list("pk", "phone"))
    assert phones[members[0].pk] == "13800000001"
    assert phones[members[2].pk] == ""
    assert phones[members[1].pk] == members[1].phone
