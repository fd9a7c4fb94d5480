"""Idempotency-Key handling for API POSTs: a retried request is answered, not repeated.

A client that may retry (a phone on a bad network, a WeChat mini-program, another system)
sends a header ``Idempotency-Key: <unique string>`` with a POST. The first request runs and
its answer is stored in ``core.models.IdempotencyRecord`` (per user, endpoint and key); a
repeat with the same key gets the stored status and body back and nothing is written again.

Use it in a ninja operation::

    from dangjian.core.idempotency import idempotent

    @router.post("/payments", response={201: PaymentOut})
    def payment_create(request, payload: PaymentIn):
        def run():
            payment = services.dues_payment_record(actor=request.user, ...)
            return 201, PaymentOut.from_orm(payment).model_dump(mode="json")

        status, body = idempotent(request, run, endpoint="dues.payment_create",
                                  payload=payload.model_dump(mode="json"))
        return Status(status, body)     # from ninja import Status

Rules:

- ``run`` returns ``(status, body)`` with a JSON-serialisable ``body`` (dump the output
  schema with ``mode="json"``); it must do all its writes in the database (a service).
- Without the header, ``run`` simply runs (the header is optional unless ``required=True``).
- Only successful answers (2xx) are stored: a request refused with 4xx can be corrected and
  sent again with the same key.
- The same key with a different payload is refused with 409 (the stored request's digest is
  compared), so a key cannot be reused by mistake for another payment.
- Concurrent duplicates are safe: ``run`` and the record are written in one transaction; the
  unique constraint on (user, endpoint, key) lets only one commit. The loser's writes are
  rolled back and it answers with the winner's stored response. On SQLite the transaction
  takes the write lock first (``IMMEDIATE``), so the second request waits and then finds
  the record; on PostgreSQL the second insert waits on the unique index, fails, and rolls
  back. If ``run`` itself fails because of the concurrent first request (e.g. a unique
  constraint of the domain), the stored answer is returned as well.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
KEY_MAX = 200


def request_key(request) -> str:
    """The Idempotency-Key header, validated (empty string when absent)."""
    key = (request.headers.get(HEADER) or "").strip()
    if len(key) > KEY_MAX:
        raise DomainError(f"Idempotency-Key 过长（最多 {KEY_MAX} 个字符）", field="Idempotency-Key")
    if key and not key.isprintable():
        raise DomainError("Idempotency-Key 含有不可见字符", field="Idempotency-Key")
    return key


def _digest(payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _stored(user, endpoint: str, key: str, digest: str) -> tuple[int, Any] | None:
    record = IdempotencyRecord.objects.filter(user=user, endpoint=endpoint, key=key).first()
    if record is None:
        return None
    response = record.response or {}
    if response.get("request") not in (None, digest):
        raise Conflict(
            "该 Idempotency-Key 已用于另一笔内容不同的请求，请为新请求使用新的键",
            field="Idempotency-Key",
        )
    return record.status_code, response.get("body")


def idempotent(
    request,
    run: Callable[[], tuple[int, Any]],
    *,
    endpoint: str,
    payload: Any = None,
    required: bool = False,
) -> tuple[int, Any]:
    """Run ``run`` once per (user, endpoint, Idempotency-Key); repeats get the stored answer."""
    key = request_key(request)
    if not key:
        if required:
            raise DomainError("请在请求头中提供 Idempotency-Key", field="Idempotency-Key")
        return run()
    user = request.user
    digest = _digest(payload)
    stored = _stored(user, endpoint, key, digest)
    if stored is not None:
        return stored
    try:
        with transaction.atomic():
            stored = _stored(user, endpoint, key, digest)  # under the write lock
            if stored is not None:
                return stored
            status, body = run()
            if 200 <= status < 300:
                IdempotencyRecord.objects.create(
                    user=user,
                    endpoint=endpoint,
                    key=key,
                    status_code=status,
                    response={"request": digest, "body": body},
                )
            return status, body
    except (IntegrityError, DomainError):
        # A concurrent request with the same key won: answer with what it stored.
        stored = _stored(user, endpoint, key, digest)
        if stored is not None:
            return stored
        raise
