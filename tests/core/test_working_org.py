"""The top bar's org switcher: a user holding positions in two orgs picks the one they work
in, and pages that open on "my org" follow it."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import give_role, make_user

pytestmark = pytest.mark.django_db

SWITCH = reverse("core:org_switch")


@pytest.fixture
def two_hats(world):
    """A party-affairs worker with a position in branch A and in branch D (of another
    committee)."""
    user = make_user("two_hats")
    give_role(user, world.a, "staff")
    give_role(user, world.d, "staff")
    world.users["two_hats"] = user
    return world


def _sheet_org(client):
    return client.get(reverse("dues:sheet")).context["org"]


def test_switcher_lists_both_orgs_in_the_top_bar(two_hats, client_for):
    page = client_for(two_hats.user("two_hats")).get(reverse("core:home")).content.decode()
    assert "切换工作组织" in page
    assert "预算处党支部" in page and "基础教育处党支部" in page


def test_switcher_is_absent_for_one_position(world, client_for):
    page = client_for(world.user("sec_b")).get(reverse("core:home")).content.decode()
    assert "切换工作组织" not in page


def test_dues_sheet_follows_the_switched_org(two_hats, client_for):
    client = client_for(two_hats.user("two_hats"))
    assert _sheet_org(client) == two_hats.a
    resp = client.post(SWITCH, {"org": two_hats.d.pk, "next": reverse("dues:sheet")})
    assert resp.status_code == 302 and resp["Location"] == reverse("dues:sheet")
    assert _sheet_org(client) == two_hats.d
    client.post(SWITCH, {"org": two_hats.a.pk})
    assert _sheet_org(client) == two_hats.a


def test_org_without_a_position_cannot_be_chosen(two_hats, client_for):
    client = client_for(two_hats.user("two_hats"))
    client.post(SWITCH, {"org": two_hats.d.pk})
    assert client.post(SWITCH, {"org": two_hats.b.pk}).status_code == 404
    assert _sheet_org(client) == two_hats.d


def test_switch_goes_back_only_to_this_site(two_hats, client_for):
    client = client_for(two_hats.user("two_hats"))
    resp = client.post(SWITCH, {"org": two_hats.d.pk, "next": "https://evil.example/"})
    assert resp["Location"] == reverse("core:home")


def test_switched_org_is_dropped_when_the_position_ends(two_hats, client_for):
    from dangjian.orgs.models import Position

    client = client_for(two_hats.user("two_hats"))
    client.post(SWITCH, {"org": two_hats.d.pk})
    last_year = dt.date.today() - dt.timedelta(days=365)
    Position.objects.filter(user=two_hats.user("two_hats"), org=two_hats.d).update(
        started_on=last_year, ended_on=last_year
    )
    assert _sheet_org(client) == two_hats.a
