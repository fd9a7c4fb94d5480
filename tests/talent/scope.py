"""Objects for the scope matrix (tests/test_scope_matrix.py): per path parameter of the
talent pages and API, one object of branch A and one of branch B, made through the
services."""

from __future__ import annotations

import datetime as dt

from dangjian.talent import services
from tests.factories import SYSTEM
from tests.talent.conftest import make_talent, make_track


def scope_objects(world) -> dict[str, tuple[int, int]]:
    made = {}
    for key, org, member in (
        ("a", world.a, world.members_a[2]),
        ("b", world.b, world.members_b[1]),
    ):
        talent = make_talent(member, admit=True)
        row = services.assignment_create(
            actor=SYSTEM,
            talent=talent,
            org=org,
            kind="publicity",
            title="宣传稿件",
            started_on=dt.date(2026, 3, 1),
        )
        track = make_track(org, title=f"信息安全专题{key}")
        made[key] = (talent.pk, row.pk, track.pk)
    return {
        "talent_id": (made["a"][0], made["b"][0]),
        "talent_assignment_id": (made["a"][1], made["b"][1]),
        "track_id": (made["a"][2], made["b"][2]),
    }


def write_payloads(world) -> dict:
    return {
        ("POST", "/api/v1/talent/nominations/{talent_id}/review"): {
            "approve": False,
            "note": "不同意",
        },
        ("POST", "/api/v1/talent/nominations/{talent_id}/consent"): {},
        ("POST", "/api/v1/talent/{talent_id}/confirm"): {"availability": "limited"},
        ("POST", "/api/v1/talent/{talent_id}/retire"): {"reason": "调离"},
        ("POST", "/api/v1/talent/{talent_id}/certificates"): {"name": "CISP"},
        ("POST", "/api/v1/talent/{talent_id}/assignments"): {
            "kind": "opinion",
            "title": "舆情值班",
            "started_on": "2026-04-01",
        },
        ("POST", "/api/v1/talent/assignments/{talent_assignment_id}/close"): {"outcome": "完成"},
        ("POST", "/api/v1/talent/tracks/{track_id}/items"): {"course": 999999},
    }
