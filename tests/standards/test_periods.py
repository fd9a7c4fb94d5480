import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.calendar import months_between
from dangjian.core.errors import DomainError
from dangjian.standards import periods as P

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


@given(days, st.sampled_from(["month", "quarter", "year"]))
def test_containing_period_holds_the_day_and_is_whole(day, kind):
    p = P.containing(kind, day)
    assert p.contains(day)
    assert p.start.day == 1
    assert months_between(p.start, p.end) == P.ORDER[kind]
    assert P.containing(kind, p.end - dt.timedelta(days=1)) == p
    assert P.parse(p.label) == p


@given(days, days, st.sampled_from(["month", "quarter", "year"]))
def test_covering_tiles_a_span_without_gaps(a, b, kind):
    start, end = min(a, b), max(a, b) + dt.timedelta(days=1)
    span = P.Period("span", start, end, "")
    parts = P.covering(kind, span)
    assert parts[0].start <= start and parts[-1].end >= end
    for left, right in itertools.pairwise(parts):
        assert left.end == right.start


@given(days)
def test_local_midnight_bounds_are_beijing_time(day):
    moment = P.at_midnight(day)
    assert moment.utcoffset() == dt.timedelta(hours=8)
    assert P.local_date(moment) == day
    assert P.local_date(moment - dt.timedelta(seconds=1)) == day - dt.timedelta(days=1)


def test_quarter_labels_and_bounds():
    q = P.quarter(2026, 2)
    assert (q.start, q.end, q.label) == (dt.date(2026, 4, 1), dt.date(2026, 7, 1), "2026-Q2")
    assert P.display(q) == "2026年第2季度"
    assert P.month(2026, 12).end == dt.date(2027, 1, 1)


@pytest.mark.parametrize(
    "args",
    [(2026, 5, None), (2026, None, 13), (2026, 1, 2), (1800, None, None)],
)
def test_bad_period_parts_raise_chinese_error(args):
    with pytest.raises(DomainError) as exc:
        P.from_parts(*args)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message)


def test_parse_rejects_garbage():
    with pytest.raises(DomainError):
        P.parse("2026-13")
    with pytest.raises(DomainError):
        P.parse("abc")
