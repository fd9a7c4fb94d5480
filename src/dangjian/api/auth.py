"""Bearer-token authentication for the API."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.utils import timezone
from ninja.security import HttpBearer

from dangjian.accounts.models import ApiToken


class BearerAuth(HttpBearer):
    def authenticate(self, request, token: str):
        if not token:
            return None
        row = (
            ApiToken.objects.select_related("user", "user__member")
            .filter(digest=ApiToken.digest_of(token), expires_at__gt=timezone.now())
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


def token_issue(*, user) -> str:
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        digest=ApiToken.digest_of(raw),
        expires_at=timezone.now() + timezone.timedelta(days=settings.API_TOKEN_DAYS),
    )
    return raw
