"""Time windows of procedures (month arithmetic itself is ``core.calendar``)."""

from __future__ import annotations

import datetime as dt

from dangjian.core.calendar import add_months


def shift(day: dt.date, amount: int, unit: str) -> dt.date:
    if unit == "years":
        return add_months(day, 12 * amount)
    if unit == "months":
        return add_months(day, amount)
    if unit == "days":
        return day + dt.timedelta(days=amount)
    raise ValueError(f"unknown unit {unit}")


def working_days(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days from ``start`` to ``end`` inclusive."""
    if end < start:
        return 0
    days = (end - start).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for i in range(rest):
        if (start + dt.timedelta(days=weeks * 7 + i)).weekday() < 5:
            count += 1
    return count


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date, str]:
    first = (day.month - 1) // 3 * 3 + 1
    start = dt.date(day.year, first, 1)
    return start, add_months(start, 3), f"{day.year}年第{(first - 1) // 3 + 1}季度"


def month_of(day: dt.date) -> tuple[dt.date, dt.date, str]:
    start = day.replace(day=1)
    return start, add_months(start, 1), f"{day.year}年{day.month}月"
