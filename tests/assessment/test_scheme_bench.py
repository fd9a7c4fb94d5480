"""The bench's 20-indicator scheme (bench/assessment.py) at small scale: its results take
the same number of queries with 3 branches and with 13."""

import pytest
from django.utils import timezone

from bench.assessment import INDICATORS, bench_scheme, measure_results
from tests.factories import SYSTEM, make_member, make_org

pytestmark = pytest.mark.django_db


def test_twenty_indicators_over_every_branch_in_constant_queries(world):
    scheme = bench_scheme(world.w, SYSTEM, timezone.localdate().year)
    assert scheme.indicators.count() == INDICATORS
    _, before, results = measure_results(scheme)
    assert len(results.rows) == 3
    for i in range(10):
        org = make_org(f"基准党支部{i}", "branch", world.c2)
        make_member(org, f"基准党员{i}")
    _, after, results = measure_results(scheme)
    assert len(results.rows) == 13 and after == before
