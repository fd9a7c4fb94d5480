"""Reads for accounts."""

from __future__ import annotations

from dangjian.accounts.models import ApiTokenQuerySet


def tokens_of(user) -> ApiTokenQuerySet:
    """The live API tokens of ``user``, newest first (only their own, ever)."""
    from dangjian.accounts.models import ApiToken

    return ApiToken.objects.live().filter(user=user).order_by("-created_at", "-pk")
