"""Role models: a member of the org, with their consent recorded; the same workflow."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.core.errors import DomainError
from dangjian.publicity.models import RoleModel, Scope, Status
from tests.publicity.conftest import make_role_model, publish, staff_trio

pytestmark = pytest.mark.django_db


def test_role_model_needs_consent(world):
    with pytest.raises(DomainError) as exc:
        make_role_model(world.a, world.members_a[1], consent_on=None)
    assert exc.value.field == "consent_on"
    with pytest.raises(DomainError) as exc:
        make_role_model(world.a, world.members_a[1], consent_note="")
    assert exc.value.field == "consent_note"


def test_consent_in_the_future_is_refused(world):
    with pytest.raises(DomainError):
        make_role_model(world.a, world.members_a[1], consent_on=dt.date.today() + dt.timedelta(3))


def test_role_model_is_a_member_of_the_org(world):
    with pytest.raises(DomainError) as exc:
        make_role_model(world.a, world.members_b[0])
    assert exc.value.field == "member"


def test_role_model_goes_through_review_and_approval(world):
    writer, reviewer, approver = staff_trio(world)
    item = make_role_model(world.c1, world.members_a[1], author=writer, scope=Scope.PUBLIC)
    item = publish(item, reviewer=reviewer, approver=approver)
    assert item.status == Status.PUBLISHED
    assert RoleModel.objects.public().filter(pk=item.pk).exists()
