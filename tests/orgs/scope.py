"""Payloads for the scope matrix (tests/test_scope_matrix.py): a valid body for each API
write of the orgs app that takes a path id (its objects are the matrix's backbone)."""

from __future__ import annotations

import datetime as dt


def write_payloads(world) -> dict:
    today = dt.date.today().isoformat()
    return {
        ("PATCH", "/api/v1/orgs/{org_id}"): {"name": "改名后的党支部"},
        ("POST", "/api/v1/orgs/{org_id}/dissolve"): {"on": today},
        ("POST", "/api/v1/orgs/{org_id}/positions"): {
            "role": "publicity",
            "member": world.members_b[0].pk,
            "started_on": today,
        },
    }
