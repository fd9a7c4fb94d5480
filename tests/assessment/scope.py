"""Payloads for the scope matrix (tests/test_scope_matrix.py): a valid body for each API
write of the rectification list (its objects come from tests/meetings/scope.py)."""

from __future__ import annotations


def write_payloads(world) -> dict:
    return {
        ("POST", "/api/v1/rectifications/{rectification_id}/submit"): {
            "evidence": "已制定学习计划并执行"
        },
        ("POST", "/api/v1/rectifications/{rectification_id}/verify"): {
            "accepted": True,
            "note": "验收通过",
        },
    }
