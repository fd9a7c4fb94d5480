"""Pages of the standards library and the compliance views (thin: selectors and services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.htmx import render
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.scope import get_manageable
from dangjian.core.working import working_org
from dangjian.orgs.models import Org
from dangjian.standards import kept, selectors, services
from dangjian.standards import periods as P
from dangjian.standards.engine import (
    STATUS_LABELS,
    STATUS_ORDER,
    due_soon_days,
    evaluate,
    rule_period,
    sort_worst_first,
    summarize,
)
from dangjian.standards.exports import HeatmapExporter
from dangjian.standards.forms import PeriodForm, RuleEditForm
from dangjian.standards.models import Article, Rule, Standard
from dangjian.standards.params import applies_text, label_findings, short_titles
from dangjian.standards.registry import CHECKERS

# ---- library -------------------------------------------------------------------------


@login_required
def library(request):
    category = request.GET.get("category", "")
    standards = selectors.standards_with_rules()
    if category in Standard.Category.values:
        standards = [s for s in standards if s.category == category]
    groups = []
    for value, label in Standard.Category.choices:
        items = [s for s in standards if s.category == value]
        if items:
            groups.append({"label": label, "value": value, "standards": items})
    return render(
        request,
        "standards/library.html",
        {
            "groups": groups,
            "category": category,
            "categories": Standard.Category.choices,
            "rules": _decorate(selectors.latest_versions()),
        },
    )


def _decorate(rules):
    for rule in rules:
        rule.is_checked = bool(rule.checker) and rule.checker in CHECKERS
        rule.period_kind = P.KIND_LABELS.get(rule_period(rule), "")
    return rules


@login_required
def standard_detail(request, standard_id: int):
    standard = get_object_or_404(Standard, pk=standard_id)
    data = {s.pk: s for s in selectors.standards_with_rules()}[standard.pk]
    loose = [r for r in data.rule_list if r.article not in {a.number for a in data.article_list}]
    return render(
        request,
        "standards/standard.html",
        {"standard": data, "loose_rules": _decorate(loose)},
    )


@login_required
def article_detail(request, standard_id: int, article_id: int):
    article = get_object_or_404(
        Article.objects.select_related("standard"), pk=article_id, standard_id=standard_id
    )
    rules = _decorate(
        [
            r
            for r in selectors.latest_versions()
            if r.standard_id == standard_id and r.article == article.number
        ]
    )
    return render(request, "standards/article.html", {"article": article, "rules": rules})


def _rule_versions(code: str) -> list[Rule]:
    versions = list(Rule.objects.select_related("standard", "created_by").filter(code=code))
    if not versions:
        raise Http404("规则不存在")
    return sorted(versions, key=lambda r: r.version)


@login_required
def rule_detail(request, code: str):
    versions = _decorate(_rule_versions(code))
    today = P.local_today()
    current = next(
        (
            v
            for v in reversed(versions)
            if v.effective_from <= today and (v.effective_to is None or v.effective_to > today)
        ),
        versions[-1],
    )
    return render(
        request,
        "standards/rule.html",
        {
            "rule": current,
            "latest": versions[-1],
            "versions": list(reversed(versions)),
            "checker": CHECKERS.get(current.checker),
            "can_edit": services.can_edit_rules(request.user),
            "applies_text": applies_text(current.applies_to),
        },
    )


@login_required
def rule_edit(request, code: str):
    """Platform administrators only: anyone else gets 403 (the rule itself is public)."""
    versions = _rule_versions(code)
    if not services.can_edit_rules(request.user):
        return render(
            request,
            "base/error.html",
            {"title": "403", "message": "只有平台管理员可以修改标准规则。"},
            status=403,
        )
    latest = versions[-1]
    form = RuleEditForm(request.POST or None, rule=latest)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.rule_update(
                actor=request.user,
                code=code,
                effective_from=data["effective_from"],
                change_reason=data["change_reason"],
                params=data["params"],
                applies_to=data["applies_to"],
                severity=data["severity"],
                enabled=data["enabled"],
                title=data["title"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc, field_map=lambda f: f.replace("params.", "p_"))
        else:
            messages.success(
                request, f"已生成 {new.code} 第{new.version}版，自{new.effective_from}起生效"
            )
            return redirect("standards:rule", code=new.code)
    return render(
        request,
        "standards/rule_edit.html",
        {"rule": latest, "form": form, "checker": CHECKERS.get(latest.checker)},
    )


# ---- compliance ----------------------------------------------------------------------


def _period_from(request) -> tuple[PeriodForm, P.Period, int]:
    today = P.local_today()
    data = request.GET.copy()
    if not data.get("year"):
        data["year"] = str(today.year)  # the year field is always filled
    form = PeriodForm(data)
    cleaned = form.cleaned_data if form.is_valid() else {}
    if request.GET and not form.is_valid():
        messages.warning(request, "期间选择有误，已显示本年度")
    year = cleaned.get("year") or today.year
    period = P.from_parts(year, cleaned.get("quarter"), cleaned.get("month"))
    return form, period, year


def _kept_year(period: P.Period) -> int | None:
    """The year shown when its findings are kept (a year's view, this year or a closed
    one); None for a quarter or a month, counted live."""
    year = period.start.year
    return year if period.kind == "year" and year <= P.local_today().year else None


def _org_for(request, org_id: int | None) -> Org:
    if org_id is not None:
        return get_manageable(Org.objects.active(), request.user, pk=org_id)
    if request.GET.get("org"):
        return get_manageable(Org.objects.active(), request.user, pk=request.GET["org"])
    org = working_org(request) or selectors.default_org(request.user)
    if org is None:
        raise Http404("没有可查看的组织")
    return org


@manager_required
@require_GET
def board(request, org_id: int | None = None):
    """The branch board: open items first, then this month's and this year's items."""
    org = _org_for(request, org_id)
    today = P.local_today()
    form, period, year = _period_from(request)
    month_period = (
        period
        if period.kind == "month"
        else P.month(year, today.month if year == today.year else 12)
    )
    own = {org.pk} | set(
        Org.objects.active().filter(parent=org, kind=Org.Kind.GROUP).values_list("pk", flat=True)
    )
    rule_filter = request.GET.get("rule", "")
    evaluated_at, changed = kept.readable(org, year, today=today)
    pending = False
    if evaluated_at is not None:
        year_findings = kept.findings(org, year, org_ids=own)
    else:
        if year <= today.year:
            kept.queue(org, year)
            pending = kept.too_large(org)  # the worker keeps it: not evaluated here
        year_findings = [
            f
            for f in ([] if pending else evaluate(org, P.year(year), today=today))
            if f.org_id in own or not f.org_id
        ]
    label_findings(year_findings)  # expected/actual in words, one query
    # This month's items: those judged on the month, its quarter, the year, or now (one
    # evaluation serves both lists).
    labels = {
        month_period.label,
        P.containing("quarter", month_period.start).label,
        str(year),
    }
    month_findings = [f for f in year_findings if f.period in labels]
    if rule_filter:
        year_findings = [f for f in year_findings if f.rule_code == rule_filter]
        month_findings = [f for f in month_findings if f.rule_code == rule_filter]
    seen, open_items = set(), []
    for f in sort_worst_first(year_findings):
        key = (f.rule_code, f.org_id, f.period, f.member_id)
        if f.status in selectors.OPEN and key not in seen:
            seen.add(key)
            open_items.append(f)
    grid: dict[tuple[str, int], dict] = {}
    for f in year_findings:
        row = grid.setdefault(
            (f.rule_code, f.org_id or 0),
            {
                "code": f.rule_code,
                "title": f.rule_title,
                "org": f.org_name,
                "cite": f.citation,
                "cells": [],
            },
        )
        row["cells"].append(f)
    rows = sorted(grid.values(), key=lambda r: (selectors.rule_sort_key(r["code"]), r["org"]))
    return render(
        request,
        "standards/board.html",
        {
            "org": org,
            "form": form,
            "year": year,
            "month_period": month_period,
            "month_label": P.display(month_period),
            "open_items": open_items,
            "month_items": sort_worst_first(month_findings),
            "rows": rows,
            "summary": summarize(year_findings),
            "rule_filter": rule_filter,
            "due_soon": due_soon_days(),
            "months": range(1, 13),
            "evaluated_at": evaluated_at,
            "pending": pending,
            "changed": changed,
            "kept_year": year if year <= today.year else None,
        },
    )


@manager_required
@require_POST
def board_refresh(request, org_id: int):
    """重新评估: evaluate a year (``year``, default this one) for one org's subtree now and
    keep the result."""
    org = _org_for(request, org_id)
    this_year = P.local_today().year
    year = request.POST.get("year", "")
    year = int(year) if year.isdigit() and 1900 <= int(year) <= this_year else this_year
    try:
        count = services.findings_refresh(actor=request.user, org=org, year=year)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已重新评估{org.name} {year} 年度合规情况，共 {count} 项")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return redirect(back)
    return redirect("standards:board_org", org_id=org.pk)


# The committees' and general branches' own items listed under the heat map, worst first:
# a province has some 30,000 (a 10 MB page); all of them are in the Excel export.
OWN_ITEMS_SHOWN = 100


@manager_required
@require_GET
def heatmap(request, org_id: int | None = None):
    """Leaders' heat map: one row per sub-org (the aggregate of its branches) or per
    branch (``?rows=branches``), one column per rule; the own findings of committees and
    general branches below the table."""
    org = _org_for(request, org_id)
    form, period, _ = _period_from(request)
    level = "branches" if request.GET.get("rows") == "branches" else "children"
    data = selectors.heatmap(org, period, level=level, own_limit=OWN_ITEMS_SHOWN)
    page = paginate(request, data["rows"], per_page=100)
    shorts = short_titles(
        [*data["codes"], *data["own_codes"]], {**data["own_titles"], **data["titles"]}
    )
    columns = [{"code": c, "title": data["titles"][c], "short": shorts[c]} for c in data["codes"]]
    own_items = []
    for row in data["own"]:
        for code, cell in row["cells"]:
            for f in sort_worst_first((cell or {}).get("findings", [])):
                own_items.append({"org": row["org"], "short": shorts[code], "f": f})
    own_items.sort(key=lambda i: (STATUS_ORDER.get(i["f"].status, 9), i["org"].path))
    own_items = own_items[:OWN_ITEMS_SHOWN]
    own_more = data["own_total"] - len(own_items)  # the rest are in the Excel export
    return render(
        request,
        "standards/heatmap.html",
        {
            "org": org,
            "form": form,
            "period": period,
            "period_label": P.display(period),
            "columns": columns,
            "page": page,
            "query": query_without_page(request),
            "summary": data["summary"],
            "evaluated_at": data["evaluated_at"],
            "pending": data["pending"],
            "changed": data["changed"],
            "kept_year": _kept_year(period),
            "period_query": _period_query(period),
            "level": level,
            "own_items": own_items,
            "own_more": own_more,
        },
        partial="grid",
    )


def _period_query(period) -> str:
    if period.kind == "month":
        return f"year={period.start.year}&month={period.start.month}"
    if period.kind == "quarter":
        return f"year={period.start.year}&quarter={(period.start.month - 1) // 3 + 1}"
    return f"year={period.start.year}"


@manager_required
@require_GET
def heatmap_export(request, org_id: int):
    org = _org_for(request, org_id)
    _, period, _ = _period_from(request)
    level = "branches" if request.GET.get("rows") == "branches" else "children"
    data = selectors.heatmap(org, period, level=level)
    if data["pending"]:
        messages.info(request, "评估结果尚未生成，已交后台评估，完成后再导出")
        page = reverse("standards:heatmap_org", args=[org.pk])
        return redirect(f"{page}?{_period_query(period)}")
    data["shorts"] = short_titles(
        [*data["codes"], *data["own_codes"]], {**data["own_titles"], **data["titles"]}
    )
    data["own_findings"] = [
        (
            row["org"].name,
            f"{data['shorts'][code]}（{code}）",
            STATUS_LABELS.get(f.status, f.status),
            f.message,
        )
        for row in data["own"]
        for code, cell in row["cells"]
        for f in sort_worst_first((cell or {}).get("findings", []))
    ]
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return HeatmapExporter(data, period=P.display(period)).response(
        f"合规热力图-{org.name}-{period.label}", fmt
    )
