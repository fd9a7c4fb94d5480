"""The gate on every development page and endpoint, for this app's own objects."""

import pytest
from django.urls import reverse

from dangjian.development.models import Case
from tests.development.scope import scope_objects

PAGES = [
    ("development:case_detail", "case_id"),
    ("development:transfer_detail", "transfer_id"),
    ("development:election_detail", "election_id"),
    ("development:material_download", "material_id"),
    ("development:transfer_letter", "transfer_id"),
]
API = [
    "/api/v1/development/cases/{}",
    "/api/v1/development/transfers/{}",
    "/api/v1/development/elections/{}",
    "/api/v1/development/materials/{}",
]
KEYS = ["case_id", "transfer_id", "election_id", "material_id"]


@pytest.fixture
def objs(world):
    return scope_objects(world)


@pytest.mark.parametrize("name,key", PAGES)
def test_secretary_of_other_branch_gets_404_on_pages(world, objs, client_for, name, key):
    a_id, b_id = objs[key]
    sec_a = client_for(world.user("sec_a"))
    assert sec_a.get(reverse(name, args=[b_id])).status_code == 404
    assert sec_a.get(reverse(name, args=[a_id])).status_code in (200, 503)
    assert client_for(world.user("c1_admin")).get(reverse(name, args=[b_id])).status_code in (
        200,
        503,
    )
    assert client_for(world.user("member_a")).get(reverse(name, args=[a_id])).status_code == 404


@pytest.mark.parametrize("url,key", list(zip(API, KEYS, strict=True)))
def test_api_gate(world, objs, api_for, url, key):
    a_id, b_id = objs[key]
    assert api_for(world.user("sec_a")).get(url.format(b_id)).status_code == 404
    assert api_for(world.user("sec_a")).get(url.format(a_id)).status_code == 200
    assert api_for(world.user("member_a")).get(url.format(b_id)).status_code == 404
    assert api_for(world.user("admin")).get(url.format(b_id)).status_code == 200
    assert api_for(None).get(url.format(a_id)).status_code == 401


def test_posting_a_step_on_other_branch_case_is_404_and_changes_nothing(world, objs, api_for):
    b_case = objs["case_id"][1]
    before = Case.objects.get(pk=b_case).current_step
    resp = api_for(world.user("sec_a")).post(
        f"/api/v1/development/cases/{b_case}/steps/{before}",
        {"done_on": "2025-02-01", "data": {}},
        content_type="application/json",
    )
    assert resp.status_code == 404
    assert Case.objects.get(pk=b_case).current_step == before


def test_anonymous_is_sent_to_login(world, objs, client_for):
    resp = client_for(None).get(reverse("development:cases"))
    assert resp.status_code == 302 and "login" in resp["Location"]


def test_receiving_secretary_sees_incoming_transfer(world, objs, api_for):
    from tests.factories import give_role, make_user

    sec_d = make_user("sec_d", member=world.members_d[0])
    give_role(sec_d, world.d, "secretary")
    a_transfer = objs["transfer_id"][0]
    listing = api_for(sec_d).get("/api/v1/development/transfers").json()
    assert [r["id"] for r in listing["results"]] == [a_transfer]
    assert api_for(sec_d).get(f"/api/v1/development/transfers/{a_transfer}").status_code == 200
    # ... but not the other branch's development case
    assert api_for(sec_d).get(f"/api/v1/development/cases/{objs['case_id'][0]}").status_code == 404
