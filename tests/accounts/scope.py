"""Objects for the scope matrix (tests/test_scope_matrix.py): an API token of sec_a (branch A)
and one of sec_b (branch B). A token is its owner's alone: anyone else gets 404."""

from __future__ import annotations

from dangjian.accounts.services import token_issue


def scope_objects(world) -> dict[str, tuple[int, int]]:
    inside, _ = token_issue(user=world.user("sec_a"), client="scope matrix")
    outside, _ = token_issue(user=world.user("sec_b"), client="scope matrix")
    return {"token_id": (inside.pk, outside.pk)}
