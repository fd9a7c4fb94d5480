"""Reads of the standards library used by every app: which rule version is in force."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Q

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
    from dangjian.standards import kept

    today = today or P.local_today()
    if kept.kept_at(org, today.year, today=today) is not None:
        findings = kept.findings(org, today.year, statuses=OPEN)
    else:
        kept.queue(org)
        found = evaluate(org, P.year(today.year), today=today)
        findings = [f for f in found if f.status in OPEN]
    findings = sort_worst_first(findings)
    return findings[:limit] if limit else findings


BRANCH_KINDS = ("branch", "group")

# Heat-map colours by the worst status of a cell (UI.md: 达标 green, 即将到期 amber,
# 逾期/未达标 red, 缺项 grey dashed).
HEAT_TONES = {"ok": "ok", "due": "due", "overdue": "bad", "violation": "bad"}


def heatmap(
    root,
    period,
    *,
    today: dt.date | None = None,
    level: str = "children",
    own_limit: int | None = None,
):
    """The compliance heat map of ``root``'s subtree.

    Rows (``level="children"``): each direct sub-org of ``root``, the aggregate of the
    branches of its subtree (groups count for their branch); ``root`` itself when it is a
    branch. ``level="branches"``: every branch of the subtree. Columns: the rules judged on
    branches. The findings of committees and general branches about themselves (their
    structural rules) are not mixed into the rows: they are returned as ``own``, one row per
    such org. This year's map is counted from the kept findings (``standards.kept``) when
    they are fresh (``evaluated_at``); otherwise one evaluation (and the tree is queued for
    the worker). No query per org. ``own_limit``: a page listing that many own findings
    (the worst) reads only those from the kept findings and counts the rest
    (``own_total``)."""
    from dangjian.standards import kept
    from dangjian.standards.engine import evaluate, summarize, summarize_counts
    from dangjian.standards.periods import local_today

    today = today or local_today()
    year = period.start.year
    at = own_total = branch_rows = None
    changed = False
    if period.kind == "year" and root.kind != "group":
        at, changed = kept.readable(root, year, today=today)
    pending = False
    if at is None:
        if period.kind == "year" and year <= today.year:
            kept.queue(root, year)
            # A province's year is a minute of evaluation: the worker keeps it, the page
            # says so instead of evaluating on the request (and draws no row).
            pending = kept.too_large(root)
        orgs = _orgs_of(root, children=pending)
        grid = _Grid(root, orgs, level)
        findings = [] if pending else evaluate(root, period, today=today)
        for f in findings:
            grid.add_finding(f)
        summary = summarize(findings)
    else:
        # The rows are read from the kept counts: only the orgs shown are loaded.
        own_counts = None
        if own_limit is None:
            own_findings = kept.own_findings(root, year)
        else:
            own_findings, own_counts = kept.own_worst(root, year, own_limit)
        own_ids = {f.org_id for f in own_findings}
        if level == "branches" and root.kind not in BRANCH_KINDS:
            # Every branch of a province is 20,000 rows: ranked from one grouped count,
            # built only for the page shown (``BranchRows``).
            branch_rows = BranchRows(root, year)
            orgs = _orgs_of(root, children=True, ids=own_ids)
            grid = _Grid(root, orgs, level)
            per_status = kept.branch_status_counts(root, year)
        else:
            if level == "branches":
                counts = kept.heat_counts(year, branches_of=root)
                orgs = _orgs_of(root)
            else:
                orgs = _orgs_of(root, children=True, ids=own_ids)
                shown = [o.pk for o in orgs.values() if o.parent_id == root.pk]
                if root.kind == "branch":
                    shown = [root.pk]
                counts = kept.heat_counts(year, shown)
            grid = _Grid(root, orgs, level)
            grid.add_counts(counts)
            per_status: dict[str, int] = {}
            for _, code, status, n in counts:
                if code:
                    per_status[status] = per_status.get(status, 0) + n
        for f in own_findings:
            grid.add_finding(f)
        for status, n in (own_counts or Counter(f.status for f in own_findings)).items():
            per_status[status] = per_status.get(status, 0) + n
        if own_counts is not None:
            own_total = sum(own_counts.values())
        summary = summarize_counts(per_status)
    if branch_rows is not None:
        codes, titles, rows = branch_rows.codes, branch_rows.titles, branch_rows
    else:
        codes = sorted(grid.columns, key=rule_sort_key)
        titles, rows = grid.columns, _heat_rows(grid.cells, codes, orgs, grid.branches)
    own_codes = sorted(grid.own_columns, key=rule_sort_key)
    own = _heat_rows(grid.own_cells, own_codes, orgs, {})
    own.sort(key=lambda r: r["org"].path)
    if own_total is None:
        own_total = sum(len(cell["findings"]) for cell in grid.own_cells.values())
    return {
        "codes": codes,
        "titles": titles,
        "rows": rows,
        "own_codes": own_codes,
        "own_titles": grid.own_columns,
        "own": own,
        "own_total": own_total,
        "summary": summary,
        "level": level,
        "evaluated_at": at,
        "changed": changed,  # kept, no longer current: being evaluated again
        "pending": pending,  # not kept yet and too large to evaluate on a request
    }


class _Grid:
    """Heat-map cells, from findings one by one or from counts per row, rule and status."""

    def __init__(self, root, orgs, level):
        self.root, self.orgs, self.level = root, orgs, level
        self.by_branch = level == "branches"
        self.cells: dict[tuple[int, str], dict] = {}
        self.columns: dict[str, str] = {}
        self.own_cells: dict[tuple[int, str], dict] = {}
        self.own_columns: dict[str, str] = {}
        self.branch_sets: dict[int, set] = {}
        self.branches: dict[int, int] = {}

    def branch_of(self, org_id):
        org = self.orgs.get(org_id)
        if org is None or org.kind not in BRANCH_KINDS:
            return None
        if org.kind == "group" and org.parent_id in self.orgs:
            return self.orgs[org.parent_id]
        return org

    def row_of(self, branch):
        if self.by_branch or branch.pk == self.root.pk:
            return branch
        node = branch
        while node.parent_id is not None and node.parent_id != self.root.pk:
            node = self.orgs.get(node.parent_id)
            if node is None:
                return None
        return node

    def add_finding(self, f):
        branch = self.branch_of(f.org_id)
        if branch is None:
            if f.org_id in self.orgs:
                self.own_columns.setdefault(f.rule_code, f.rule_title)
                cell = self.own_cells.setdefault((f.org_id, f.rule_code), _new_cell())
                cell.setdefault("findings", []).append(f)
                _add(cell, f.status)
            return
        row = self.row_of(branch)
        if row is None:
            return
        self.columns.setdefault(f.rule_code, f.rule_title)
        self.branch_sets.setdefault(row.pk, set()).add(branch.pk)
        self.branches[row.pk] = len(self.branch_sets[row.pk])
        _add(self.cells.setdefault((row.pk, f.rule_code), _new_cell()), f.status)

    def add_counts(self, counts):
        """Kept counts (``kept.heat_counts``) of the rows' orgs themselves."""
        from dangjian.standards.kept import rule_titles

        titles = rule_titles({code for _, code, _, _ in counts if code})
        for org_id, code, status, n in counts:
            if org_id not in self.orgs:
                continue
            if not code:
                self.branches[org_id] = n
                continue
            self.columns.setdefault(code, titles.get(code, code))
            _add(self.cells.setdefault((org_id, code), _new_cell()), status, n)


def _new_cell():
    return {"ok": 0, "judged": 0, "worst": "ok", "open": 0, "pending": 0}


def _add(cell, status, n=1):
    from dangjian.standards.engine import COUNTED, STATUS_ORDER

    if status in COUNTED:
        cell["judged"] += n
        cell["ok"] += n if status == "ok" else 0
    if status == "pending":
        cell["pending"] += n
    elif status != "ok":
        cell["open"] += n
    if STATUS_ORDER.get(status, 9) < STATUS_ORDER.get(cell["worst"], 9):
        cell["worst"] = status


def _heat_rows(cells, codes, orgs, branches_in) -> list[dict]:
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
                cell["tone"] = HEAT_TONES.get(cell["worst"], "none") if cell["judged"] else "none"
            row_cells.append((code, cell))
        rows.append(
            {
                "org": org,
                "cells": row_cells,
                "ok": ok,
                "judged": judged,
                "rate": ok / judged if judged else None,
                "branches": branches_in.get(row_id, 0),
                "has_children": org.kind not in BRANCH_KINDS,
                "tone": _row_tone(c for _, c in row_cells if c),
            }
        )
    # Worst first; rows with nothing judged yet last.
    rows.sort(key=lambda r: (r["rate"] is None, r["rate"] or 0, -r["judged"], r["org"].path))
    return rows


class BranchRows:
    """Every branch of ``root``'s subtree as heat-map rows from the kept counts, in the
    page's order (worst rate first, nothing judged last, more judged first, path), a
    sequence the paginator slices: the order comes from one grouped count per branch;
    a slice reads the cells of its branches only."""

    def __init__(self, root, year: int):
        from dangjian.standards import kept

        self.root, self.year = root, year
        ranked = kept.branch_rates(year, root)  # (org id, path, ok, judged)
        ranked.sort(key=lambda r: (r[3] == 0, r[2] / r[3] if r[3] else 0, -r[3], r[1]))
        self.ids = [r[0] for r in ranked]
        self.titles = kept.rule_titles(kept.branch_codes(year, root))
        self.codes = sorted(self.titles, key=rule_sort_key)

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        from dangjian.standards import kept

        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        ids = self.ids[index]
        if not ids:
            return []
        wanted = set(ids)
        orgs = {pk: o for pk, o in _orgs_of(self.root, ids=ids).items() if pk in wanted}
        grid = _Grid(self.root, orgs, "branches")
        grid.add_counts(kept.heat_counts(self.year, ids))
        rows = _heat_rows(grid.cells, self.codes, orgs, grid.branches)
        order = {pk: i for i, pk in enumerate(ids)}
        rows.sort(key=lambda r: order[r["org"].pk])
        return rows

    def __iter__(self):
        step = 500
        for start in range(0, len(self.ids), step):
            yield from self[start : start + step]


def _row_tone(cells) -> str:
    tones = {c["tone"] for c in cells}
    for tone in ("bad", "due", "ok"):
        if tone in tones:
            return tone
    return "none"


def _orgs_of(root, *, children: bool = False, ids=None):
    """The active orgs of ``root``'s subtree; with ``children`` or ``ids``, only ``root``,
    its children and the orgs ``ids``."""
    from dangjian.orgs.models import Org

    qs = Org.objects.active().in_subtree(root)
    if children or ids is not None:
        q = Q(pk=root.pk) | Q(pk__in=list(ids or ()))
        if children:
            q |= Q(parent_id=root.pk)
        qs = qs.filter(q)
    return {o.pk: o for o in qs.only("id", "name", "kind", "path", "parent_id")}
