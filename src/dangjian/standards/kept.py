"""Findings kept, not recomputed: the evaluated findings of this year, stored per org, rule
and period (``KeptFinding``), read by the heat map, the compliance board and the workbench.

Who writes them
---------------
- the worker: apps declare which of their events change the facts behind a rule
  (``standards.registry.watch`` in their ``rules.py``: a meeting held, a payment recorded,
  a member moved). Saving or deleting such a row marks the org stale (``StaleMark``) and,
  when the transaction commits, enqueues ``standards.tasks.refresh_findings``, which
  re-evaluates every stale subtree and keeps the result;
- nightly: ``dangjian standards evaluate`` (cron) re-evaluates every tree, so the statuses
  follow the calendar (a period running out turns 待完成 into 即将到期);
- on demand: "重新评估" on the board of one org (``refresh_one``, audited).

Who reads them
--------------
``kept_at(org, year)`` says whether the kept findings of ``org``'s subtree can be read: an
evaluation covering it (of the org or an ancestor) done today (Beijing time) — for a closed
year, after it closed — and no stale mark of the year set since on it, its ancestors
(whole-tree changes) or below it. When they cannot, the pages evaluate live as before and
the org's tree is queued for the worker (``queue``), so a fresh install works and the page
says the evaluation is queued; a subtree too large to evaluate on a request reads them
anyway, marked as being evaluated again (``readable``).

Writing is set-based: one evaluation of the subtree, one bulk upsert of its findings, one
delete of the rows the evaluation did not produce. The heat map's summary is kept with them
(``KeptCount``): the findings of the subtree's branches counted per org, rule and status,
every org's row covering all the branches below it; the counts of the orgs above the
evaluated one are then summed again from their children's rows. So the heat map of any
org reads the rows of its children (or its branches), never aggregates the findings.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, DateField, F, Q, Sum, Value, When
from django.db.models.functions import Collate, Concat
from django.utils import timezone
from django_tasks import task

from dangjian.core.bulk import db_values, upsert_rows
from dangjian.core.scope import lineage, org_tree, subtree_q
from dangjian.core.signals import bulk_loaded, in_bulk_load
from dangjian.standards import periods as P
from dangjian.standards.models import (
    Evaluation,
    KeptCount,
    KeptFinding,
    KeptOpenCount,
    Rule,
    StaleMark,
)
from dangjian.standards.registry import WATCHES, Finding

log = logging.getLogger(__name__)

FIELDS = (
    "rule_code",
    "rule_version",
    "rule_title",
    "citation",
    "severity",
    "period",
    "member_name",
    "status",
    "expected",
    "actual",
    "message",
    "link",
    "due_on",
    "org_name",
)
JSON_FIELDS = {"expected", "actual"}
UNIQUE_COLUMNS = ("year", "org_id", "rule_code", "period", "member_id")  # kept_finding_unique
BATCH = 2000


def _org_model():
    return org_tree().model


# ---- marking stale ---------------------------------------------------------------------


def mark(org_ids, *, whole_tree: bool = False, above: bool = False, years=()) -> None:
    """The facts behind the findings of these orgs' subtrees changed: mark them stale for
    this year and ``years`` (closed years whose facts changed: a meeting of last year
    recorded late) — their whole tree with ``whole_tree``; with ``above``, the own findings
    of every org above them too (member counts) — and, once the transaction commits, wake
    the worker."""
    ids = {i for i in org_ids if i}
    if not ids:
        return
    this_year = P.local_today().year
    marked = {this_year} | {y for y in years if y and y <= this_year}
    if whole_tree or above:
        paths = set(_org_model().objects.filter(pk__in=ids).values_list("path", flat=True))
    if whole_tree:
        step = org_tree().path_step
        tops = _org_model().objects.filter(path__in={p[:step] for p in paths})
        ids = set(tops.values_list("pk", flat=True))
    own: set[int] = set()
    if above:
        uppers = {up for p in paths for up in lineage(p)[:-1]}
        own = set(_org_model().objects.filter(path__in=uppers).values_list("pk", flat=True))
        own -= ids
    created = False
    for year in sorted(marked):
        for org_id in sorted(ids):
            _, new = StaleMark.objects.update_or_create(
                org_id=org_id, year=year, defaults={"whole": True}
            )
            created = created or new
        for org_id in sorted(own):
            # A mark of its subtree, if there is one, covers its own findings: kept whole.
            stale, new = StaleMark.objects.get_or_create(
                org_id=org_id, year=year, defaults={"whole": False}
            )
            if not new:
                stale.save(update_fields=["marked_at"])
            created = created or new
    if created:
        transaction.on_commit(_enqueue)


def mark_everything() -> None:
    """A rule changed: every tree is stale, this year and the closed years kept."""
    closed = Evaluation.objects.filter(year__lt=P.local_today().year).values_list("year", flat=True)
    mark(
        _org_model().objects.filter(parent__isnull=True).values_list("pk", flat=True),
        years=set(closed.distinct()),
    )


def queue(org, year: int | None = None) -> None:
    """Nothing kept (or kept yesterday) for ``org`` and ``year`` (default this year): have
    the worker evaluate its tree."""
    year = year or P.local_today().year
    top = _org_model().objects.filter(path=lineage(org.path)[0]).values_list("pk", flat=True)
    for org_id in top:
        stale, new = StaleMark.objects.get_or_create(org_id=org_id, year=year)
        if not new and not stale.whole:  # marked for its own findings only: now its tree
            stale.whole = new = True
            stale.save(update_fields=["whole", "marked_at"])
        if new:
            transaction.on_commit(_enqueue)


def _enqueue() -> None:
    refresh_findings.enqueue()


def _on_change(watch):
    def receiver(sender, instance, raw=False, **kwargs):
        if raw or in_bulk_load():  # fixtures; a bulk load marks every tree when it ends
            return
        try:
            org_ids = list(watch.orgs(instance)) + getattr(instance, "_watched_before", [])
            years = set(watch.years(instance)) if watch.years else set()
            years |= getattr(instance, "_watched_years_before", set())
        except Exception:  # a hook must never break the write it watches
            log.exception("standards watch %s failed", watch.model)
            return
        mark(org_ids, whole_tree=watch.whole_tree, above=watch.above, years=years)

    return receiver


def _before_change(watch, model):
    """For a watch whose rows move (``moves``, ``above``): the orgs and years of the row as
    it was before the save (a member moved out of a branch changes that branch's counts
    too; a meeting moved out of a closed year changes that year)."""

    def receiver(sender, instance, raw=False, **kwargs):
        if raw or in_bulk_load() or instance.pk is None:
            return
        try:
            before = model._base_manager.filter(pk=instance.pk).first()
            instance._watched_before = list(watch.orgs(before)) if before else []
            instance._watched_years_before = (
                set(watch.years(before)) if before and watch.years else set()
            )
        except Exception:  # a hook must never break the write it watches
            log.exception("standards watch %s failed", watch.model)

    return receiver


def connect() -> None:
    """Connect every app's watches (``registry.watch``) to the save and delete signals."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save, pre_save

    for i, w in enumerate(WATCHES):
        model = apps.get_model(w.model)
        receiver = _on_change(w)
        uid = f"standards-watch-{i}-{w.model}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
        if w.moves:
            before = _before_change(w, model)
            pre_save.connect(before, sender=model, weak=False, dispatch_uid=f"{uid}-before")
    bulk_loaded.connect(_after_bulk_load, weak=False, dispatch_uid="standards-bulk-loaded")


def _after_bulk_load(sender, **kwargs):
    mark_everything()


# ---- evaluating and keeping -------------------------------------------------------------


def refresh(org, *, today: dt.date | None = None, year: int | None = None) -> int:
    """Evaluate ``year`` (default this year) for ``org``'s subtree and keep the findings;
    returns how many. A group is evaluated with its branch (its findings count for the
    branch)."""
    from dangjian.standards.engine import evaluate

    if org.kind == "group" and org.parent_id:
        org = org.parent
    today = today or P.local_today()
    year = year or today.year
    started = timezone.now()
    findings = evaluate(org, P.year(year), today=today)
    store(org, year, findings, started)
    return len(findings)


@transaction.atomic
def store(root, year: int, findings: list[Finding], at: dt.datetime) -> None:
    """Upsert ``findings`` of ``root``'s subtree, drop the rows of that subtree the
    evaluation did not produce, and record the evaluation; clears the stale marks set
    before ``at`` in the subtree."""
    orgs = {
        pk: (kind, parent_id, path)
        for pk, kind, parent_id, path in _org_model()
        .objects.in_subtree(root)
        .values_list("pk", "kind", "parent_id", "path")
    }

    def branch_of(org_id):
        kind, parent_id, _ = orgs[org_id]
        if kind == "branch":
            return org_id
        if kind == "group" and parent_id in orgs:
            return parent_id
        return None

    _upsert(year, (f for f in findings if f.org_id in orgs), at, branch_of)
    KeptFinding.objects.filter(subtree_q(root), year=year, evaluated_at__lt=at).delete()
    _count(root, year, {pk: path for pk, (_, _, path) in orgs.items()})
    _count_open(root, year, [f for f in findings if f.org_id in orgs])
    Evaluation.objects.update_or_create(org=root, year=year, defaults={"evaluated_at": at})
    StaleMark.objects.filter(subtree_q(root), year=year, marked_at__lte=at).delete()


def _upsert(year: int, findings, at: dt.datetime, branch_of) -> None:
    """Write ``findings`` of ``year`` evaluated ``at`` (one bulk upsert); ``branch_of(org_id)``
    gives the branch each one counts for."""
    columns = ("year", "org_id", "branch_id", "member_id", "evaluated_at", *FIELDS)
    convert = db_values(KeptFinding, columns)
    rows = (
        convert(
            (
                year,
                f.org_id,
                branch_of(f.org_id),
                f.member_id or 0,
                at,
                *(_plain(getattr(f, n)) if n in JSON_FIELDS else getattr(f, n) for n in FIELDS),
            )
        )
        for f in findings
    )
    upsert_rows(KeptFinding, columns, UNIQUE_COLUMNS, rows)


def _count(root, year: int, paths: dict[int, str]) -> None:
    """Keep the heat map's counts of ``root``'s subtree (``paths``: its orgs' paths), then
    of each org above it, summed from its children's rows (one GROUP BY each)."""
    qs = KeptFinding.objects.filter(year=year, branch__isnull=False)
    if root.parent_id is not None or _org_model().objects.filter(parent__isnull=True).count() > 1:
        qs = qs.filter(subtree_q(root, field="branch"))
    per_branch = (
        qs.values("branch_id", "rule_code", "status")
        .annotate(n=Count("id"))
        .values_list("branch_id", "rule_code", "status", "n")
        .order_by()
    )
    by_path = {path: pk for pk, path in paths.items()}
    totals: dict[tuple[int, str, str], int] = {}
    counted: set[int] = set()
    for branch_id, code, status, n in per_branch:
        path = paths.get(branch_id)
        if path is None:
            continue
        ups = [by_path[p] for p in lineage(path) if len(p) >= len(root.path)]
        for org_id in ups:
            totals[(org_id, code, status)] = totals.get((org_id, code, status), 0) + n
        if branch_id not in counted:
            counted.add(branch_id)
            for org_id in ups:
                totals[(org_id, "", "")] = totals.get((org_id, "", ""), 0) + 1
    KeptCount.objects.filter(subtree_q(root), year=year).delete()
    KeptCount.objects.bulk_create(
        [
            KeptCount(year=year, org_id=o, rule_code=c, status=s, n=n)
            for (o, c, s), n in totals.items()
        ],
        batch_size=BATCH,
    )
    above = dict(
        _org_model().objects.filter(path__in=lineage(root.path)[:-1]).values_list("path", "pk")
    )
    for path in sorted(above, key=len, reverse=True):
        org_id = above[path]
        sums = (
            KeptCount.objects.filter(year=year, org__parent_id=org_id)
            .values("rule_code", "status")
            .annotate(total=Sum("n"))
            .values_list("rule_code", "status", "total")
            .order_by()
        )
        rows = [KeptCount(year=year, org_id=org_id, rule_code=c, status=s, n=n) for c, s, n in sums]
        KeptCount.objects.filter(year=year, org_id=org_id).delete()
        KeptCount.objects.bulk_create(rows, batch_size=BATCH)


# Open statuses: the late ones make a workbench row 逾期, the due one 即将到期.
DUE = Finding.Status.DUE
LATE = (Finding.Status.OVERDUE, Finding.Status.VIOLATION)


def _count_open(root, year: int, findings: list[Finding]) -> None:
    """Keep the workbench's rows of each org of ``root``'s subtree (``KeptOpenCount``):
    its (rule, member) pairs with a late finding and with a due one."""
    _count_open_of(subtree_q(root), year, findings)


def _count_open_of(orgs, year: int, findings: list[Finding]) -> None:
    """``_count_open`` for the orgs ``orgs`` (a list of ids, or a ``Q`` of them)."""
    late: dict[int, set] = {}
    due: dict[int, set] = {}
    for f in findings:
        if f.status in LATE:
            late.setdefault(f.org_id, set()).add((f.rule_code, f.member_id or 0))
        elif f.status == DUE:
            due.setdefault(f.org_id, set()).add((f.rule_code, f.member_id or 0))
    scope = orgs if isinstance(orgs, Q) else Q(org_id__in=orgs)
    KeptOpenCount.objects.filter(scope, year=year).delete()
    KeptOpenCount.objects.bulk_create(
        [
            KeptOpenCount(year=year, org_id=o, late=len(late.get(o, ())), due=len(due.get(o, ())))
            for o in late.keys() | due.keys()
        ],
        batch_size=BATCH,
    )


def _plain(value):
    """A value JSON can hold (numbers and text stay as they are)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def refresh_stale(*, today: dt.date | None = None, rounds: int = 3) -> int:
    """Re-evaluate every stale subtree of every year marked (a mark below another mark of
    the same year is covered by it), then the own findings of the orgs marked for those
    only (``refresh_own``) that no subtree re-evaluated covers; marks set meanwhile are
    taken in the next round. Returns the subtrees and orgs evaluated."""
    today = today or P.local_today()
    done = 0
    for _ in range(rounds):
        marks = list(
            StaleMark.objects.filter(year__lte=today.year)
            .select_related("org")
            .order_by("-year", "org__path")
        )
        if not marks:
            break
        roots: dict[int, list] = {}
        for m in marks:
            if not m.whole:
                continue
            org = _refresh_root(m.org)
            year_roots = roots.setdefault(m.year, [])
            if not any(org.path.startswith(r.path) for r in year_roots):
                year_roots[:] = [r for r in year_roots if not r.path.startswith(org.path)]
                year_roots.append(org)
        for year, year_roots in roots.items():
            for org in year_roots:
                refresh(org, today=today, year=year)
                done += 1
        for m in marks:
            covered = any(m.org.path.startswith(r.path) for r in roots.get(m.year, ()))
            if not m.whole and not covered:
                refresh_own(m.org, today=today, year=m.year)
                done += 1
    return done


def refresh_own(org, *, today: dt.date | None = None, year: int | None = None) -> int:
    """Evaluate the findings of ``org`` itself (not of the orgs below it) for ``year`` and
    keep them: the rules for its kind, judged on the facts of its subtree. Returns how
    many."""
    from dangjian.standards.engine import evaluate

    today = today or P.local_today()
    year = year or today.year
    started = timezone.now()
    codes = _codes_for(org.kind)
    findings = evaluate(org, P.year(year), today=today, codes=codes, only={org.pk}) if codes else []
    _store_own(org, year, findings, started)
    return len(findings)


def _codes_for(kind: str) -> list[str]:
    """The rules that judge orgs of ``kind`` (those naming no kinds judge every org)."""
    rules = Rule.objects.exclude(checker="").values_list("code", "applies_to").distinct()
    return sorted(
        {code for code, to in rules if not (to or {}).get("kinds") or kind in to["kinds"]}
    )


@transaction.atomic
def _store_own(org, year: int, findings: list[Finding], at: dt.datetime) -> None:
    """Upsert the findings of ``org`` itself, drop its rows the evaluation did not produce,
    keep its open counts, and clear its own marks set before ``at``. The heat map's counts
    hold the branches' findings only: an org above them has nothing to recount."""
    branch = org.pk if org.kind == "branch" else None
    _upsert(year, findings, at, lambda org_id: branch)
    KeptFinding.objects.filter(year=year, org=org, evaluated_at__lt=at).delete()
    _count_open_of([org.pk], year, findings)
    StaleMark.objects.filter(org=org, year=year, whole=False, marked_at__lte=at).delete()


def _refresh_root(org):
    """A group's findings are evaluated with its branch; a dissolved org with its tree."""
    if org.dissolved_on is not None:
        return _org_model().objects.get(path=lineage(org.path)[0])
    if org.kind == "group" and org.parent_id:
        return org.parent
    return org


@task()
def refresh_findings(*, today: str | None = None) -> int:
    """The worker's job: re-evaluate every stale subtree; returns the subtrees done."""
    return refresh_stale(today=dt.date.fromisoformat(today) if today else None)


def refresh_all(*, today: dt.date | None = None, year: int | None = None) -> int:
    """Every tree, this year (the nightly run), and last year once more if its findings
    were not kept since it closed; or only ``year``. Returns the findings kept."""
    today = today or P.local_today()
    closed = today.year - 1
    total = 0
    for root in _org_model().objects.active().filter(parent__isnull=True).order_by("path"):
        years = [year or today.year]
        final = Evaluation.objects.filter(
            org=root, year=closed, evaluated_at__gte=_closed_at(closed)
        )
        if year is None and not final.exists():
            years.append(closed)
        for y in years:
            total += refresh(root, today=today, year=y)
    return total


def _closed_at(year: int) -> dt.datetime:
    """The moment ``year`` closed (Beijing time): findings kept since are final."""
    return P.at_midnight(dt.date(year + 1, 1, 1))


# ---- reading ----------------------------------------------------------------------------


def kept_at(org, year: int, *, today: dt.date | None = None) -> dt.datetime | None:
    """When the kept findings of ``org``'s subtree for ``year`` were evaluated, if they can
    be read; None: evaluate live (``readable`` says also whether they are current)."""
    return readable(org, year, today=today)[0]


def readable(org, year: int, *, today: dt.date | None = None) -> tuple[dt.datetime | None, bool]:
    """When the kept findings of ``org``'s subtree for ``year`` were evaluated, if they can
    be read (None: evaluate live), and whether they are no longer current.

    They can be read when current: nothing marked stale for the year since on the org, an
    ancestor (a whole-tree change) or below it; this year evaluated today, as the statuses
    follow the calendar; a closed year evaluated after it closed, when every status is
    final. A subtree of more than ``STANDARDS_LIVE_MAX_BRANCHES`` branches (a city, a
    province: a live evaluation takes seconds to a minute) reads them when not current too
    — the page shows when they were evaluated and that the worker is evaluating again."""
    today = today or P.local_today()
    if year > today.year:
        return None, False
    paths = lineage(org.path)
    at = (
        Evaluation.objects.filter(year=year, org__path__in=paths)
        .order_by("-evaluated_at")
        .values_list("evaluated_at", flat=True)
        .first()
    )
    if at is None or (year < today.year and at < _closed_at(year)):
        return None, False
    if year == today.year and P.local_date(at) != today:
        changed = True
    else:
        above = Q(org__path__in=paths[:-1], whole=True)
        marks = StaleMark.objects.filter(above | subtree_q(org), year=year, marked_at__gt=at)
        changed = marks.exists()
    if changed and not too_large(org):
        return None, False
    return at, changed


def live_max_branches() -> int:
    return int(getattr(settings, "STANDARDS_LIVE_MAX_BRANCHES", 500))


def too_large(org) -> bool:
    """Whether ``org``'s subtree has more branches than a request may evaluate live
    (``STANDARDS_LIVE_MAX_BRANCHES``): such a subtree reads its kept findings, or waits
    for the worker to keep them."""
    branches = _org_model().objects.active().in_subtree(org).filter(kind="branch")
    return branches.count() > live_max_branches()


def _subtree(root, year: int):
    """Kept rows of ``root``'s subtree (a top org: every row of its year, no join; kept
    rows of other trees do not exist for a tree that has none)."""
    qs = KeptFinding.objects.filter(year=year)
    if root.parent_id is None and _org_model().objects.filter(parent__isnull=True).count() == 1:
        return qs
    return qs.filter(subtree_q(root))


def findings(root, year: int, *, org_ids=None, statuses=None) -> list[Finding]:
    """The kept findings of ``root``'s subtree (only of ``org_ids`` / ``statuses``)."""
    qs = _subtree(root, year)
    if org_ids is not None:
        qs = qs.filter(org_id__in=list(org_ids))
    if statuses is not None:
        qs = qs.filter(status__in=list(statuses))
    return _findings(qs.order_by("rule_code", "org_id", "period", "member_id"))


def last_evaluated(org, year: int) -> dt.datetime | None:
    """When ``org``'s subtree was last evaluated for ``year``, fresh or not (``kept_at``
    says whether the kept rows may stand for live findings)."""
    return (
        Evaluation.objects.filter(year=year, org__path__in=lineage(org.path))
        .order_by("-evaluated_at")
        .values_list("evaluated_at", flat=True)
        .first()
    )


def rule_counts(root, year: int, codes) -> dict[tuple[str, str], int]:
    """(rule code, status) → kept findings of ``root``'s subtree for the rules ``codes``:
    one grouped query (法规问答's standing)."""
    rows = (
        _subtree(root, year)
        .filter(rule_code__in=list(codes))
        .values_list("rule_code", "status")
        .annotate(n=Count("id"))
    )
    return {(code, status): n for code, status, n in rows}


def own_findings(root, year: int) -> list[Finding]:
    """Kept findings of the subtree's orgs that are not branches or groups."""
    return _findings(_subtree(root, year).filter(branch__isnull=True))


def own_worst(root, year: int, limit: int) -> tuple[list[Finding], dict[str, int]]:
    """The worst of ``own_findings`` for a page that lists ``limit`` of them (by status,
    then the org's path: every finding tied with the ``limit``-th is read too, so the page
    orders them exactly) and all of them counted per status. Three queries; a province's
    30,000 committee findings are counted, not read."""
    from dangjian.standards.engine import STATUS_ORDER

    rows = _own_rows(root, year)
    counts = _own_status_counts(rows)
    rank = Case(
        *[When(status=s, then=Value(i)) for s, i in STATUS_ORDER.items()],
        default=Value(len(STATUS_ORDER)),
    )
    ranked = rows.annotate(rank=rank, org_path=F("org__path"))
    edge = list(
        ranked.order_by("rank", "org_path").values_list("rank", "org_path")[limit - 1 : limit]
    )
    if edge:
        ((worst, path),) = edge
        ranked = ranked.filter(Q(rank__lt=worst) | Q(rank=worst, org_path__lte=path))
    return _findings(ranked), counts


ROW_FIELDS = ("org_id", "member_id", *FIELDS)


def _findings(qs) -> list[Finding]:
    """``Finding``s from kept rows read as values (a model instance per row was two thirds
    of the city heat map's time)."""
    out = []
    for values in qs.values_list(*ROW_FIELDS):
        row = dict(zip(ROW_FIELDS, values, strict=True))
        row["member_id"] = row["member_id"] or None  # 0 keeps an org's finding unique
        out.append(Finding(**row))
    return out


def status_counts(root, year: int) -> dict[str, int]:
    """Kept findings of ``root``'s subtree per status: the branches' from the kept counts
    (``KeptCount``: the row of ``root`` covers every branch below it), the other orgs' own
    findings (committees, general branches: few) counted. Two small reads."""
    if root.kind == "group":  # a group's findings count for its branch: no row of its own
        rows = _subtree(root, year).values("status").annotate(n=Count("id"))
        return dict(rows.values_list("status", "n"))
    out = branch_status_counts(root, year)
    for status, n in _own_status_counts(_own_rows(root, year)).items():
        out[status] = out.get(status, 0) + n
    return out


def _own_rows(root, year: int):
    """Kept findings of the subtree's committees and general branches about themselves
    (no branch). Naming those orgs lets the database read their rows by org instead of
    scanning the year."""
    others = _org_model().objects.in_subtree(root).exclude(kind__in=("branch", "group"))
    return _subtree(root, year).filter(branch__isnull=True, org_id__in=others.values("pk"))


def _own_status_counts(rows) -> dict[str, int]:
    return dict(rows.values("status").annotate(n=Count("id")).values_list("status", "n").order_by())


# A workbench row is one (rule, org, member) with open findings, late or not; one rule has
# at most this many periods a year (months), so that many rows hold a row's findings.
PERIODS_A_YEAR = 12


def open_groups(root, year: int, *, today: dt.date, limit: int):
    """The workbench's rows: kept findings of ``root``'s subtree grouped per rule, org and
    member, late (``LATE``: overdue or violation) or due (``DUE``). Returns the findings
    of the worst ``limit`` rows (late first, then by the earliest deadline, a late row
    whose deadline has not come last, then by rule title and member name) and the number
    of rows, late and not late.

    Set-based and cut in the database: the findings in that order, a few hundred at most
    (a row's findings come in the order of its first one, and a row has at most
    ``PERIODS_A_YEAR``), one read of the chosen rows' findings, and the rows' numbers
    summed from the kept counts (``KeptOpenCount``). A constant number of queries,
    whatever the number of branches."""
    rows = _subtree(root, year)
    key = ("rule_code", "org_id", "member_id")
    who = Case(
        When(member_name="", then=Value("")),
        default=Concat(Value("（"), "member_name", Value("）")),
    )
    what = Concat("rule_title", who)
    if connection.vendor == "postgresql":  # code point order, as Python sorts the rows
        what = Collate(what, "C")

    def worst(statuses, want: int, *, is_late: bool) -> list[tuple]:
        when = F("due_on")
        if is_late:  # a state unmet now (deadline not come): no deadline, listed last
            when = Case(
                When(due_on__gte=today, then=Value(None)),
                default=F("due_on"),
                output_field=DateField(),
            )
        found = rows.filter(status__in=list(statuses))
        # The rows that can come first: those dated no later than the ``n``-th earliest
        # deadline (index ``kept_finding_due``), so a province's million late findings are
        # not all drawn and sorted for twenty rows.
        n = want * PERIODS_A_YEAR
        dated = found.filter(due_on__isnull=False)
        if is_late:
            dated = dated.filter(due_on__lt=today)
        edge = list(dated.order_by("due_on").values_list("due_on", flat=True)[n - 1 : n])
        if edge:
            found = found.filter(due_on__lte=edge[0])
        ordered = (
            found.annotate(when=when, what=what)
            .order_by(F("when").asc(nulls_last=True), "what", *key)
            .values_list(*key)
        )
        chosen: list[tuple] = []
        for k in ordered[:n]:
            if k not in chosen:
                chosen.append(k)
                if len(chosen) == want:
                    break
        return chosen

    late, due = list(LATE), DUE
    late_keys = worst(late, limit, is_late=True) if limit else []
    due_keys = worst([due], limit - len(late_keys), is_late=False) if limit > len(late_keys) else []
    wanted = {(True, *k) for k in late_keys} | {(False, *k) for k in due_keys}
    picked = rows.filter(
        org_id__in={k[2] for k in wanted},
        rule_code__in={k[1] for k in wanted},
        status__in=[*late, due],
    )
    found = [
        f
        for f in _findings(picked)
        if (f.status != due, f.rule_code, f.org_id, f.member_id or 0) in wanted
    ]

    counts = KeptOpenCount.objects.filter(year=year)
    if root.parent_id is not None or _org_model().objects.filter(parent__isnull=True).count() > 1:
        counts = counts.filter(subtree_q(root))
    totals = counts.aggregate(late=Sum("late"), due=Sum("due"))
    return found, (totals["late"] or 0, totals["due"] or 0)


def heat_counts(year: int, org_ids=None, *, branches_of=None):
    """The kept counts (``KeptCount``) of ``org_ids``, or of every branch below the org
    ``branches_of``: (org id, rule code, status, count) rows, each covering the branches of
    that org's subtree; rule code "" counts those branches."""
    qs = KeptCount.objects.filter(year=year)
    if org_ids is not None:
        qs = qs.filter(org_id__in=list(org_ids))
    else:
        qs = qs.filter(subtree_q(branches_of), org__kind="branch")
    return list(qs.values_list("org_id", "rule_code", "status", "n"))


def branch_rates(year: int, root) -> list[tuple[int, str, int, int]]:
    """(branch id, path, findings met, findings judged) of every branch of ``root``'s
    subtree with kept counts: one grouped count over ``KeptCount``."""
    from dangjian.standards.engine import COUNTED

    qs = KeptCount.objects.filter(
        subtree_q(root), year=year, org__kind="branch", org__dissolved_on__isnull=True
    )
    rows = (
        qs.exclude(rule_code="")
        .values("org_id", "org__path")
        .annotate(
            ok=Sum("n", filter=Q(status="ok")),
            judged=Sum("n", filter=Q(status__in=list(COUNTED))),
        )
        .values_list("org_id", "org__path", "ok", "judged")
        .order_by()
    )
    return [(pk, path, ok or 0, judged or 0) for pk, path, ok, judged in rows]


def branch_codes(year: int, root) -> set[str]:
    """The rules judged on the branches of ``root``'s subtree (its own kept counts cover
    them all)."""
    return set(
        KeptCount.objects.filter(year=year, org=root)
        .exclude(rule_code="")
        .values_list("rule_code", flat=True)
        .distinct()
    )


def branch_status_counts(root, year: int) -> dict[str, int]:
    """Kept findings of the branches of ``root``'s subtree per status (``root``'s counts)."""
    rows = (
        KeptCount.objects.filter(year=year, org=root)
        .exclude(rule_code="")
        .values("status")
        .annotate(total=Sum("n"))
        .values_list("status", "total")
        .order_by()
    )
    return dict(rows)


def rule_titles(codes) -> dict[str, str]:
    """The title of each rule code (its newest version)."""
    titles: dict[str, str] = {}
    for code, title in (
        Rule.objects.filter(code__in=list(codes))
        .order_by("code", "-version")
        .values_list("code", "title")
    ):
        titles.setdefault(code, title)
    return titles
