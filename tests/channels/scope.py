"""Objects for the scope matrix (tests/test_scope_matrix.py): a channel and a WeChat Work
binding of branch A and of branch B, made through the services."""

from __future__ import annotations

from tests.channels.conftest import make_channel


def scope_objects(world) -> dict:
    a = make_channel(world.a, kind="webhook", url="http://127.0.0.1:9/a", name="甲")
    b = make_channel(world.b, kind="webhook", url="http://127.0.0.1:9/b", name="乙")
    # A WeChat Work binding of sec_a (branch A) and of sec_b (branch B).
    return {"channel_id": (a.pk, b.pk), "identity_id": _identities(world)}


def write_payloads(world) -> dict:
    return {
        ("PATCH", "/api/v1/channels/{channel_id}"): {"name": "改名"},
    }


def _identities(world) -> tuple[int, int]:
    from dangjian.accounts.services import identity_bind
    from tests.factories import SYSTEM

    a = identity_bind(actor=SYSTEM, user=world.user("sec_a"), provider="wecom", external_id="a")
    b = identity_bind(actor=SYSTEM, user=world.user("sec_b"), provider="wecom", external_id="b")
    return a.pk, b.pk
