"""Meetings near local month boundaries land in the right period (hypothesis, end to end
through the meetings service and the engine's grouped count)."""

import datetime as dt
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.standards import periods as P
from dangjian.standards.engine import Facts
from tests.standards.helpers import held

pytestmark = pytest.mark.django_db
UTC = dt.UTC

# Moments within 9 hours either side of a UTC month boundary in 2026 (Beijing is UTC+8,
# so these straddle the local boundary too).
moments = st.builds(
    lambda month, minutes: dt.datetime(2026, month, 1, tzinfo=UTC) + dt.timedelta(minutes=minutes),
    st.integers(min_value=2, max_value=10),
    st.integers(min_value=-9 * 60, max_value=9 * 60),
)


def meeting_count(facts, org_id: int, kind: str, period) -> int:
    """Held meetings of ``kind`` for ``org_id`` in ``period``, from the shared fact."""
    buckets = facts.get("meeting_counts").get((org_id, kind)) or []
    first, last = facts.month_slice(period)
    return sum(buckets[first:last])


def test_meetings_near_month_boundaries_count_by_beijing_date(world):
    tally: Counter = Counter()

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(moment=moments)
    def check(moment):
        held(world.a, "theme_day", moment)
        local_day = P.local_date(moment)
        tally[(local_day.year, local_day.month)] += 1
        facts = Facts(world.a, dt.date(2026, 11, 30), P.year(2026))
        for (y, m), n in tally.items():
            assert meeting_count(facts, world.a.pk, "theme_day", P.month(y, m)) == n
        quarter = P.containing("quarter", local_day)
        expected_q = sum(n for (y, m), n in tally.items() if quarter.contains(dt.date(y, m, 1)))
        assert meeting_count(facts, world.a.pk, "theme_day", quarter) == expected_q

    check()
