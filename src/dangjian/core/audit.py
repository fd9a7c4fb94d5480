"""Writing the audit log. Services call ``audit(...)`` inside their transaction.

``actor`` is a ``User``, ``core.actors.SYSTEM`` (recorded as "系统", no user) or ``None``.
No entry carries a full ID number: whatever looks like one in its text or changes is masked
(``core.logging.mask_id_numbers``).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
from typing import Any

from django.db import models

from dangjian.core.actors import SYSTEM_NAME, is_system
from dangjian.core.logging import mask_id_numbers, mask_value
from dangjian.core.models import AuditEntry

# Set by middleware so that services need not be passed the request.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {f: _plain(getattr(obj, f)) for f in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """Changed fields as {"field": [old, new]}."""
    return {
        k: [_plain(before.get(k)), _plain(after.get(k))]
        for k in after
        if _plain(before.get(k)) != _plain(after.get(k))
    }


def audit(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    verb: str = "",
    changes: dict | None = None,
    org=None,
    org_path: str | None = None,
) -> AuditEntry:
    if org_path is None:
        org_path = getattr(org, "path", "") or ""
        if not org_path and obj is not None:
            owner = getattr(obj, "org", None)
            org_path = getattr(owner, "path", "") or getattr(obj, "path", "") or ""
    if is_system(actor):
        name = SYSTEM_NAME
    else:
        name = actor.get_full_name() if getattr(actor, "is_authenticated", False) else ""
    return AuditEntry.objects.create(
        actor=actor if isinstance(actor, models.Model) else None,
        actor_name=name,
        action=action,
        verb=mask_id_numbers(verb),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=mask_id_numbers(str(obj))[:200] if obj is not None else "",
        org_path=org_path,
        changes={k: mask_value(_plain(v)) for k, v in (changes or {}).items()},
        ip=current_ip.get(),
    )
