"""Sanity of dates a person types: one check for every form and service.

A meeting in 1901 or 2099, a payment in 1900 is a typing slip, not a question of rules;
it is answered "日期不合理" before any rule is looked up.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangjian.core.errors import DomainError

# Not regulation numbers: plausibility bounds only. Nothing the platform records (a meeting,
# a payment, a joining date) happened before the Party was founded (1921), and nothing is
# planned more than a few years ahead (plans run a year; a term five years).
EARLIEST_SENSIBLE = dt.date(1921, 1, 1)
YEARS_AHEAD = 5

UNREASONABLE = "日期不合理"


def sensible_date_error(
    value: dt.date | dt.datetime | None, *, today: dt.date | None = None
) -> str:
    """An empty string if ``value`` is plausible (or missing), else the message to show."""
    if value is None:
        return ""
    day = value
    if isinstance(day, dt.datetime):
        day = timezone.localdate(day) if timezone.is_aware(day) else day.date()
    today = today or timezone.localdate()
    latest = today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28))
    if day < EARLIEST_SENSIBLE or day > latest:
        return f"{UNREASONABLE}（{day:%Y-%m-%d}），请检查年份"
    return ""


def check_sensible_date(
    value: dt.date | dt.datetime | None, *, field: str, today: dt.date | None = None
) -> None:
    """Raise ``DomainError`` on ``field`` when the date makes no sense."""
    message = sensible_date_error(value, today=today)
    if message:
        raise DomainError(message, field=field)
