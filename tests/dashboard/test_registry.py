"""The panel registry (core/panels.py): declarations checked when registered, rates derived
after the roll-up (缺项 never 0), chart options built from kept figures."""

from __future__ import annotations

import pytest

from dangjian.core.panels import Chart, Figure, Panel, chart_option


def _compute(ctx):
    return {}


def _panel(**kw) -> Panel:
    figures = (
        Figure("held", "已召开", unit="count"),
        Figure("due", "应召开", unit="count"),
        Figure("rate", "召开率", unit="rate", rate=("held", "due")),
    )
    return Panel("t", "测试", _compute, kw.pop("figures", figures), **kw)


def test_a_chart_naming_an_unknown_figure_is_refused():
    with pytest.raises(ValueError, match="names"):
        _panel(charts=(Chart("bar", "图", ("held", "nope")),))


def test_a_rate_must_have_the_rate_unit_and_units_are_known():
    with pytest.raises(ValueError):
        Figure("r", "率", unit="count", rate=("a", "b"))
    with pytest.raises(ValueError):
        Figure("x", "某", unit="furlongs")


def test_rates_are_derived_after_summing_and_missing_without_denominator():
    p = _panel()
    assert p.derive({"held": 3, "due": 4}) == {"held": 3, "due": 4, "rate": 75.0}
    assert p.derive({}) == {"held": 0, "due": 0, "rate": None}


def test_chart_options_carry_labels_and_values():
    p = _panel(charts=(Chart("bar", "会议", ("held", "due")), Chart("gauge", "率", ("rate",))))
    bar = chart_option(p, p.charts[0], {"held": 3, "due": 4, "rate": 75.0})
    assert bar["xAxis"]["data"] == ["已召开", "应召开"] and bar["series"][0]["data"] == [3, 4]
    gauge = chart_option(p, p.charts[1], {"rate": None}, dark=True)
    assert gauge["series"][0]["detail"]["formatter"] == "缺项"
    assert gauge["textStyle"]["color"] != "#333"
