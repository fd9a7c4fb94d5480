"""A rule changed mid-year is judged per version: each sub-period by the version in force
on its first day (pure planning, checked with hypothesis; and end to end)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from dangjian.standards import periods as P
from dangjian.standards.engine import plans_for
from dangjian.standards.models import Rule


def version(n, start, end, period):
    return Rule(
        code="MTG-5",
        version=n,
        checker="meeting_frequency",
        params={"kind": "party_lecture", "period": period, "min": 1},
        effective_from=start,
        effective_to=end,
        enabled=True,
    )


@given(
    change=st.dates(min_value=dt.date(2026, 1, 2), max_value=dt.date(2026, 12, 31)),
    old=st.sampled_from(["month", "quarter", "year"]),
    new=st.sampled_from(["month", "quarter", "year"]),
)
def test_each_sub_period_is_judged_by_the_version_in_force_on_its_first_day(change, old, new):
    v1 = version(1, dt.date(2018, 1, 1), change, old)
    v2 = version(2, change, None, new)
    plans = plans_for([v1, v2], P.year(2026), dt.date(2027, 6, 1))
    judged = [(p.rule.version, s) for p in plans for s in p.periods]
    for n, sub in judged:
        expected = 1 if sub.start < change else 2
        assert n == expected
        assert sub.kind == (old if n == 1 else new)
    # Every period of the old kind starting before the change is judged by v1,
    # and every period of the new kind starting on/after it by v2.
    for sub in P.covering(old, P.year(2026)):
        assert ((1, sub) in judged) == (sub.start < change)
    for sub in P.covering(new, P.year(2026)):
        assert ((2, sub) in judged) == (sub.start >= change)


@given(today=st.dates(min_value=dt.date(2025, 12, 1), max_value=dt.date(2027, 2, 1)))
def test_periods_not_started_are_not_judged(today):
    v1 = version(1, dt.date(2018, 1, 1), None, "month")
    plans = plans_for([v1], P.year(2026), today)
    judged = [s for p in plans for s in p.periods]
    assert all(s.start <= today for s in judged)
    assert len(judged) == len([m for m in P.covering("month", P.year(2026)) if m.start <= today])


def test_disabled_version_judges_nothing_in_its_time():
    v1 = version(1, dt.date(2018, 1, 1), dt.date(2026, 7, 1), "month")
    v2 = version(2, dt.date(2026, 7, 1), None, "month")
    v2.enabled = False
    plans = plans_for([v1, v2], P.year(2026), dt.date(2026, 12, 31))
    assert [s.label for p in plans for s in p.periods] == [f"2026-{m:02d}" for m in range(1, 7)]
