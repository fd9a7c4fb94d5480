"""Who may hand out roles that may reveal full ID numbers, and who may reset whose
password: a branch secretary must not be able to become someone else."""

import pytest

from dangjian.accounts import services
from dangjian.core.errors import Forbidden, NotFound
from dangjian.orgs.models import Position
from dangjian.orgs.services import position_assign
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Hq7!vLm2pZ"


@pytest.mark.parametrize("role", ["staff", "secretary", "organizer"])
def test_branch_secretary_cannot_appoint_a_reveal_role(world, role):
    stranger = make_user("stranger")
    with pytest.raises(Forbidden, match="党委（机关工委）一级"):
        position_assign(actor=world.user("sec_a"), org=world.a, role=role, user=stranger)
    assert not Position.objects.filter(user=stranger).exists()


def test_branch_secretary_may_appoint_a_role_that_reveals_nothing(world):
    position = position_assign(
        actor=world.user("sec_a"), org=world.a, role="publicity", member=world.members_a[2]
    )
    assert position.role == "publicity"


def test_committee_manager_appoints_staff_in_a_branch_below(world):
    stranger = make_user("stranger")
    position = position_assign(
        actor=world.user("c1_admin"), org=world.b, role="staff", user=stranger
    )
    assert position.org == world.b


def test_reveal_roles_follow_the_setting(world, settings):
    settings.ID_REVEAL_ROLES = ["secretary"]
    stranger = make_user("stranger")
    assert position_assign(actor=world.user("sec_a"), org=world.a, role="staff", user=stranger)


def test_branch_secretary_cannot_appoint_staff_through_the_api(api_for, world):
    stranger = make_user("stranger")
    resp = api_for(world.user("sec_a")).post(
        f"/api/v1/orgs/{world.a.pk}/positions",
        {"user": stranger.pk, "role": "staff"},
        content_type="application/json",
    )
    assert resp.status_code == 403
    assert "党委（机关工委）一级" in resp.json()["detail"]
    assert not Position.objects.filter(user=stranger).exists()


def test_branch_secretary_cannot_appoint_staff_on_the_page(client_for, world):
    stranger = make_user("stranger")
    resp = client_for(world.user("sec_a")).post(
        f"/orgs/{world.a.pk}/positions/new/",
        {"role": "staff", "username": "stranger", "started_on": "2026-01-01"},
    )
    assert resp.status_code == 200 and "党委（机关工委）一级" in resp.content.decode()
    assert not Position.objects.filter(user=stranger).exists()


def test_new_login_starts_with_a_one_time_password(world):
    user = services.user_create(
        actor=world.user("sec_a"),
        username="newbie",
        password="Init@2026x",
        member=world.members_a[2],
    )
    assert user.must_change_password is True


def test_demo_style_login_may_skip_the_one_time_password(world):
    user = services.user_create(
        actor=world.user("admin"),
        username="demo",
        password="Init@2026x",
        must_change_password=False,
    )
    assert user.must_change_password is False


def test_password_reset_outside_reach_is_404(world):
    with pytest.raises(NotFound):
        services.user_password_reset(
            actor=world.user("sec_a"), user=world.user("sec_b"), password=NEW_PASSWORD
        )


def test_nobody_but_the_platform_admin_resets_an_unlinked_account(world):
    stranger = make_user("stranger")
    with pytest.raises(NotFound):
        services.user_password_reset(
            actor=world.user("c1_admin"), user=stranger, password=NEW_PASSWORD
        )
    services.user_password_reset(actor=world.user("admin"), user=stranger, password=NEW_PASSWORD)
    stranger.refresh_from_db()
    assert stranger.check_password(NEW_PASSWORD) and stranger.must_change_password


def test_committee_manager_resets_a_branch_secretary(world):
    services.user_password_reset(
        actor=world.user("c1_admin"), user=world.user("sec_b"), password=NEW_PASSWORD
    )
    world.user("sec_b").refresh_from_db()
    assert world.user("sec_b").must_change_password
