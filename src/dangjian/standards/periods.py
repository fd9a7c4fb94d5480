"""Periods (month, quarter, year) with local-time boundaries (settings.TIME_ZONE).

A ``Period`` runs from ``start`` (inclusive) to ``end`` (exclusive), both local dates;
``bounds()`` turns them into aware datetimes at local midnight, so that a meeting held at
00:30 on 1 April Beijing time (16:30 UTC on 31 March) counts in April.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.conf import settings

from dangjian.core.calendar import add_months
from dangjian.core.errors import DomainError
from dangjian.standards.registry import Period

KINDS = ("month", "quarter", "year")
ORDER = {"month": 1, "quarter": 3, "year": 12}  # length in months
KIND_LABELS = {"month": "月", "quarter": "季度", "year": "年", "none": "当前"}


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_today() -> dt.date:
    return dt.datetime.now(local_tz()).date()


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(local_tz()).date()


def at_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=local_tz())


def month(year: int, number: int) -> Period:
    start = dt.date(year, number, 1)
    return Period("month", start, add_months(start, 1, first=True), f"{year}-{number:02d}")


def quarter(year: int, number: int) -> Period:
    start = dt.date(year, 3 * (number - 1) + 1, 1)
    return Period("quarter", start, add_months(start, 3, first=True), f"{year}-Q{number}")


def year(number: int) -> Period:
    return Period("year", dt.date(number, 1, 1), dt.date(number + 1, 1, 1), str(number))


def containing(kind: str, day: dt.date) -> Period:
    """The period of ``kind`` that contains ``day``."""
    if kind == "month":
        return month(day.year, day.month)
    if kind == "quarter":
        return quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == "year":
        return year(day.year)
    raise ValueError(f"unknown period kind {kind}")


def covering(kind: str, span: Period) -> list[Period]:
    """Periods of ``kind`` that overlap ``span``, in order (whole periods, possibly wider)."""
    out = []
    current = containing(kind, span.start)
    while current.start < span.end:
        out.append(current)
        current = containing(kind, current.end)
    return out


LABEL_RE = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{2})))?$")


def parse(label: str) -> Period:
    """ "2026" → year, "2026-Q1" → quarter, "2026-03" → month."""
    found = LABEL_RE.match(label or "")
    if not found:
        raise DomainError("期间格式应为 2026、2026-Q1 或 2026-03", field="period")
    y, q, m = found.groups()
    y = int(y)
    if not 1900 <= y <= 2999:
        raise DomainError("年份超出范围", field="year")
    if q:
        return quarter(y, int(q))
    if m:
        if not 1 <= int(m) <= 12:
            raise DomainError("月份应为 1-12", field="month")
        return month(y, int(m))
    return year(y)


def from_parts(y: int, q: int | None = None, m: int | None = None) -> Period:
    """The API's (year, quarter, month) → Period, with Chinese messages for bad input."""
    if not isinstance(y, int) or not 1900 <= y <= 2999:
        raise DomainError("年份应为 1900-2999 之间的整数", field="year")
    if q is not None and m is not None:
        raise DomainError("季度和月份只能指定其一", field="quarter")
    if q is not None:
        if not 1 <= q <= 4:
            raise DomainError("季度应为 1-4", field="quarter")
        return quarter(y, q)
    if m is not None:
        if not 1 <= m <= 12:
            raise DomainError("月份应为 1-12", field="month")
        return month(y, m)
    return year(y)


def display(period: Period) -> str:
    if period.kind == "month":
        return f"{period.start.year}年{period.start.month}月"
    if period.kind == "quarter":
        return f"{period.start.year}年第{(period.start.month - 1) // 3 + 1}季度"
    if period.kind == "year":
        return f"{period.start.year}年"
    return period.label
