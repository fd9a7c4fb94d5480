"""The gate of a reach that holds every tree (the work committee's staff of the only tree):
it asks only that a row has an org — no join to the orgs — and reads what the path test read;
once another tree exists, the same reach is a path test again and keeps the other tree out."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.accounts.models import User
from dangjian.core.models import AuditEntry
from dangjian.core.scope import reach_of
from dangjian.members.models import Member
from dangjian.orgs.models import Org
from tests.factories import make_member, make_org

pytestmark = pytest.mark.django_db


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # the reach is kept on the user object


def test_a_reach_of_the_only_tree_reads_every_row_without_joining_the_orgs(world):
    staff = world.user("wc_admin")
    assert reach_of(staff).every_tree
    assert not reach_of(world.user("c1_admin")).every_tree
    members = Member.objects.visible_to(staff)
    with CaptureQueriesContext(connection) as seen:
        got = set(members.values_list("pk", flat=True))
    assert got == set(Member.objects.values_list("pk", flat=True))
    assert "orgs_org" not in seen.captured_queries[-1]["sql"]
    assert set(Org.objects.manageable_by(staff)) == set(Org.objects.all())
    # A path kept as text (the audit log's org_path) is still tested by its path.
    assert "LIKE" in str(AuditEntry.objects.visible_to(staff).query)


def test_a_second_tree_stays_out_of_the_first_tree_s_reach(world):
    other_root = make_org("另一机关工委", "work_committee")
    branch = make_org("另一支部", "branch", parent=other_root)
    stranger = make_member(branch, "外人")
    staff = fresh(world.user("wc_admin"))
    assert not reach_of(staff).every_tree
    assert stranger not in Member.objects.visible_to(staff)
    assert Member.objects.visible_to(staff).count() == Member.objects.count() - 1
