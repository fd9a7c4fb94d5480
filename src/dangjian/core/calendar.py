"""Month arithmetic, in one place.

Every app that moves dates by months or counts months uses these functions (periods of the
standards engine, dues months, procedure time windows). Two questions that look alike have
two names here, because callers really mean different things:

* ``months_between(start, end)``: whole months elapsed from ``start`` to ``end`` (the day
  of the month counts: 10 March → 9 September is 5, → 10 September is 6);
* ``month_count(first, last)``: how many calendar months ``first``'s month to ``last``'s
  month spans, both included (March → September is 7), 0 when ``last`` is earlier.

``add_months`` keeps the day of the month (clamped to the month's last day: 31 January + 1
→ 28/29 February), or with ``first=True`` gives the first day of the target month.
"""

from __future__ import annotations

import calendar
import datetime as dt


def month_start(day: dt.date) -> dt.date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int, *, first: bool = False) -> dt.date:
    """``day`` moved by ``months`` whole months (negative moves back).

    The day of the month is kept, or clamped to the target month's last day; with
    ``first=True`` the result is the first day of the target month instead.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if first:
        return dt.date(year, month + 1, 1)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (negative if ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def month_count(first: dt.date, last: dt.date) -> int:
    """Calendar months from ``first``'s month to ``last``'s month, both included (0 if
    ``last`` is in an earlier month)."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from ``first``'s month to ``last``'s, both included."""
    start = month_start(first)
    return [add_months(start, i) for i in range(month_count(first, last))]
