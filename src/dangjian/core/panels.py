"""Panels of the 驾驶舱 (dashboard) that apps contribute, the way they contribute workbench
items and metrics. An app declares its panels in its ``panels.py`` (found by
``CoreConfig.ready()``)::

    from dangjian.core.panels import Chart, Figure, panel

    @panel(
        "dues",
        title="党费收缴",
        order=40,
        figures=[
            Figure("due", "应交人月"),
            Figure("paid", "已交人月", link=lambda org, year: f"/dues/summary/?org={org.pk}"),
            Figure("rate", "收缴率", unit="rate", rate=("paid", "due")),
        ],
        charts=[Chart("gauge", "党费收缴率", ("rate",))],
        watch=("dues.DuesPaidMonth",),
    )
    def dues(ctx):
        rows = DuesPaidMonth.objects.filter(...).values("org_id").annotate(n=Count("id"))
        return {org_id: {"paid": n} for org_id, n in rows.values_list("org_id", "n")}

``compute(ctx)`` runs over the whole platform at once (a constant number of set-based
queries) and answers each org's **own** figures — the rows that belong to that org itself,
not to its subtree — as additive numbers. The dashboard sums them up the tree, derives the
rates (``Figure.rate``: numerator and denominator keys; 缺项, ``None``, when nothing is
counted) and keeps one row per org, year and panel, so no request ever scans the rolls.

``watch`` names models whose changes make the figures stale: the worker rebuilds them when
the transaction commits; a nightly ``dangjian dashboard_refresh`` follows the calendar.
``link(org, year)`` on a figure is the list behind the number, with filters the list
understands. This module imports no domain app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

UNITS = {"count": "", "person": "人", "org": "个", "rate": "%", "money": "元", "hours": "学时"}
CHART_KINDS = ("pie", "bar", "line", "gauge", "funnel")


@dataclass(frozen=True)
class Figure:
    """One number of a panel. ``rate=(numerator_key, denominator_key)`` makes it a derived
    percentage (one decimal), computed after the roll-up; others are summed up the tree."""

    key: str
    label: str
    unit: str = "person"
    rate: tuple[str, str] | None = None
    link: Callable[[object, int], str] | None = None
    detail: bool = False  # kept and exported, not listed on the page (a chart's inputs)

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"figure {self.key}: unit {self.unit!r} is not one of {list(UNITS)}")
        if self.rate and self.unit != "rate":
            raise ValueError(f"figure {self.key}: a derived rate has unit 'rate'")


@dataclass(frozen=True)
class Chart:
    """One ECharts chart of a panel: its kind, its title and the figures it draws, in order
    (for ``line``: one point per key, labelled by the figure's label)."""

    kind: str
    title: str
    keys: tuple[str, ...]

    def __post_init__(self):
        if self.kind not in CHART_KINDS:
            raise ValueError(f"chart {self.title}: kind {self.kind!r} is not one of {CHART_KINDS}")


@dataclass(frozen=True)
class PanelContext:
    """What a compute function gets: the year, the day its figures stand at (today for this
    year, 31 December for a past year), and today."""

    year: int
    as_of: dt.date
    today: dt.date

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)


Compute = Callable[[PanelContext], dict[int, dict[str, float]]]


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    compute: Compute
    figures: tuple[Figure, ...]
    charts: tuple[Chart, ...] = ()
    order: int = 100
    watch: tuple[str, ...] = ()
    headline: str = ""  # the figure shown for each org in the drill-down table
    description: str = ""
    _by_key: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        self._by_key.update({f.key: f for f in self.figures})
        for chart in self.charts:
            unknown = [k for k in chart.keys if k not in self._by_key]
            if unknown:
                raise ValueError(f"panel {self.key}: chart {chart.title} names {unknown}")
        if self.headline and self.headline not in self._by_key:
            raise ValueError(f"panel {self.key}: headline {self.headline!r} is no figure")

    def figure(self, key: str) -> Figure | None:
        return self._by_key.get(key)

    @property
    def headline_figure(self) -> Figure:
        return self._by_key[self.headline] if self.headline else self.figures[0]

    def derive(self, sums: dict[str, float]) -> dict[str, float | None]:
        """The stored figures from the summed ones: every declared figure present (0 when
        nothing was counted), rates derived (None, 缺项, when the denominator is 0)."""
        out: dict[str, float | None] = {}
        for f in self.figures:
            if f.rate:
                num, den = sums.get(f.rate[0], 0), sums.get(f.rate[1], 0)
                out[f.key] = round(100 * num / den, 1) if den else None
            else:
                value = sums.get(f.key, 0)
                out[f.key] = round(value, 2) if isinstance(value, float) else value
        return out


_panels: dict[str, Panel] = {}


def panel(
    key: str,
    *,
    title: str,
    figures: Sequence[Figure],
    charts: Sequence[Chart] = (),
    order: int = 100,
    watch: Sequence[str] = (),
    headline: str = "",
    description: str = "",
) -> Callable[[Compute], Compute]:
    """Register ``compute`` as the panel ``key``."""

    def register(compute: Compute) -> Compute:
        existing = _panels.get(key)
        if existing is not None and existing.compute.__qualname__ != compute.__qualname__:
            raise ValueError(f"panel {key} is registered twice")
        _panels[key] = Panel(
            key,
            title,
            compute,
            tuple(figures),
            tuple(charts),
            order,
            tuple(watch),
            headline,
            description,
        )
        return compute

    return register


@dataclass(frozen=True)
class Kept:
    """Kept figures of one panel for some orgs: org id → figures, and the day they stand at
    (``PanelContext.as_of`` of the rebuild) and when they were built."""

    rows: dict[int, dict]
    as_of: dt.date
    built_at: dt.datetime


# The app that keeps the figures (the dashboard) installs its reader: ``(panel key, year,
# org ids) → Kept | None``. Other apps read kept figures through ``kept`` without importing
# that app (the workbench's wide figures: a work committee's month of dues).
_reader: Callable[[str, int, list[int]], Kept | None] | None = None


def set_reader(reader: Callable[[str, int, list[int]], Kept | None]) -> None:
    global _reader
    _reader = reader


def kept(key: str, year: int, org_ids) -> Kept | None:
    """The kept figures of panel ``key`` for ``org_ids`` (subtree figures, each org's row
    covering its subtree) in ``year``; None when nothing keeps them or the year was never
    built."""
    return _reader(key, year, list(org_ids)) if _reader is not None else None


def all_panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))


def get(key: str) -> Panel | None:
    return _panels.get(key)


# ---- ECharts options, built from the kept figures ----------------------------------------

PALETTE = ["#C8161D", "#D4A017", "#5470C6", "#3BA272", "#FC8452", "#9A60B4", "#73C0DE", "#888"]


def chart_option(p: Panel, chart: Chart, figures: dict, *, dark: bool = False) -> dict:
    """The ECharts option of ``chart`` for ``figures`` (one org's kept row): plain data,
    handed to the page with ``json_script`` and drawn by ``static/dangjian/dashboard.js``."""
    text = "#e8e8e8" if dark else "#333"
    labels = [p.figure(k).label for k in chart.keys]
    values = [figures.get(k) for k in chart.keys]
    base = {
        "color": PALETTE,
        "textStyle": {"color": text},
        "tooltip": {"trigger": "item" if chart.kind in ("pie", "funnel") else "axis"},
        "animation": False,
    }
    if chart.kind in ("pie", "funnel"):
        data = [{"name": n, "value": v or 0} for n, v in zip(labels, values, strict=True)]
        series = {"type": chart.kind, "data": data, "label": {"color": text}}
        if chart.kind == "pie":
            series |= {"radius": ["35%", "65%"], "center": ["50%", "50%"]}
        else:
            series |= {
                "sort": "none",
                "left": "4%",
                "width": "52%",
                "label": {"color": text, "position": "right"},
            }
        return base | {"series": [series]}
    if chart.kind == "gauge":
        value = values[0]
        return base | {
            "series": [
                {
                    "type": "gauge",
                    "min": 0,
                    "max": 100,
                    "progress": {"show": True, "width": 12},
                    "axisLine": {"lineStyle": {"width": 12}},
                    "axisLabel": {"color": text, "distance": 18, "fontSize": 10},
                    "splitLine": {"length": 8},
                    "axisTick": {"show": False},
                    "pointer": {"width": 4, "length": "55%"},
                    "detail": {
                        "valueAnimation": False,
                        "formatter": "{value}%" if value is not None else "缺项",
                        "color": text,
                        "fontSize": 18,
                        "offsetCenter": [0, "70%"],
                    },
                    "data": [{"value": value if value is not None else 0, "name": labels[0]}],
                    "title": {"show": False},
                }
            ]
        }
    is_rate = all(p.figure(k).unit == "rate" for k in chart.keys)
    axis = {"axisLabel": {"color": text}}
    return base | {
        "grid": {"left": 8, "right": 8, "top": 24, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": labels, **axis},
        "yAxis": {"type": "value", **axis, **({"max": 100} if is_rate else {"minInterval": 1})},
        "series": [
            {
                "type": chart.kind,
                "data": values,
                "connectNulls": False,
                "label": {"show": chart.kind == "bar", "position": "top", "color": text},
            }
        ],
    }
