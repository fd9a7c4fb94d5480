"""The one list shape of the API: ``{count, page, page_size, results}``."""

from __future__ import annotations

from django.db.models import QuerySet

MAX_PAGE_SIZE = 500


def page_of(queryset: QuerySet, *, page: int, page_size: int) -> dict:
    """One page of ``queryset`` for an operation's ``…Page`` schema, which reads the model
    objects of ``results``. ``page_size`` is held to 1–500."""
    size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, page)
    return {
        "count": queryset.count(),
        "page": page,
        "page_size": size,
        "results": list(queryset[(page - 1) * size : page * size]),
    }
