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
