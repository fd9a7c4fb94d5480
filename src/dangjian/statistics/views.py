"""Pages of 党内统计: the tables of an org and year (kept or computed now) with their checks,
generate / regenerate, the .xlsx export, and the list behind every cell. Thin: the gate, then
a selector or a service."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.exporters import XLSX_TYPE
from dangjian.core.htmx import render
from dangjian.core.scope import get_manageable
from dangjian.orgs.models import Org
from dangjian.statistics import exports, selectors, services
from dangjian.statistics.categories import (
    DECREASES,
    INCREASES,
    MEMBER_FIGURES,
    ORG_KINDS,
    education_labels,
    groupings,
)
from dangjian.statistics.forms import PickForm

CELL_PAGE = 50


def _pick(request, data=None):
    """The org and year asked for (default: the user's first org, this year); 404 outside
    reach, as for an org that does not exist."""
    form = PickForm(data if data is not None else request.GET or None, user=request.user)
    this = timezone.localdate().year
    if form.is_bound:
        org_id, year = form.data.get("org"), form.data.get("year") or this
        org = get_manageable(Org.objects.all(), request.user, pk=org_id) if org_id else None
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise Http404("年度无效")
    else:
        org, year = None, this
    if org is None:
        org = form.fields["org"].queryset.first()
        if org is None:
            raise Http404("没有可统计的党组织")
    if not 1921 <= year <= this:
        raise Http404("年度无效")
    form = PickForm(initial={"org": org.pk, "year": year}, user=request.user)
    return form, org, year


def _rows(figures: dict) -> dict:
    """The tables of the page: (label, figure, cell key) rows per table."""
    g = groupings()
    m, c = figures["members"], figures["changes"]
    return {
        "members": [(v, m[k], f"members.{k}") for k, v in MEMBER_FIGURES.items()],
        "age": [
            (b.label, m["age_bands"][b.key], f"members.age_bands.{b.key}") for b in g.age_bands
        ],
        "education": [
            (v, m["education"].get(k, 0), f"members.education.{k}")
            for k, v in education_labels().items()
        ],
        "occupation": [
            (b.label, m["occupation"][b.key], f"members.occupation.{b.key}") for b in g.occupation
        ],
        "increases": [(v, c[k], f"changes.{k}") for k, v in INCREASES.items()],
        "decreases": [(v, c[k], f"changes.{k}") for k, v in DECREASES.items()],
        "orgs": [(v, figures["orgs"][k], f"orgs.{k}") for k, v in ORG_KINDS.items()],
    }


@manager_required
def annual(request):
    form, org, year = _pick(request)
    report = selectors.kept_report(org, year)
    tables = None if report else selectors.annual(org, year)
    figures = selectors.shown_figures(tables, report)
    return render(
        request,
        "statistics/annual.html",
        {
            "form": form,
            "org": org,
            "year": year,
            "report": report,
            "figures": figures,
            "rows": _rows(figures),
            "kept": selectors.kept_reports(org),
            "failed": [c for c in figures["checks"] if not c["passed"]],
            "query": urlencode({"org": org.pk, "year": year}),
            "sources": groupings().sources,
        },
    )


@manager_required
@require_POST
def generate(request):
    org = get_manageable(Org.objects.all(), request.user, pk=request.POST.get("org") or 0)
    try:
        year = int(request.POST.get("year") or 0)
        report = services.report_generate(actor=request.user, org=org, year=year)
    except (ValueError, DomainError) as exc:
        messages.error(request, getattr(exc, "message", "年度无效"))
        return redirect(f"{reverse('statistics:annual')}?{urlencode({'org': org.pk})}")
    else:
        result = "全部校核通过" if report.passed else "有校核未通过，请查看校核结果"
        if not report.changed:
            messages.info(request, f"{year}年党内统计与已生成的年报相同，未作改动；{result}")
        else:
            verb = "重新生成" if report.times > 1 else "生成"
            messages.success(request, f"{year}年党内统计已{verb}，{result}")
    query = urlencode({"org": org.pk, "year": request.POST.get("year") or ""})
    return redirect(f"{reverse('statistics:annual')}?{query}")


@manager_required
def export(request):
    _, org, year = _pick(request)
    report = selectors.kept_report(org, year)
    figures = selectors.shown_figures(None if report else selectors.annual(org, year), report)
    services.tables_exported(actor=request.user, org=org, year=year, what="年报表")
    resp = HttpResponse(exports.tables_xlsx(figures, year), content_type=XLSX_TYPE)
    name = quote(f"{org.name}{year}年党内统计.xlsx")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return resp


@manager_required
def cell(request):
    _, org, year = _pick(request)
    report = selectors.kept_report(org, year)
    tables = selectors.annual(org, year, report.as_of if report else None)
    listing = selectors.cell_list(request.user, tables, request.GET.get("cell", ""))
    if listing is None:
        raise Http404("统计项不存在")
    if request.GET.get("format") == "xlsx":
        services.tables_exported(
            actor=request.user, org=org, year=year, what=f"{listing.label}名单"
        )
        title = f"{org.name}{year}年{listing.label}"
        if listing.kind == "orgs":
            exporter = exports.CellOrgsExporter(title, selectors.orgs_of(listing.ids))
        else:
            exporter = exports.CellMembersExporter(title, selectors.members_of(listing.ids))
        return exporter.response(title)
    page = Paginator(listing.ids, CELL_PAGE).get_page(request.GET.get("page"))
    rows = (
        selectors.orgs_of(list(page.object_list))
        if listing.kind == "orgs"
        else selectors.members_of(list(page.object_list))
    )
    kept = None
    if report is not None:
        kept = _kept_value(report.figures, listing.cell)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "statistics/cell.html",
        {
            "org": org,
            "year": year,
            "listing": listing,
            "page": page,
            "rows": rows,
            "report": report,
            "kept": kept,
            "live": len(tables.cells.get(listing.cell, ())),
            "query": params.urlencode(),
            "back": urlencode({"org": org.pk, "year": year}),
        },
    )


def _kept_value(figures: dict, cell: str) -> int | None:
    """The figure a kept report holds for a cell (None where it keeps no such figure)."""
    parts = cell.split(".")
    if parts[0] == "children":
        if parts[1] == "direct":
            return figures.get("direct")
        return next((c["total"] for c in figures["children"] if str(c["org"]) == parts[1]), None)
    if parts[0] == "checks":
        return figures.get("history_mismatches")
    value = figures
    for p in parts:
        value = value.get(p) if isinstance(value, dict) else None
    return value if isinstance(value, int) else None
