"""core.idempotency: one record per user + endpoint + key; repeats answered from it."""

import pytest
from django.db import IntegrityError
from django.test import RequestFactory

from dangjian.core.errors import Conflict, DomainError
from dangjian.core.idempotency import idempotent
from dangjian.core.models import IdempotencyRecord

pytestmark = pytest.mark.django_db


def _request(user, key):
    request = RequestFactory().post("/x", headers={"Idempotency-Key": key} if key else {})
    request.user = user
    return request


def test_second_call_returns_the_stored_answer_without_running(world):
    user = world.user("sec_a")
    calls = []

    def run():
        calls.append(1)
        return 201, {"id": len(calls)}

    first = idempotent(_request(user, "abc"), run, endpoint="e", payload={"a": 1})
    again = idempotent(_request(user, "abc"), run, endpoint="e", payload={"a": 1})
    assert first == again == (201, {"id": 1}) and len(calls) == 1


def test_keys_are_per_user_and_endpoint(world):
    def run():
        return 201, {"n": IdempotencyRecord.objects.count()}

    idempotent(_request(world.user("sec_a"), "k"), run, endpoint="e1")
    idempotent(_request(world.user("sec_b"), "k"), run, endpoint="e1")
    idempotent(_request(world.user("sec_a"), "k"), run, endpoint="e2")
    assert IdempotencyRecord.objects.count() == 3


def test_errors_are_not_stored_so_a_corrected_retry_runs(world):
    user = world.user("sec_a")

    def fail():
        raise DomainError("输入有误")

    with pytest.raises(DomainError):
        idempotent(_request(user, "k"), fail, endpoint="e")
    assert idempotent(_request(user, "k"), lambda: (201, {"ok": True}), endpoint="e") == (
        201,
        {"ok": True},
    )


def test_reusing_a_key_for_another_payload_is_a_conflict(world):
    user = world.user("sec_a")
    idempotent(_request(user, "k"), lambda: (201, {}), endpoint="e", payload={"a": 1})
    with pytest.raises(Conflict):
        idempotent(_request(user, "k"), lambda: (201, {}), endpoint="e", payload={"a": 2})


def test_losing_a_race_returns_the_winners_answer(world, monkeypatch):
    """Both requests checked before either committed; the winner's record is now there,
    the loser's write fails on the unique constraint, is rolled back, and the loser answers
    with the winner's stored response."""
    from dangjian.core import idempotency

    user = world.user("sec_a")
    IdempotencyRecord.objects.create(
        user=user, endpoint="e", key="k", status_code=201, response={"body": {"id": 7}}
    )
    real, checks = idempotency._stored, []

    def not_yet_committed(*args):
        checks.append(1)
        return None if len(checks) <= 2 else real(*args)

    monkeypatch.setattr(idempotency, "_stored", not_yet_committed)
    written = []

    def run():
        written.append(
            IdempotencyRecord.objects.create(
                user=world.user("sec_b"),
                endpoint="loser-write",
                key="k",
                status_code=201,
                response={},
            )
        )
        raise IntegrityError("duplicate key value violates unique constraint")

    assert idempotent(_request(user, "k"), run, endpoint="e") == (201, {"id": 7})
    assert written and not IdempotencyRecord.objects.filter(endpoint="loser-write").exists()


def test_overlong_key_is_refused(world):
    with pytest.raises(DomainError, match="过长"):
        idempotent(_request(world.user("sec_a"), "x" * 201), lambda: (201, {}), endpoint="e")


def test_without_a_key_it_just_runs(world):
    calls = []
    for _ in range(2):
        idempotent(
            _request(world.user("sec_a"), ""), lambda: (calls.append(1), (201, {}))[1], endpoint="e"
        )
    assert len(calls) == 2 and not IdempotencyRecord.objects.exists()
