"""Objects for the scope matrix (tests/test_scope_matrix.py): a channel of branch A and one of
branch B, made through the services."""

from __future__ import annotations

from tests.channels.conftest import make_channel


def scope_objects(world) -> dict:
    a = make_channel(world.a, kind="webhook", url="http://127.0.0.1:9/a", name="甲")
    b = make_channel(world.b, kind="webhook", url="http://127.0.0.1:9/b", name="乙")
    return {"channel_id": (a.pk, b.pk)}


def write_payloads(world) -> dict:
    return {
        ("PATCH", "/api/v1/channels/{channel_id}"): {"name": "改名"},
    }
