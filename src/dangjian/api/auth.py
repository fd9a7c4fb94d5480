"""Bearer-token authentication for the API.

A token authenticates while it is live (``accounts.models.ApiToken``: absolute lifetime
and idle limit) and its user is active. The request carries the token row as
``request.api_token`` so that ``/auth/logout`` and ``/auth/password`` know which one it is.
A user whose password was chosen by someone else gets 403 ``password_change_required``
on everything but changing it and logging out.
"""

from __future__ import annotations

from ninja.security import HttpBearer

from dangjian.accounts import services
from dangjian.core.errors import Forbidden

# Operations a user who must change their password may still call (path suffixes).
OPEN_BEFORE_PASSWORD_CHANGE = ("/auth/password", "/auth/logout")


class PasswordChangeRequired(Forbidden):
    code = "password_change_required"

    def __init__(self) -> None:
        super().__init__("请先修改初始密码：POST /api/v1/auth/password")


class BearerAuth(HttpBearer):
    def authenticate(self, request, token: str):
        row = services.token_authenticate(token)
        if row is None:
            return None
        user = row.user
        if user.must_change_password and not request.path.rstrip("/").endswith(
            OPEN_BEFORE_PASSWORD_CHANGE
        ):
            raise PasswordChangeRequired()
        request.user = user
        request.api_token = row
        return user


def token_issue(*, user, client: str = "") -> str:
    """A raw bearer token for ``user`` (tests and scripts)."""
    return services.token_issue(user=user, client=client)[1]
