"""法规问答 (standards/ask) for the scope matrix (tests/test_scope_matrix.py): its pages and
its API have no path parameters; the library is open to every signed-in user, and the
standing shown is read through the gate (``org`` outside reach: 404, tested in
tests/ask/test_api.py)."""

from __future__ import annotations


def scope_objects(world) -> dict[str, tuple[int, int]]:
    return {}
