"""Reads of the 驾驶舱: the kept figures of an org and year, with their charts, the list
behind each number and the next level of the tree — a constant number of queries whatever
the size of the tree (the org's rows, its children, their rows), never the rolls."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.db.models import Case, When
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dangjian.core import panels
from dangjian.core.forms import option_tags
from dangjian.core.panels import UNITS, Panel
from dangjian.core.scope import lineage, org_tree
from dangjian.core.templatetags.dj_format import money
from dangjian.dashboard.models import PanelFigure, Rebuild
from dangjian.orgs.models import Org


def org_choices(user):
    """The orgs a user may open the dashboard on (within reach; groups roll into their
    branch and have no dashboard of their own)."""
    return org_tree().choices(user).exclude(kind=Org.Kind.GROUP).order_by("path")


# More orgs than this in reach (a province's 22,000): the picker offers fewer (org_options).
PICKER_MAX = 3000


def org_options(user, selected: Org) -> str:
    """The picker's ``<option>``s, indented by depth (``core.forms.option_tags``). Over a
    province (more than ``PICKER_MAX`` orgs) it offers the committees, the selected org's
    line up to the root and its children; the rest are reached by drilling down."""
    from django.db.models import Q

    choices = org_choices(user)
    if choices.order_by()[PICKER_MAX : PICKER_MAX + 1].exists():  # stops at the first beyond
        choices = choices.filter(
            Q(kind__in=[Org.Kind.WORK_COMMITTEE, Org.Kind.COMMITTEE])
            | Q(path__in=lineage(selected.path))
            | Q(parent_id=selected.pk)
        )
    rows = choices.values_list("pk", "name", "depth")
    return option_tags(((pk, "\u3000" * depth + name) for pk, name, depth in rows), selected.pk)


MISSING_HTML = mark_safe('<span class="dj-missing-value" title="没有可统计的数据">缺项</span>')


def value_html(value: float | None, unit: str) -> SafeString:
    """A figure's value as the dashboard shows it: 缺项, a rate in percent, money in yuan, or
    a count with its unit. Drawn here, not by an included template: the overview shows some
    three hundred values, and an ``{% include %}`` each cost more than its queries."""
    if value is None:
        return MISSING_HTML
    if unit == "rate":
        return mark_safe(f"{localize(value)}%")
    if unit == "money":
        return mark_safe(f"¥{money(value)}")
    label = UNITS[unit]
    suffix = f'<small class="text-muted ms-1">{escape(label)}</small>' if label else ""
    return mark_safe(f"{localize(value)}{suffix}")


@dataclass
class FigureView:
    key: str
    label: str
    unit: str
    value: float | None
    url: str = ""

    @property
    def unit_label(self) -> str:
        return UNITS[self.unit]

    @property
    def missing(self) -> bool:
        return self.value is None

    @property
    def value_html(self) -> SafeString:
        return value_html(self.value, self.unit)

    @property
    def item_html(self) -> SafeString:
        """The figure's ``<li>``: its label and value, the value linked to the list behind it."""
        value = self.value_html
        if self.url and self.value is not None:
            value = mark_safe(f'<a href="{escape(self.url)}">{value}</a>')
        return mark_safe(
            f'<li class="dj-fig"><span class="dj-fig-label">{escape(self.label)}</span>'
            f'<span class="dj-fig-value dj-num">{value}</span></li>'
        )


@dataclass
class ChildRow:
    org: Org
    value: float | None
    unit: str
    has_children: bool

    @property
    def unit_label(self) -> str:
        return UNITS[self.unit]

    @property
    def value_html(self) -> SafeString:
        return value_html(self.value, self.unit)


@dataclass
class PanelView:
    panel: Panel
    figures: list[FigureView]
    charts: list[dict] = field(default_factory=list)  # {"id", "title", "option"}
    children: list[ChildRow] = field(default_factory=list)
    kept: bool = True
    summary: list[FigureView] = field(default_factory=list)  # the figures no chart draws

    @property
    def key(self) -> str:
        return self.panel.key

    @property
    def title(self) -> str:
        return self.panel.title

    @property
    def headline(self) -> FigureView:
        key = self.panel.headline_figure.key
        return next(f for f in self.figures if f.key == key)

    def figure_values(self) -> dict:
        return {f.key: f.value for f in self.figures}


def kept_rows(org: Org, year: int) -> dict[str, dict]:
    """panel key → the kept figures of ``org``'s subtree (one query)."""
    return dict(PanelFigure.objects.filter(org=org, year=year).values_list("panel", "figures"))


def _figures(p: Panel, org: Org, year: int, values: dict, *, links: bool) -> list[FigureView]:
    return [
        FigureView(
            f.key,
            f.label,
            f.unit,
            values.get(f.key),
            f.link(org, year) if links and f.link else "",
        )
        for f in p.figures
    ]


def _headlines(kids: list[Org], year: int, chosen: list[Panel]) -> dict[tuple[int, str], float]:
    """(org id, panel key) → the panel's headline figure for each of ``kids``: the database
    picks the one figure out of each row's JSON (a province's 600 committees × 13 panels
    decoded whole cost a quarter of a second). The key's text is read back as JSON, so a
    count stays an integer and a rate keeps its decimals."""
    head = Case(*(When(panel=p.key, then=KT(f"figures__{p.headline_figure.key}")) for p in chosen))
    rows = (
        PanelFigure.objects.filter(org__in=kids, year=year, panel__in=[p.key for p in chosen])
        .annotate(head=head)
        .values_list("org_id", "panel", "head")
    )
    return {
        (org_id, key): json.loads(value) if isinstance(value, str) else value
        for org_id, key, value in rows
    }


def board(
    org: Org,
    year: int,
    *,
    only: str = "",
    children: bool = False,
    dark: bool = False,
    links: bool = True,
) -> list[PanelView]:
    """The panels of ``org``'s dashboard for ``year`` from the kept rows: two queries, plus
    two for the next level of the tree when ``children``."""
    rows = kept_rows(org, year)
    chosen = [p for p in panels.all_panels() if not only or p.key == only]
    kids: list[Org] = []
    kid_heads: dict[tuple[int, str], float | None] = {}
    parents: set[int] = set()
    if children:
        kids = list(
            Org.objects.filter(parent=org).active().exclude(kind=Org.Kind.GROUP).order_by("path")
        )
        parents = set(
            Org.objects.filter(parent__in=kids)
            .active()
            .exclude(kind=Org.Kind.GROUP)
            .values_list("parent_id", flat=True)
        )
        kid_heads = _headlines(kids, year, chosen)
    out = []
    for p in chosen:
        values = rows.get(p.key)
        view = PanelView(
            p, _figures(p, org, year, values or {}, links=links), kept=values is not None
        )
        by_key = {f.key: f for f in view.figures}
        charted = {k for chart in p.charts for k in chart.keys}
        view.summary = [
            f for f in view.figures if f.key not in charted and not p.figure(f.key).detail
        ]
        if values is not None:
            for i, chart in enumerate(p.charts):
                view.charts.append(
                    {
                        "id": f"chart-{p.key}-{i}",
                        "title": chart.title,
                        "option": panels.chart_option(p, chart, values, dark=dark),
                        "figures": [by_key[k] for k in chart.keys],
                    }
                )
        head = p.headline_figure
        view.children = [
            ChildRow(kid, kid_heads.get((kid.pk, p.key)), head.unit, kid.pk in parents)
            for kid in kids
        ]
        out.append(view)
    return out


ORDERS = {"": "按组织顺序", "-value": "数值从高到低", "value": "数值从低到高"}


def sort_children(rows: list[ChildRow], *, q: str = "", order: str = "") -> list[ChildRow]:
    """The drill-down table filtered by a name and sorted (missing values last)."""
    if q:
        rows = [r for r in rows if q in r.org.name or q in (r.org.short_name or "")]
    if order in ("value", "-value"):
        known = [r for r in rows if r.value is not None]
        known.sort(key=lambda r: r.value, reverse=order == "-value")
        rows = known + [r for r in rows if r.value is None]
    return rows


def kept_figures(key: str, year: int, org_ids: list[int]) -> panels.Kept | None:
    """``core.panels.kept``'s reader (installed by ``DashboardConfig.ready``): the rows of
    panel ``key`` for ``org_ids``, when the year has been built. Two queries."""
    rebuild = rebuild_of(year)
    if rebuild is None or rebuild.built_at is None or rebuild.as_of is None:
        return None
    rows = PanelFigure.objects.filter(year=year, panel=key, org_id__in=org_ids)
    return panels.Kept(dict(rows.values_list("org_id", "figures")), rebuild.as_of, rebuild.built_at)


def rebuild_of(year: int) -> Rebuild | None:
    return Rebuild.objects.filter(year=year).first()


def years_kept() -> list[int]:
    """The years with kept figures, newest first, this year always among them."""
    this = timezone.localdate().year
    years = set(Rebuild.objects.filter(built_at__isnull=False).values_list("year", flat=True))
    return sorted(years | {this}, reverse=True)


def export_rows(org: Org, year: int) -> list[tuple[str, str, float | None, str]]:
    """(panel, figure, value, unit) of every figure of ``org``'s panels: the Excel export."""
    rows = kept_rows(org, year)
    out = []
    for p in panels.all_panels():
        values = rows.get(p.key) or {}
        for f in p.figures:
            out.append((p.title, f.label, values.get(f.key), f.unit))
    return out
