"""Payloads for the scope matrix (tests/test_scope_matrix.py): a valid body for each API
write of the members app that takes a path id (its objects are the matrix's backbone)."""

from __future__ import annotations


def write_payloads(world) -> dict:
    return {
        ("PATCH", "/api/v1/members/{member_id}"): {"phone": "13900000000", "reason": "更正"},
    }
