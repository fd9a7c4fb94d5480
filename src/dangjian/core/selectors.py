"""Reads of platform records."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from dangjian.core.models import AuditEntry


def audit_entries(
    *,
    user,
    org=None,
    actor: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.visible_to(user).select_related("actor")
    if org is not None:
        qs = qs.filter(org_path__startswith=org.path)
    if actor:
        qs = qs.filter(actor_name__contains=actor) | qs.filter(actor__username=actor)
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs
