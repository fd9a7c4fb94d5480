import datetime as dt

import pytest

from dangjian.core.errors import Conflict, DomainError
from dangjian.orgs.models import Org
from dangjian.orgs.services import board_create, org_dissolve, org_move, org_update
from tests.factories import SYSTEM, make_org

pytestmark = pytest.mark.django_db


def test_paths_are_materialized(world):
    assert world.ga.path.startswith(world.a.path) and world.a.path.startswith(world.c1.path)
    assert world.ga.depth == 3
    assert list(Org.objects.in_subtree(world.c1).values_list("pk", flat=True)) == [
        world.c1.pk,
        world.a.pk,
        world.ga.pk,
        world.b.pk,
    ]


def test_move_takes_the_whole_subtree(world):
    org_move(actor=SYSTEM, org=world.a, new_parent=world.c2)
    world.ga.refresh_from_db()
    assert world.ga.path.startswith(world.c2.path + f"{world.a.pk:07d}/")
    assert world.ga.depth == 3
    assert set(Org.objects.in_subtree(world.c2).values_list("name", flat=True)) == {
        "市教育局机关党委",
        "基础教育处党支部",
        "预算处党支部",
        "第一党小组",
    }


def test_move_under_own_descendant_is_refused(world):
    with pytest.raises(DomainError, match="下级组织之下"):
        org_move(actor=SYSTEM, org=world.c1, new_parent=world.a)


def test_branch_cannot_move_under_a_group(world):
    with pytest.raises(DomainError, match="不能设在党小组之下"):
        org_move(actor=SYSTEM, org=world.b, new_parent=world.ga)


def test_rename_is_audited(world):
    from dangjian.core.models import AuditEntry

    org_update(actor=SYSTEM, org=world.b, name="国库支付处党支部")
    entry = AuditEntry.objects.filter(object_id=str(world.b.pk), verb="修改组织").get()
    assert entry.changes == {"name": ["国库处党支部", "国库支付处党支部"]}


def test_dissolve_refused_while_members_remain(world):
    with pytest.raises(Conflict, match="仍有 2 名党员"):
        org_dissolve(actor=SYSTEM, org=world.b)


def test_dissolve_empty_org_dissolves_its_subtree(world):
    empty = make_org("空支部", "branch", world.c2)
    group = make_org("空小组", "group", empty)
    org_dissolve(actor=SYSTEM, org=empty, on=dt.date(2026, 1, 31))
    group.refresh_from_db()
    assert group.dissolved_on == dt.date(2026, 1, 31)
    assert not Org.objects.active().filter(pk__in=[empty.pk, group.pk]).exists()


def test_board_term_must_end_after_it_starts(world):
    with pytest.raises(DomainError, match="任期届满日期须晚于"):
        board_create(
            actor=SYSTEM, org=world.a, term_start=dt.date(2026, 1, 1), term_end=dt.date(2025, 1, 1)
        )


def test_new_board_replaces_the_current_one(world):
    first = board_create(
        actor=SYSTEM, org=world.a, term_start=dt.date(2020, 1, 1), term_end=dt.date(2023, 1, 1)
    )
    board_create(
        actor=SYSTEM, org=world.a, term_start=dt.date(2023, 1, 1), term_end=dt.date(2026, 1, 1)
    )
    first.refresh_from_db()
    assert not first.is_current
