"""The compliance engine: evaluate every rule in force for an org subtree and a period.

    findings = evaluate(org, periods.year(2026))

How a period is judged
----------------------
A rule has a period kind (``params["period"]`` or its checker's default: month, quarter,
year, or "none" for a state such as the size of a branch). For the period asked for (the
*outer* period) the engine takes every period of the rule's kind that overlaps it (a
quarterly rule asked for March is judged on Q1), skips those that have not started yet,
and judges each one by the rule version in force on **its first day**. So when a
administrator turns the branch lecture from quarterly into monthly from 1 July, Q1 and Q2
are judged quarterly by version 1 and July onwards monthly by version 2; if a version
starts mid-period (15 August), the period that started before (Q3) keeps the old version.

Statuses
--------
- ok: met;
- pending: not met, the period still running, its end further away than the "due soon"
  window (``STANDARDS_DUE_SOON_DAYS``, default 14 days) — shown as 待完成, not in the rate;
- due: not met, the period ends within the window (or, for a rule with a preferred
  quarter, that quarter has begun) — reminders go out for these;
- overdue: not met, the period is over but the outer period is still running (it can
  still be put right this year: a 补开 meeting, an election);
- violation: not met and the outer period is over too, or a fact that is wrong now
  (structure rules).

Set-based: one query for the rule versions, one for the subtree's orgs, one for member
counts, one for all meeting counts (conditional counts per local month), and at most one
per other rule. Reads shared by several checkers are *facts* that the apps contribute
(``standards.registry.fact``: ``member_counts`` from members, ``meeting_counts`` from
meetings), loaded once per evaluation by ``Facts.get``; the engine imports no domain app.
Nothing runs per org, so the number of queries does not depend on the
number of branches.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from dangjian.core.bulk import gc_paused, plain_rows
from dangjian.core.scope import org_tree
from dangjian.standards import periods as P
from dangjian.standards.models import Rule
from dangjian.standards.registry import (
    CHECKERS,
    FACTS,
    CheckContext,
    Finding,
    Period,
    applies,
    counts_members,
)
from dangjian.standards.registry import STATUS_CSS as STATUS_CSS  # re-exported
from dangjian.standards.registry import STATUS_LABELS as STATUS_LABELS  # re-exported

S = Finding.Status
STATUS_ORDER = {S.VIOLATION: 0, S.OVERDUE: 1, S.DUE: 2, S.PENDING: 3, S.OK: 4}
COUNTED = (S.OK, S.DUE, S.OVERDUE, S.VIOLATION)


def due_soon_days() -> int:
    return int(getattr(settings, "STANDARDS_DUE_SOON_DAYS", 14))


class OrgRow(NamedTuple):
    """One org of the evaluated subtree (a tuple: thousands are built per evaluation)."""

    id: int
    name: str
    kind: str
    path: str
    parent_id: int | None


class Facts:
    """Reads shared by all checkers of one evaluation, each one set-based and done once."""

    def __init__(
        self, root, today: dt.date, span: Period, plans: list[Plan] | None = None, only=None
    ):
        self.root = root
        self.only = only  # judge only these orgs of the subtree (None: every org)
        self.today = today
        self.span = span
        self.plans = plans  # what this evaluation judges (None: not known, read everything)
        self.kinds = _kinds_of(plans)  # the org kinds its rules apply to (None: every kind)
        self._targets: dict[str, list[OrgRow]] = {}
        self._memo: dict[str, object] = {}

    def in_subtree(self, qs, path_lookup: str):
        """Restrict ``qs`` to the subtree. For a top-level root the join to the org table is
        left out (rows of other trees are ignored later: they belong to no target org),
        which lets SQLite answer from a covering index. Below the top, the rows' org is one
        of the subtree's (``org IN (SELECT id … path LIKE …)``): the databases start from
        those few orgs' rows by index, where a join filtered on the path read every row
        (SQLite cannot use an index for the ORM's ``LIKE … ESCAPE``: a branch's MTG-10 read
        all 370,000 attendance rows of a city, 0.5 s)."""
        if self.root.parent_id is None:
            return qs
        field = path_lookup.removesuffix("path").rstrip("_")
        return qs.filter(**{f"{field}__in": self._subtree_ids})

    @cached_property
    def _subtree_ids(self):
        return org_tree().model.objects.in_subtree(self.root).values("pk")

    def memo(self, key: str, load):
        """A read shared by several checkers of this evaluation, done once."""
        if key not in self._memo:
            self._memo[key] = load()
        return self._memo[key]

    def planned(self, checker: str) -> list[dict] | None:
        """The params of every rule version of ``checker`` this evaluation judges, so a fact
        reads only what they need (None: not known)."""
        if self.plans is None:
            return None
        return [p.rule.params or {} for p in self.plans if p.rule.checker == checker]

    def get(self, name: str):
        """The fact ``name`` contributed by an app (``standards.registry.fact``), loaded
        once per evaluation."""
        load = FACTS.get(name)
        if load is None:
            raise ImproperlyConfigured(f"No app contributes the fact {name!r} (registry.fact)")
        return self.memo(f"fact:{name}", lambda: load(self))

    @cached_property
    def orgs(self) -> dict[int, OrgRow]:
        """The subtree's active orgs, by id: only those of ``kinds`` when every rule judged
        says which kinds it applies to (a rule of branches does not read the groups)."""
        qs = org_tree().model.objects.active().in_subtree(self.root)
        if self.kinds is not None:
            qs = qs.filter(kind__in=sorted(self.kinds))
        rows = qs.order_by("path").values_list("id", "name", "kind", "path", "parent_id")
        make = OrgRow._make
        return {r[0]: make(r) for r in plain_rows(rows)}

    def names(self, org_ids) -> dict[int, str]:
        """Names of ``org_ids``: from ``orgs``, the ones outside its kinds read at once."""
        orgs = self.orgs
        out = {i: orgs[i].name for i in org_ids if i in orgs}
        missing = [i for i in org_ids if i not in orgs]
        if missing:
            out.update(org_tree().model.objects.filter(pk__in=missing).values_list("pk", "name"))
        return out

    @cached_property
    def _paths(self) -> dict[str, int]:
        """Every active org of the subtree by path (``orgs`` may hold some kinds only)."""
        if self.kinds is None:
            return {row.path: row.id for row in self.orgs.values()}
        qs = org_tree().model.objects.active().in_subtree(self.root)
        return dict(qs.values_list("path", "id").order_by())

    @property
    def _member_counts(self) -> dict[int, dict[str, int]]:
        """Full and probationary members on the rolls per org (the fact ``member_counts``)."""
        return self.get("member_counts")

    @cached_property
    def _subtree_counts(self) -> dict[int, dict[str, int]]:
        step = org_tree().path_step
        by_path = self._paths
        path_of = {pk: path for path, pk in by_path.items()}
        out: dict[int, dict[str, int]] = defaultdict(lambda: {"full": 0, "probationary": 0})
        for org_id, counts in self._member_counts.items():
            path = path_of.get(org_id)
            if path is None:
                continue
            for end in range(len(self.root.path), len(path) + 1, step):
                ancestor = by_path.get(path[:end])
                if ancestor is not None:
                    out[ancestor]["full"] += counts["full"]
                    out[ancestor]["probationary"] += counts["probationary"]
        return out

    def full_members(self, org_id: int, scope: str = "direct") -> int:
        table = self._subtree_counts if scope == "subtree" else self._member_counts
        return table[org_id]["full"] if org_id in table else 0

    def party_members(self, org_id: int, scope: str = "direct") -> int:
        table = self._subtree_counts if scope == "subtree" else self._member_counts
        if org_id not in table:
            return 0
        return table[org_id]["full"] + table[org_id]["probationary"]

    def targets(self, applies_to: dict) -> list[OrgRow]:
        """Orgs of the subtree a rule applies to (``registry.applies``: ``kinds`` and
        ``min_full_members`` / ``max_full_members``, direct full members on the rolls)."""
        key = repr(sorted((k, repr(v)) for k, v in (applies_to or {}).items()))
        if key in self._targets:
            return self._targets[key]
        sized = counts_members(applies_to)
        # The kinds first (a set lookup), ``applies`` then only for the orgs of those kinds.
        wanted = set((applies_to or {}).get("kinds") or ())
        rows = [
            r
            for r in self.orgs.values()
            if (not wanted or r.kind in wanted) and (self.only is None or r.id in self.only)
        ]
        # Without a size bound the kinds were all ``applies`` would check.
        out = (
            [row for row in rows if applies(applies_to, (row.kind,), self.full_members(row.id))]
            if sized
            else rows
        )
        self._targets[key] = out
        return out

    @cached_property
    def months(self) -> list[Period]:
        return P.covering("month", self.span)

    @cached_property
    def _month_index(self) -> dict[dt.date, int]:
        return {m.start: i for i, m in enumerate(self.months)}

    def month_slice(self, period: Period) -> tuple[int, int]:
        """Indexes of ``period``'s months among ``months`` (0, 0 if outside the span): for
        facts kept as one bucket per month."""
        first = self._month_index.get(period.start)
        if first is None:
            return 0, 0
        return first, first + P.ORDER[period.kind]


def _kinds_of(plans: list[Plan] | None) -> frozenset[str] | None:
    """The org kinds the rules of ``plans`` apply to; None when one of them names none."""
    if plans is None:
        return None
    kinds: set[str] = set()
    for item in plans:
        named = (item.rule.applies_to or {}).get("kinds")
        if not named:
            return None
        kinds.update(named)
    return frozenset(kinds)


@dataclass
class Plan:
    rule: Rule
    checker: object
    periods: list[Period]
    kind: str


def _version_at(versions: list[Rule], day: dt.date) -> Rule | None:
    best = None
    for v in versions:
        in_force = v.effective_from <= day and (v.effective_to is None or day < v.effective_to)
        if in_force and (best is None or v.version > best.version):
            best = v
    return best


def rule_period(rule: Rule) -> str:
    checker = CHECKERS.get(rule.checker)
    kind = (rule.params or {}).get("period") or (checker.period if checker else "none")
    return kind if kind in P.ORDER else "none"


def plan(period: Period, today: dt.date, codes=None) -> list[Plan]:
    """Which rule version judges which sub-periods of ``period``: one query."""
    wide_start = P.containing("year", period.start).start
    wide_end = P.containing("year", period.end - dt.timedelta(days=1)).end
    qs = (
        Rule.objects.select_related("standard")
        .exclude(checker="")
        .filter(effective_from__lt=wide_end)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=wide_start))
        .order_by("code", "version")
    )
    if codes:
        qs = qs.filter(code__in=list(codes))
    by_code: dict[str, list[Rule]] = defaultdict(list)
    for rule in qs:
        by_code[rule.code].append(rule)
    plans = []
    for versions in by_code.values():
        plans.extend(plans_for(versions, period, today))
    return plans


def plans_for(versions: list[Rule], period: Period, today: dt.date) -> list[Plan]:
    """For the versions of ONE rule: which version judges which sub-periods of ``period``.
    Each sub-period goes to the version in force on its first day; sub-periods that have
    not started by ``today`` are not judged yet."""
    plans = []
    for version in versions:
        checker = CHECKERS.get(version.checker)
        if checker is None or not version.enabled:
            continue
        kind = rule_period(version)
        if kind == "none":
            judged_on = min(today, period.end - dt.timedelta(days=1))
            if period.start <= today and _version_at(versions, judged_on) is version:
                plans.append(Plan(version, checker, [period], kind))
            continue
        subs = [
            s
            for s in P.covering(kind, period)
            if s.start <= today and _version_at(versions, s.start) is version
        ]
        if subs:
            plans.append(Plan(version, checker, subs, kind))
    return plans


_LINKS: dict[tuple[str, ...], str] = {}


def link_base(names: tuple[str, ...]) -> str:
    """The first of ``names`` that reverses (a module not installed yet gives no link)."""
    if names not in _LINKS:
        url = ""
        for name in names:
            try:
                url = reverse(name)
                break
            except NoReverseMatch:
                continue
            except ImportError:  # the URLconf itself does not load: no links, never a crash
                return ""
        _LINKS[names] = url
    return _LINKS[names]


def evaluate(
    root,
    period: Period,
    *,
    today: dt.date | None = None,
    codes=None,
    due_soon: int | None = None,
    only=None,
) -> list[Finding]:
    """Findings for every rule in force, every org of ``root``'s subtree, over ``period``
    (``codes``: those rules only; ``only``: a set of org ids of the subtree, the findings of
    those orgs only, judged on the facts of the whole subtree)."""
    today = today or P.local_today()
    due_soon = due_soon_days() if due_soon is None else due_soon
    plans = plan(period, today, codes)
    if not plans:
        return []
    span = Period(
        "span",
        min(s.start for p in plans for s in p.periods),
        max(s.end for p in plans for s in p.periods),
        "",
    )
    # Month-align the span so meeting buckets are whole local months.
    span = Period("span", P.containing("month", span.start).start, span.end, "")
    facts = Facts(root, today, span, plans, only)
    with gc_paused():  # a city's year is 200,000 findings, a province's 3.5 million
        return _evaluate(plans, facts, root, period, today, due_soon, only)


def _evaluate(plans, facts, root, period, today, due_soon, only) -> list[Finding]:
    findings: list[Finding] = []
    for item in plans:
        checker = item.checker
        ctx = CheckContext(
            rule=item.rule,
            root=root,
            period=item.periods[0],
            today=today,
            params=item.rule.params or {},
            periods=item.periods,
            outer=period,
            facts=facts,
            due_soon_days=due_soon,
        )
        base = link_base(checker.link) if checker.link else ""
        if checker.batch:
            results = list(checker.func(ctx))
        else:
            results = []
            for sub in item.periods:
                ctx.period = sub
                ctx.periods = [sub]
                results.extend(checker.func(ctx))
        if only is not None:  # a checker reading its own org list judged them all
            results = [f for f in results if f.org_id in only]
        _finish(results, item.rule, ctx, facts, base)
        findings.extend(results)
    return findings


def _finish(results: list[Finding], rule: Rule, ctx: CheckContext, facts: Facts, base: str):
    """Fill in what a checker left empty (rule title, citation, severity, org name, link).
    A checker that builds complete findings itself (the hot meeting checker) is skipped."""
    if all(f.citation and f.org_name for f in results):
        return
    cite = ctx.cite()
    names = facts.names({f.org_id for f in results if not f.org_name and f.org_id})
    for f in results:
        f.rule_code = rule.code
        f.rule_version = rule.version
        f.rule_title = rule.title
        f.citation = f.citation or cite
        f.severity = rule.severity
        if not f.org_name and f.org_id in names:
            f.org_name = names[f.org_id]
        if not f.link and base:
            f.link = f"{base}?org={f.org_id}" if f.org_id else base


def summarize(findings) -> dict:
    """Counts per status and the compliance rate: met / (met + due + overdue + violation).
    Pending items (deadline still well ahead) are counted apart and left out of the rate."""
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.status] = counts.get(f.status, 0) + 1
    return summarize_counts(counts)


def summarize_counts(found: dict[str, int]) -> dict:
    """``summarize`` from the number of findings per status."""
    counts = dict.fromkeys((*COUNTED, S.PENDING), 0)
    counts.update(found)
    judged = sum(counts[s] for s in COUNTED)
    rate = counts[S.OK] / judged if judged else 1.0
    return {
        "ok": counts[S.OK],
        "due": counts[S.DUE],
        "overdue": counts[S.OVERDUE],
        "violation": counts[S.VIOLATION],
        "pending": counts[S.PENDING],
        "rate": round(rate, 4),
    }


def sort_worst_first(findings: list[Finding]) -> list[Finding]:
    return sorted(
        findings, key=lambda f: (STATUS_ORDER.get(f.status, 9), f.rule_code, f.period, f.org_id)
    )
