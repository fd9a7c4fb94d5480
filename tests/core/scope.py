"""Objects for the scope matrix (tests/test_scope_matrix.py): the help page's guide is not
org-owned data, every logged-in user may read every guide (the same one on both sides)."""

from __future__ import annotations


def scope_objects(world) -> dict:
    return {"guide": "secretary"}
