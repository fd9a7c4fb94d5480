"""Reads of 党内统计: the tables of an org and year (kept or computed), the kept years, and
the members or orgs behind a cell, through the gate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from dangjian.members.models import Member
from dangjian.orgs.models import Org
from dangjian.statistics.categories import cell_label
from dangjian.statistics.models import AnnualReport
from dangjian.statistics.tables import Tables, compute, default_as_of, members_ever_in


def annual(org: Org, year: int, as_of: dt.date | None = None) -> Tables:
    return compute(org, as_of or default_as_of(year))


def kept_report(org: Org, year: int) -> AnnualReport | None:
    return AnnualReport.objects.select_related("generated_by").filter(org=org, year=year).first()


def kept_reports(org: Org) -> QuerySet[AnnualReport]:
    """The years kept for ``org``, newest first (figures left out: the list shows dates)."""
    return (
        AnnualReport.objects.filter(org=org)
        .select_related("generated_by")
        .defer("figures")
        .order_by("-year")
    )


def shown_figures(tables: Tables | None, report: AnnualReport | None) -> dict:
    """The figures a page shows: the kept report if there is one, else the live tables."""
    if report is not None:
        return {**report.figures, "checks": report.checks}
    return tables.as_dict() if tables else {}


@dataclass
class CellList:
    cell: str
    label: str
    kind: str  # "members" or "orgs"
    ids: list[int]  # within the user's reach, in name order
    hidden: int  # counted in the cell but outside the user's reach now (transferred away)


def cell_list(user, tables: Tables, cell: str) -> CellList | None:
    """The members (or orgs) a cell of ``tables`` counts, those the user may see, in order."""
    if cell not in _known_cells(tables):
        return None
    ids = tables.cells.get(cell, set())
    children = {str(c["org"]): c["name"] for c in tables.figures["children"]}
    children["direct"] = f"{tables.org.name}（直属）"
    label = cell_label(cell, children)
    if cell.startswith("orgs."):
        rows = (
            Org.objects.visible_to(user)
            .filter(path__startswith=tables.org.path)
            .values_list("id", "path")
        )
        shown = [oid for oid, _ in sorted(rows, key=lambda r: r[1]) if oid in ids]
        return CellList(cell, label, "orgs", shown, len(ids) - len(shown))
    rows = (
        Member.objects.visible_to(user)
        .filter(pk__in=members_ever_in(tables.org).values("id"))
        .values_list("id", "name_pinyin")
    )
    shown = [mid for mid, _ in sorted(rows, key=lambda r: (r[1], r[0])) if mid in ids]
    return CellList(cell, label, "members", shown, len(ids) - len(shown))


def _known_cells(tables: Tables) -> set[str]:
    f = tables.figures
    m = f["members"]
    known = {f"members.{k}" for k, v in m.items() if not isinstance(v, dict)}
    for section in ("age_bands", "education", "occupation"):
        known |= {f"members.{section}.{k}" for k in m[section]}
    known |= {f"start.{k}" for k in f["start"]}
    known |= {f"changes.{k}" for k in f["changes"] if k not in ("increase", "decrease")}
    known |= {f"orgs.{k}" for k in f["orgs"]}
    known |= {f"children.{c['org']}" for c in f["children"]} | {"children.direct"}
    return known | {"checks.history"}


def members_of(ids: list[int]) -> list[Member]:
    """Members by id, in the order given (one page of a cell's list)."""
    by_id = {m.pk: m for m in Member.objects.select_related("org").filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


def orgs_of(ids: list[int]) -> list[Org]:
    by_id = {o.pk: o for o in Org.objects.select_related("parent").filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]
