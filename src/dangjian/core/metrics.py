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

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.urls import get_script_prefix, reverse

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


# ---- families: metrics named by data (one per standards rule) ----------------------------


@dataclass(frozen=True)
class Family:
    """Metrics ``<prefix>:<name>`` that exist for every name a function knows (``rule:MTG-3``
    for every rule of the standards library): ``resolve(name)`` builds the metric or answers
    None; ``names()`` lists (key, title) for the choices of a form."""

    prefix: str
    resolve: Callable[[str], Metric | None]
    names: Callable[[], list[tuple[str, str]]]


_families: dict[str, Family] = {}


def family(
    prefix: str,
    *,
    resolve: Callable[[str], Metric | None],
    names: Callable[[], list[tuple[str, str]]],
) -> None:
    """Register the metrics ``<prefix>:*`` that ``resolve`` builds from their name."""
    if prefix in _families and _families[prefix].resolve is not resolve:
        raise ValueError(f"metric family {prefix} is registered twice")
    _families[prefix] = Family(prefix, resolve, names)


def resolve(key: str) -> Metric | None:
    """The metric ``key``: a registered one, or one a family builds from its name."""
    found = _metrics.get(key)
    if found is not None:
        return found
    prefix, _, name = key.partition(":")
    fam = _families.get(prefix)
    return fam.resolve(name) if fam is not None and name else None


def choices() -> list[tuple[str, str]]:
    """(key, title) of every metric an indicator may name, registered ones first."""
    out = [(m.key, m.title) for m in all_metrics()]
    for prefix in sorted(_families):
        out += _families[prefix].names()
    return out


def owners(orgs: Sequence) -> dict[int, int]:
    """For a metric over subtrees: each org id of the subtrees of ``orgs`` → the id of the org
    of ``orgs`` whose subtree holds it (the nearest one, if ``orgs`` nest). One query."""
    from dangjian.core.scope import org_tree

    tree = org_tree()
    if not orgs:
        return {}
    by_path = {o.path: o.pk for o in orgs}
    paths = sorted(by_path)
    # The longest common prefix of the paths, cut at a level: one range of the path index.
    common = paths[0]
    for p in paths[1:]:
        while not p.startswith(common):
            common = common[: len(common) - tree.path_step]
    out: dict[int, int] = {}
    rows = tree.model.objects.filter(path__startswith=common).values_list("pk", "path")
    for pk, path in rows:
        for end in range(len(path), 0, -tree.path_step):
            owner = by_path.get(path[:end])
            if owner is not None:
                out[pk] = owner
                break
    return out


def rollup(owner_of: dict[int, int], rows) -> dict[int, list]:
    """Sum ``(org_id, numerator, denominator)`` rows into their owner's [num, den]."""
    sums: dict[int, list] = {}
    for org_id, num, den in rows:
        owner = owner_of.get(org_id)
        if owner is None:
            continue
        acc = sums.setdefault(owner, [0, 0])
        acc[0] += num or 0
        acc[1] += den or 0
    return sums


_SENTINEL = 987654321  # an id no URL holds: replaced by the org's id


@functools.cache
def _url_pattern(name: str, with_id: bool, prefix: str) -> str:
    return reverse(name, args=[_SENTINEL] if with_id else [])


def link(name: str, *, org_id: int | None = None, query: str = "") -> str:
    """The URL ``name`` (with ``org_id`` as its one argument) and ``query``: reversed once
    per name, since a results page asks for one source per org and indicator."""
    url = _url_pattern(name, org_id is not None, get_script_prefix())
    if org_id is not None:
        url = url.replace(str(_SENTINEL), str(org_id))
    return f"{url}?{query}" if query else url
