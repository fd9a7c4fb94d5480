"""The metric registry: apps name their metrics ``<app>:<name>``; no value is never 0."""

from decimal import Decimal

import pytest

from dangjian.core import metrics


def test_a_reading_without_a_denominator_has_no_rate():
    assert metrics.Reading(3, 4).rate == Decimal("0.75")
    assert metrics.Reading(0, 0).rate is None
    assert metrics.Reading(5).rate is None


def test_a_key_must_name_its_app_and_a_known_unit():
    with pytest.raises(ValueError, match="<app>:<name>"):
        metrics.metric("collection_rate", title="x")
    with pytest.raises(ValueError, match="unit"):
        metrics.metric("dues:x", title="x", unit="percent")


def test_registered_metrics_are_found_and_not_registered_twice():
    def compute(orgs, year):
        return {org.pk: metrics.Reading(1, 2) for org in orgs}

    metrics.metric("testapp:half", title="一半")(compute)
    try:
        assert metrics.get("testapp:half").unit_label == "比率"
        assert "testapp:half" in [m.key for m in metrics.all_metrics()]
        with pytest.raises(ValueError, match="twice"):
            metrics.metric("testapp:half", title="一半")(lambda orgs, year: {})
    finally:
        metrics._metrics.pop("testapp:half")
