"""Domain errors: raised by services, carrying a message a person can act on (Chinese).

Views turn them into form errors or messages; the API turns them into JSON
``{"detail": ..., "errors": [...]}`` with the error's HTTP status.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 422

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        errors: list[dict] | None = None,
        rule: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.rule = rule
        self.errors = (
            errors
            if errors is not None
            else ([{"field": field, "message": message}] if field else [])
        )


class Conflict(DomainError):
    """The request clashes with the current state (duplicate, wrong order)."""

    status = 409


class NotFound(DomainError):
    """Absent or outside the user's reach: both look the same from outside."""

    status = 404

    def __init__(self, message: str = "对象不存在或无权访问") -> None:
        super().__init__(message)


class Forbidden(DomainError):
    """An action the user's role does not allow (not used for objects out of reach: 404)."""

    status = 403
