"""Small input checks that services share: a text within its length, a year the platform
plans for. Each raises ``DomainError`` on the field with a message a person can act on."""

from __future__ import annotations

from dangjian.core.errors import DomainError

YEARS = (2000, 2100)


def checked_text(value, *, field: str, label: str, limit: int, required: bool = True) -> str:
    """``value`` stripped; 请填写… when required and empty, …过长 past ``limit``."""
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"请填写{label}", field=field)
    if len(value) > limit:
        raise DomainError(f"{label}过长（最多 {limit} 字）", field=field)
    return value


def checked_year(year, *, field: str = "year") -> int:
    if not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]:
        raise DomainError("年度无效", field=field)
    return year
