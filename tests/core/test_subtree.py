"""'Under this org' said one way: in_subtree(org[, field]) and subtree_q(org, field)."""

import pytest

from dangjian.core.scope import subtree_q
from dangjian.members.models import Member
from dangjian.orgs.models import Org

pytestmark = pytest.mark.django_db


def test_in_subtree_follows_the_models_scope_path_and_takes_an_org_or_its_path(world):
    names = {m.name for m in Member.objects.in_subtree(world.c1)}
    assert names == {"张三", "李四", "王五", "赵六", "钱七", "孙八"}
    assert set(Member.objects.in_subtree(world.b.path)) == set(world.members_b)


def test_in_subtree_through_another_relation_to_an_org(world):
    # Orgs whose parent lies under 市财政局机关党委: its branches and their group.
    below = Org.objects.in_subtree(world.c1, field="parent")
    assert set(below) == {world.a, world.b, world.ga}


def test_subtree_q_combines_subtrees(world):
    either = Member.objects.filter(subtree_q(world.b) | subtree_q(world.c2))
    assert {m.name for m in either} == {"钱七", "孙八", "周九", "吴十"}
    assert set(Org.objects.filter(subtree_q(world.a, field=""))) == {world.a, world.ga}
