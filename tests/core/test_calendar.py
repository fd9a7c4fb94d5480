"""Month arithmetic (core/calendar.py): the one copy every app uses."""

import calendar as std_calendar
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.calendar import (
    add_months,
    month_count,
    month_end,
    month_range,
    month_start,
    months_between,
)

days = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31))
shifts = st.integers(min_value=-600, max_value=600)


def test_add_months_clamps_to_the_last_day_of_the_month():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)
    assert add_months(dt.date(2026, 1, 15), -1) == dt.date(2025, 12, 15)


def test_add_months_first_gives_the_first_of_the_target_month():
    assert add_months(dt.date(2026, 1, 31), 1, first=True) == dt.date(2026, 2, 1)
    assert add_months(dt.date(2026, 1, 15), -13, first=True) == dt.date(2024, 12, 1)


def test_months_between_counts_whole_months():
    assert months_between(dt.date(2026, 3, 10), dt.date(2026, 9, 9)) == 5
    assert months_between(dt.date(2026, 3, 10), dt.date(2026, 9, 10)) == 6
    assert months_between(dt.date(2026, 9, 10), dt.date(2026, 3, 10)) == -6


def test_month_count_counts_calendar_months_both_included():
    assert month_count(dt.date(2026, 3, 31), dt.date(2026, 9, 1)) == 7
    assert month_count(dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == 1
    assert month_count(dt.date(2026, 4, 1), dt.date(2026, 3, 31)) == 0


def test_month_range_lists_first_days():
    assert month_range(dt.date(2025, 11, 20), dt.date(2026, 2, 3)) == [
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]
    assert month_range(dt.date(2026, 3, 1), dt.date(2026, 2, 1)) == []


@given(days, shifts)
def test_add_months_lands_in_the_right_month_and_never_past_the_day(day, n):
    moved = add_months(day, n)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == n
    assert moved.day == min(day.day, std_calendar.monthrange(moved.year, moved.month)[1])
    assert add_months(day, n, first=True) == month_start(moved)


@given(days, shifts)
def test_add_months_round_trips_when_the_day_exists_in_both_months(day, n):
    moved = add_months(day, n)
    if moved.day == day.day:
        assert add_months(moved, -n) == day
    assert months_between(day, moved) == n or moved.day < day.day


@given(days, shifts)
def test_month_start_round_trips_exactly(day, n):
    start = month_start(day)
    assert add_months(add_months(start, n), -n) == start
    assert months_between(start, add_months(start, n)) == n


@given(days)
def test_month_end_is_the_day_before_the_next_month(day):
    end = month_end(day)
    assert end + dt.timedelta(days=1) == add_months(day, 1, first=True)
    assert add_months(end, 0) == end


@given(days, days)
def test_month_count_and_range_agree(a, b):
    months = month_range(a, b)
    assert len(months) == month_count(a, b)
    assert all(m.day == 1 for m in months)
    if months:
        assert months[0] == month_start(a) and months[-1] == month_start(b)
        assert month_count(a, b) == months_between(month_start(a), month_start(b)) + 1


@given(days, days)
def test_months_between_is_antisymmetric_up_to_the_day(a, b):
    forward, back = months_between(a, b), months_between(b, a)
    assert forward + back in (0, -1)
