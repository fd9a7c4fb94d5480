"""Input the database cannot take, or that is of the wrong shape, is a 4xx with a Chinese
message naming the field, never a 500; and an unexpected error on the API is JSON with the
request id that the log record carries."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

BIG = "99999999999999999999"  # 20 digits: beyond a 64-bit integer


def _patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("body", [False, True, [], [1], "x", 1, None])
def test_wrong_json_type_as_patch_body_is_refused(api_for, world, body):
    resp = _patch(api_for(world.user("admin")), f"/api/v1/orgs/{world.a.pk}", body)
    assert resp.status_code in {400, 422}, resp.content
    assert resp.json()["detail"]
    world.a.refresh_from_db()
    assert world.a.name == "预算处党支部"


def test_page_beyond_int64_is_422_not_500(api_for, world):
    resp = api_for(world.user("admin")).get(f"/api/v1/members?page={BIG}")
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "page"


def test_year_out_of_range_is_422_naming_the_field(api_for, world):
    resp = api_for(world.user("admin")).get("/api/v1/meetings?year=99999")
    assert resp.status_code == 422
    assert resp.json()["errors"][0] == {"field": "year", "message": "数值过大"}


def test_member_id_of_20_digits_is_refused_not_500(api_for, world):
    resp = api_for(world.user("admin")).get(f"/api/v1/members/{BIG}")
    assert resp.status_code in {404, 422}
    assert resp.json()["detail"]


def test_reference_id_beyond_int64_in_a_body_is_422(api_for, world):
    resp = _patch(
        api_for(world.user("admin")), f"/api/v1/members/{world.members_a[1].pk}", {"org": int(BIG)}
    )
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "org"


@pytest.mark.parametrize(
    ("field", "value"),
    [("sort", None), ("short_name", None), ("name", None), ("sort", -1), ("sort", 2**40)],
)
def test_org_patch_null_or_out_of_range_is_422_naming_the_field(api_for, world, field, value):
    resp = _patch(api_for(world.user("admin")), f"/api/v1/orgs/{world.a.pk}", {field: value})
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == [field]
    world.a.refresh_from_db()
    assert world.a.sort == 0


def test_member_patch_null_phone_is_422(api_for, world):
    member = world.members_a[1]
    resp = _patch(api_for(world.user("sec_a")), f"/api/v1/members/{member.pk}", {"phone": None})
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "phone"


def test_meeting_patch_null_place_is_422(api_for, world):
    from tests.meetings.scope import scope_objects

    meeting_id = scope_objects(world)["meeting_id"][0]
    resp = _patch(api_for(world.user("sec_a")), f"/api/v1/meetings/{meeting_id}", {"place": None})
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "place"


def test_schedule_start_with_a_zone_is_422_not_500(api_for, world):
    from tests.meetings.scope import scope_objects

    slot_id = scope_objects(world)["slot_id"][0]
    resp = api_for(world.user("sec_a")).post(
        f"/api/v1/meetings/plan/slots/{slot_id}/schedule",
        data=json.dumps({"start": "09:30:00+08:00", "place": "会议室"}),
        content_type="application/json",
    )
    assert resp.status_code == 422, resp.content
    error = resp.json()["errors"][0]
    assert error["field"] == "start"
    assert "时区" in error["message"]


def test_unknown_api_path_answers_json_404(api_for, world):
    resp = api_for(world.user("admin")).get("/api/v1/no-such-thing")
    assert resp.status_code == 404
    assert resp.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        f"/members/?page={BIG}",
        f"/members/?org={BIG}",
        "/meetings/?year=99999",
        f"/meetings/?year={BIG}",
        f"/dues/?year={BIG}",
        f"/orgs/?parent={BIG}",
        f"/members/{BIG}/",
    ],
)
def test_pages_with_out_of_range_numbers_answer_no_500(client_for, world, url):
    resp = client_for(world.user("admin")).get(url)
    assert resp.status_code < 500


def test_openapi_component_names_are_unique_and_per_app(client, world):
    doc = client.get("/api/v1/openapi.json").json()
    names = set(doc["components"]["schemas"])
    assert {"MemberStatus", "MeetingStatus", "OrgKind", "MeetingKind"} <= names
    assert "Status" not in names and "Kind" not in names
    member_status = doc["components"]["schemas"]["MemberStatus"]["enum"]
    assert "full" in member_status or "probationary" in member_status


def test_openapi_documents_error_statuses_with_the_error_schema(client, world):
    doc = client.get("/api/v1/openapi.json").json()
    patch = doc["paths"]["/api/v1/orgs/{org_id}"]["patch"]["responses"]
    for status in ("400", "401", "404", "409", "422", "500"):
        schema = patch[status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorOut"}, status
    token = doc["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert {"400", "422", "429"} <= set(token)


def test_unknown_field_in_a_patch_is_422_naming_it(api_for, world):
    resp = _patch(api_for(world.user("admin")), f"/api/v1/orgs/{world.a.pk}", {"nmae": "新名"})
    assert resp.status_code == 422
    assert resp.json()["errors"] == [{"field": "nmae", "message": "不支持的字段"}]


@pytest.mark.parametrize("kind", ["cases", "transfers", "elections"])
def test_development_page_beyond_int64_is_422_not_500(api_for, world, kind):
    resp = api_for(world.user("admin")).get(f"/api/v1/development/{kind}?page={BIG}")
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "page"


@pytest.mark.parametrize(
    "how",
    ["query", "json", "path"],
)
def test_nul_character_is_422_not_a_database_error(api_for, world, how):
    # PostgreSQL refuses text holding NUL; the request is refused before any query.
    client = api_for(world.user("sec_a"))
    if how == "query":
        resp = client.get("/api/v1/members?q=%E5%BC%A0%00")
    elif how == "json":
        resp = client.patch(
            f"/api/v1/orgs/{world.a.pk}", {"name": "支部\u0000"}, content_type="application/json"
        )
    else:
        resp = client.get("/api/v1/development/procedures/dev%00elopment")
    assert resp.status_code == 422
    assert "空字符" in resp.json()["detail"]
    world.a.refresh_from_db()
    assert "\x00" not in world.a.name


def test_nul_character_in_a_page_query_is_400(client, world):
    client.force_login(world.user("sec_a"))
    resp = client.get("/members/?q=a%00b")
    assert resp.status_code == 400
