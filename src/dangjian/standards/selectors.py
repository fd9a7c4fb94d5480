"""Reads of the standards library used by every app: which rule version is in force."""

from __future__ import annotations

import datetime as dt

from dangjian.core.errors import DomainError
from dangjian.standards.models import Rule


def rule_in_force(code: str, on: dt.date | None = None) -> Rule:
    """The version of rule ``code`` in force on ``on`` (today by default).

    Raises DomainError when the library has no such rule in force (load it with
    ``dangjian standards load``)."""
    on = on or dt.date.today()
    rule = (
        Rule.objects.select_related("standard")
        .in_force(on)
        .filter(code=code, enabled=True)
        .order_by("-version")
        .first()
    )
    if rule is None:
        raise DomainError(f"标准库中没有 {on} 生效的规则 {code}，请先加载或启用该规则", rule=code)
    return rule


def rule_versions(code: str) -> list[Rule]:
    return list(Rule.objects.filter(code=code).order_by("version"))


# ---- the library ---------------------------------------------------------------------


def current_rules(on: dt.date | None = None):
    """One row per rule code: the version in force on ``on`` (today), newest first."""
    on = on or dt.date.today()
    return list(Rule.objects.select_related("standard").in_force(on).order_by("code", "-version"))


def latest_versions() -> list[Rule]:
    """The newest version of every rule (in force or scheduled), ordered by code."""
    seen: dict[str, Rule] = {}
    for rule in Rule.objects.select_related("standard").order_by("code", "-version"):
        seen.setdefault(rule.code, rule)
    return sorted(seen.values(), key=rule_sort_key)


def rule_sort_key(rule):
    code = rule if isinstance(rule, str) else rule.code
    prefix, _, rest = code.partition("-")
    digits = "".join(ch for ch in rest if ch.isdigit())
    return (prefix, int(digits) if digits else 0, rest)


def standards_with_rules():
    """Standards by category with their articles and the (newest) rules of each article:
    three queries."""
    from dangjian.standards.models import Article, Standard

    standards = list(Standard.objects.order_by("category", "effective_on", "code"))
    articles = list(Article.objects.order_by("standard_id", "sort", "id"))
    rules = latest_versions()
    by_std: dict[int, list] = {}
    for art in articles:
        art.rule_list = []
        by_std.setdefault(art.standard_id, []).append(art)
    rules_by_std: dict[int, list] = {}
    for rule in rules:
        rules_by_std.setdefault(rule.standard_id, []).append(rule)
        for art in by_std.get(rule.standard_id, []):
            if art.number == rule.article:
                art.rule_list.append(rule)
    for std in standards:
        std.article_list = by_std.get(std.pk, [])
        std.rule_list = rules_by_std.get(std.pk, [])
    return standards


# ---- compliance ----------------------------------------------------------------------

OPEN = ("violation", "overdue", "due")


def default_org(user):
    """The org a user's compliance pages open on: the top of their reach (a branch
    secretary: the branch)."""
    from dangjian.core.scope import reach_of
    from dangjian.orgs.models import Org

    reach = reach_of(user)
    qs = Org.objects.active()
    if reach.everything:
        return qs.filter(parent__isnull=True).order_by("path").first()
    if reach.paths:
        return qs.filter(path__in=reach.paths).order_by("path").first()
    return None


def open_findings(user, org, *, today: dt.date | None = None, limit: int | None = None):
    """Open findings (violation, overdue, due) of ``org``'s subtree this year, worst
    first; empty when ``org`` is outside the user's reach. For the branch home page."""
    from dangjian.orgs.models import Org
    from dangjian.standards import periods as P
    from dangjian.standards.engine import evaluate, sort_worst_first

    if org is None or not Org.objects.manageable_by(user).filter(pk=org.pk).exists():
        return []
    today = today or P.local_today()
    findings = [f for f in evaluate(org, P.year(today.year), today=today) if f.status in OPEN]
    findings = sort_worst_first(findings)
    return findings[:limit] if limit else findings


def heatmap(root, period, *, today: dt.date | None = None):
    """Branches × rules for ``root``'s subtree: per cell the met/judged counts, the rate
    and the worst status; rows worst first. Group findings count for their branch."""
    from dangjian.standards.engine import COUNTED, STATUS_ORDER, evaluate

    findings = evaluate(root, period, today=today)
    orgs = _orgs_of(root)
    cells: dict[tuple[int, str], dict] = {}
    columns: dict[str, str] = {}
    for f in findings:
        row_id = f.org_id
        org = orgs.get(row_id)
        if org is not None and org.kind == "group" and org.parent_id in orgs:
            row_id = org.parent_id
        columns.setdefault(f.rule_code, f.rule_title)
        cell = cells.setdefault(
            (row_id, f.rule_code), {"ok": 0, "judged": 0, "worst": "ok", "open": 0}
        )
        if f.status in COUNTED:
            cell["judged"] += 1
            cell["ok"] += f.status == "ok"
        if f.status != "ok" and f.status != "pending":
            cell["open"] += 1
        if STATUS_ORDER.get(f.status, 9) < STATUS_ORDER.get(cell["worst"], 9):
            cell["worst"] = f.status
    codes = sorted(columns, key=rule_sort_key)
    rows = []
    for row_id in {k[0] for k in cells}:
        org = orgs.get(row_id)
        if org is None:
            continue
        ok = judged = 0
        row_cells = []
        for code in codes:
            cell = cells.get((row_id, code))
            if cell:
                ok += cell["ok"]
                judged += cell["judged"]
                cell["rate"] = cell["ok"] / cell["judged"] if cell["judged"] else None
            row_cells.append((code, cell))
        rows.append(
            {
                "org": org,
                "cells": row_cells,
                "ok": ok,
                "judged": judged,
                "rate": ok / judged if judged else 1.0,
            }
        )
    rows.sort(key=lambda r: (r["rate"], -r["judged"], r["org"].path))
    return {"codes": codes, "titles": columns, "rows": rows, "findings": findings}


def _orgs_of(root):
    from dangjian.orgs.models import Org

    return {
        o.pk: o
        for o in Org.objects.active()
        .filter(path__startswith=root.path)
        .only("id", "name", "kind", "path", "parent_id")
    }
