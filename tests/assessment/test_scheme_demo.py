"""The demo builds this year's assessment scheme over every branch, with automatic values,
scored, reviewed and missing cells side by side."""

import datetime as dt

import pytest

from dangjian.assessment.schemes.models import Scheme
from dangjian.assessment.schemes.results import scheme_results
from dangjian.core.management.commands.demo import build_demo

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 16)


def test_demo_has_a_published_scheme_with_every_kind_of_cell(db):
    ctx = build_demo(scale="small", seed=2026, today=TODAY)
    scheme = Scheme.objects.get(year=TODAY.year)
    assert scheme.status == "published" and scheme.org == ctx.work_committee
    results = scheme_results(scheme)
    assert len(results.rows) == len(ctx.branches)
    statuses = {c.status for r in results.rows for c in r.cells}
    assert {"auto", "scored", "reviewed", "missing"} <= statuses
    assert not any(i.metric.startswith("learning:points") for i in results.leaves)
