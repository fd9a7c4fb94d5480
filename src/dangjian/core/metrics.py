"""Named metrics that apps contribute and the assessment reads (``<app>:<name>``).

An app registers its metrics from its ``metrics.py`` (found by ``CoreConfig.ready()``), the
way it registers checkers from ``rules.py``::

    from dangjian.core.metrics import Reading, metric

    @metric("dues:collection_rate", title="党费按时交纳率", unit="rate")
    def collection_rate(orgs, year):
        ...  # a constant number of queries, whatever len(orgs)
        return {org.pk: Reading(paid, due) for org in orgs}

``compute(orgs, year)`` answers one ``Reading`` per org it has data for; an org left out, or
with a zero denominator, has no value (缺项), which is never the same as 0. An org's reading
covers its subtree. ``source(org, year)`` gives the URL of the records behind a value, so a
score is one click from where it came from. Core imports no domain app.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

UNITS = {"rate": "比率", "count": "数量"}


@dataclass(frozen=True)
class Reading:
    """One org's value: ``numerator / denominator`` for a rate, ``numerator`` for a count."""

    numerator: Decimal | int
    denominator: Decimal | int | None = None

    @property
    def rate(self) -> Decimal | None:
        if not self.denominator:
            return None
        return Decimal(self.numerator) / Decimal(self.denominator)


Compute = Callable[[Sequence, int], dict[int, Reading]]


@dataclass(frozen=True)
class Metric:
    key: str
    title: str
    unit: str
    compute: Compute
    source: Callable[[object, int], str] | None = None
    description: str = ""

    @property
    def unit_label(self) -> str:
        return UNITS[self.unit]

    def source_url(self, org, year: int) -> str:
        return self.source(org, year) if self.source else ""


_metrics: dict[str, Metric] = {}


def metric(
    key: str,
    *,
    title: str,
    unit: str = "rate",
    source: Callable[[object, int], str] | None = None,
    description: str = "",
) -> Callable[[Compute], Compute]:
    """Register ``compute`` as the metric ``key`` (``<app>:<name>``)."""
    app, _, name = key.partition(":")
    if not app or not name:
        raise ValueError(f"metric key {key!r} is not <app>:<name>")
    if unit not in UNITS:
        raise ValueError(f"metric {key}: unit {unit!r} is not one of {sorted(UNITS)}")

    def register(compute: Compute) -> Compute:
        if key in _metrics and _metrics[key].compute is not compute:
            raise ValueError(f"metric {key} is registered twice")
        _metrics[key] = Metric(key, title, unit, compute, source, description)
        return compute

    return register


def add(m: Metric) -> None:
    """Register a metric built by hand (one per standards rule, for instance)."""
    if m.key in _metrics and _metrics[m.key] != m:
        raise ValueError(f"metric {m.key} is registered twice")
    _metrics[m.key] = m


def get(key: str) -> Metric | None:
    return _metrics.get(key)


def all_metrics() -> list[Metric]:
    return sorted(_metrics.values(), key=lambda m: m.key)
