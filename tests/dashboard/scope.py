"""Objects for the scope matrix (tests/test_scope_matrix.py): the dashboard's one path
parameter names a panel, not an org-owned object; the org comes as ``?org=`` (the matrix
checks that an org outside reach answers 404)."""

from __future__ import annotations


def scope_objects(world) -> dict:
    return {"panel_key": ("members", "members")}
