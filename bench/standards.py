"""The compliance engine at city scale (2,000 branches, 50,000 members, 5 years of meetings).

Evaluates every rule in force for the whole tree for one year (the last full year) and
prints the time and query count, next to a raw SQL baseline that computes the same
meeting counts (per org, kind and local month) with ONE grouped query, and the ratio.
Target: within 2x of the baseline and under 2 s on SQLite.

If the city data has no meetings yet, five years of held meetings are added first with
``bulk_create`` (tagged "基准测试", added once): per branch a monthly theme day, a monthly
board meeting where the branch has 7+ full members, a quarterly general meeting and
lecture, a yearly life meeting and heart talks; per group a monthly group meeting; with
some gaps so that the findings are not all "ok".

Per rule, each rule's time is printed next to hand-written SQL for the same rule and the
ratio (best of ``BENCH_REPEAT`` runs each, and of as many as fill a second and a half for
the short ones, so a 20 ms rule is not judged on a few samples of a shared machine, where
the same query varies by a third from one second to the next; the rule, its baseline and
the floor run in turns, so their ratio compares runs made under the same load). The
baseline of a meeting-frequency rule or of MTG-8 is the rule's verdict: every org the
rule applies to (its kinds, its size bounds counted from the rolls) with its held meetings
per local month — a LEFT JOIN, so the orgs that held none, the ones the rule is for, are
there — or with whether its appraisal of the year is finalized. The bench checks that the
verdict's orgs are the engine's, and prints the worst meeting rule against its meeting
counts alone as well (the GROUP BY without the orgs, the baseline until 2026-12-02). A
ratio against a query of a few milliseconds would measure the engine's fixed cost, not
the rule: every rule judges each target org, so any evaluation must at least list the
subtree's orgs. So the ratio is taken against the larger of the baseline and that
*floor* — one hand-written ``SELECT`` of the subtree's active orgs, timed in the same run
— and is marked ``*`` where the floor applied; the raw baseline is printed too.

Then the pages' read: this year's findings and the last year's are kept (the nightly run,
``dangjian standards evaluate --year``), and the heat map of the whole tree — its
compliance for a year — is timed reading them, for this year (target p95 < 0.3 s at city
scale) and for the closed year (the issue's "whole-tree compliance for a year": < 2 s at
city scale, < 10 s at province scale). At province scale the per-rule ratios are skipped
(their targets are set at city scale) and the live evaluation above is timed as well.

Run: ``make bench ONLY=standards`` or ``python bench/run.py --only standards``.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time

PROVINCE = os.environ.get("BENCH_SCALE") == "province"
TARGET_S = 10.0 if PROVINCE else 2.0
TARGET_RATIO = 2.0
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))  # best of N for each rule and baseline
FILL_S, MAX_RUNS = 1.5, 80  # short ones: best of the runs that fill a second and a half
TAG = "基准测试"


def _ensure_meetings(root, today: dt.date) -> int:
    from django.db.models import Count, Q

    from dangjian.meetings.models import Meeting
    from dangjian.orgs.models import Org
    from dangjian.standards import periods as P

    first_year = today.year - 4
    start = P.at_midnight(dt.date(first_year, 1, 1))
    have = Meeting.objects.filter(status="held", held_at__gte=start).count()
    branches = list(
        Org.objects.active()
        .filter(path__startswith=root.path, kind=Org.Kind.BRANCH)
        .annotate(
            full=Count("members", filter=Q(members__status="full", members__left_on__isnull=True))
        )
        .values_list("id", "full")
    )
    if have >= len(branches) * 20 * 5:
        return 0
    groups = list(
        Org.objects.active()
        .filter(path__startswith=root.path, kind=Org.Kind.GROUP)
        .values_list("id", "parent_id")
    )
    rng = random.Random(2026)
    now = P.at_midnight(today)
    rows: list[Meeting] = []
    created = 0

    def add(org_id, kind, day, hour=9, group_id=None):
        when = dt.datetime.combine(day, dt.time(hour, 30), tzinfo=P.local_tz())
        if when >= now:
            return
        rows.append(
            Meeting(
                org_id=org_id,
                group_id=group_id,
                kind=kind,
                topic=f"{TAG} {kind} {day:%Y-%m}",
                status="held",
                planned_on=day,
                held_at=when,
            )
        )

    def flush():
        nonlocal created
        Meeting.objects.bulk_create(rows, batch_size=5000)
        created += len(rows)
        rows.clear()

    for year in range(first_year, today.year + 1):
        for org_id, full in branches:
            for month in range(1, 13):
                if rng.random() < 0.93:
                    add(org_id, "theme_day", dt.date(year, month, rng.randint(1, 28)))
                if full >= 7 and rng.random() < 0.9:
                    add(org_id, "board_meeting", dt.date(year, month, rng.randint(1, 28)), 14)
            for quarter in range(4):
                month = 3 * quarter + rng.randint(1, 3)
                if rng.random() < 0.92:
                    add(org_id, "general_meeting", dt.date(year, month, rng.randint(1, 28)))
                if rng.random() < 0.85:
                    add(org_id, "party_lecture", dt.date(year, month, rng.randint(1, 28)), 15)
            if rng.random() < 0.95:
                add(org_id, "life_meeting", dt.date(year, rng.choice([10, 11, 12]), 15))
            if rng.random() < 0.9:
                add(org_id, "heart_talk", dt.date(year, rng.randint(1, 12), 10), 16)
        for group_id, branch_id in groups:
            for month in range(1, 13):
                if rng.random() < 0.88:
                    add(
                        branch_id,
                        "group_meeting",
                        dt.date(year, month, rng.randint(1, 28)),
                        group_id=group_id,
                    )
        flush()
    return created


def _baseline_sql(root, span_start: dt.datetime, span_end: dt.datetime):
    """Held meetings per (owner org, kind, local month): one GROUP BY, raw SQL."""
    return _sql(
        f"""SELECT CASE WHEN m.kind = 'group_meeting' AND m.group_id IS NOT NULL
                        THEN m.group_id ELSE m.org_id END AS owner,
                   m.kind, {_month_sql()} AS month, COUNT(*)
            FROM meetings_meeting m JOIN orgs_org o ON o.id = m.org_id
            WHERE m.status = 'held' AND m.held_at >= %s AND m.held_at < %s AND o.path LIKE %s
            GROUP BY 1, 2, 3""",
        [span_start, span_end, root.path + "%"],
    )


def _timed(func, repeat: int = 3):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    best, result, queries = None, None, 0
    runs, spent = 0, 0.0
    # Best of ``repeat`` runs, and of as many as fill ``FILL_S`` for a short one: a rule of
    # 20 ms timed three times on a shared machine measured the machine, not the rule.
    while runs < repeat or (repeat > 1 and spent < FILL_S and runs < MAX_RUNS):
        runs += 1
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = func()
            seconds = time.perf_counter() - started
        spent += seconds
        queries = len(captured)
        best = seconds if best is None else min(best, seconds)
    return result, best, queries


def run() -> None:
    from collections import Counter

    from dangjian.meetings.models import Meeting
    from dangjian.orgs.models import Org
    from dangjian.standards import periods as P
    from dangjian.standards.engine import evaluate, summarize

    root = Org.objects.get(kind=Org.Kind.WORK_COMMITTEE, parent__isnull=True)
    today = P.local_today()
    started = time.perf_counter()
    added = _ensure_meetings(root, today)
    if added:
        print(f"added {added:,} held meetings (5 years) in {time.perf_counter() - started:.0f} s")
    year = today.year - 1
    period = P.year(year)
    span = (P.at_midnight(period.start), P.at_midnight(period.end))
    total = Meeting.objects.filter(status="held").count()
    in_year = Meeting.objects.filter(status="held", held_at__gte=span[0], held_at__lt=span[1])
    print(
        f"orgs: {Org.objects.active().count():,}; held meetings: {total:,} "
        f"({in_year.count():,} in {year})"
    )

    findings, engine_s, engine_q = _timed(lambda: evaluate(root, period, today=today))
    meeting_codes = sorted(
        {f.rule_code for f in findings if f.rule_code.startswith("MTG-")} - {"MTG-8", "MTG-10"}
    )
    meeting_findings, meeting_s, meeting_q = _timed(
        lambda: evaluate(root, period, today=today, codes=meeting_codes)
    )
    rows, base_s, base_q = _timed(lambda: _baseline_sql(root, *span))
    abe = sorted({f.rule_code for f in findings if f.rule_code[:3] in ("ORG", "MTG", "EDU")})
    _, abe_s, abe_q = _timed(lambda: evaluate(root, period, today=today, codes=abe))

    # The engine's meeting counts must equal the baseline's, kind by kind.
    base_by_kind = Counter()
    for _owner, kind, _month, n in rows:
        base_by_kind[kind] += n
    engine_by_kind = Counter()
    for f in meeting_findings:
        if isinstance(f.actual, int):
            engine_by_kind[f.rule_code] += f.actual
    checks = [("MTG-6", "theme_day"), ("MTG-4", "group_meeting"), ("MTG-1", "general_meeting")]

    summary = summarize(findings)
    print(f"findings: {len(findings):,}  {summary}")
    verdict = (
        "live: no page evaluates a province on a request; the pages' read is timed below"
        if PROVINCE
        else f"target < {TARGET_S:.0f} s: {'OK' if engine_s < TARGET_S else 'MISSED'}"
    )
    print(
        f"{'evaluate(every rule, whole tree, ' + str(year) + ')':<52} {engine_s:7.3f} s  "
        f"{engine_q:4d} queries  {verdict}"
    )
    print(f"{'evaluate(rules of sections A, B, E only)':<52} {abe_s:7.3f} s  {abe_q:4d} queries")
    print(
        f"{'evaluate(meeting-frequency rules only)':<52} {meeting_s:7.3f} s  {meeting_q:4d} queries"
    )
    label = "raw SQL baseline (one GROUP BY org, kind, month)"
    print(f"{label:<52} {base_s:7.3f} s  {base_q:4d} query")
    ratio = meeting_s / base_s if base_s else float("inf")
    ratio_all = engine_s / base_s if base_s else float("inf")
    print(
        f"ratio meeting rules / baseline: {ratio:.2f}x  (every rule / baseline: {ratio_all:.2f}x)"
        f"  target <= {TARGET_RATIO:.0f}x: {'OK' if ratio <= TARGET_RATIO else 'MISSED'}"
    )
    for code, kind in checks:
        same = "same" if engine_by_kind[code] == base_by_kind[kind] else "DIFFERENT"
        print(
            f"check {code} {kind}: engine counted {engine_by_kind[code]:,}, "
            f"baseline {base_by_kind[kind]:,} ({same})"
        )
    load = "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    if PROVINCE:
        print("per rule: measured at city scale (the ratios of issue 18)")
    else:
        per_rule(root, period, today, load)
    kept_pages(root, today, load)


# ---- every rule next to hand-written SQL for the same rule ------------------------------


def _sql(sql: str, params: list):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _month_sql() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return "to_char(m.held_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"
    return "strftime('%%Y-%%m', m.held_at, '+8 hours')"


def _counts_meetings(kind: str, start, end):
    """Held meetings of one kind per owner org and local month: the counts a
    meeting-frequency rule judges, without the orgs it judges (those that held none)."""
    return _sql(
        f"""SELECT CASE WHEN m.kind = 'group_meeting' AND m.group_id IS NOT NULL
                        THEN m.group_id ELSE m.org_id END, {_month_sql()}, COUNT(*)
            FROM meetings_meeting m
            WHERE m.status = 'held' AND m.kind = %s AND m.held_at >= %s AND m.held_at < %s
            GROUP BY 1, 2""",
        [kind, start, end],
    )


def _baseline_meetings(rule, root, start, end):
    """meeting_frequency, the rule's verdict: every org of the subtree the rule applies to
    (its kinds; its size bounds counted from the rolls) with its held meetings of the kind
    per local month — one row with no month for an org that held none, the very ones the
    rule is for. PostgreSQL answers the LEFT JOIN with a hash join; SQLite would scan the
    grouped counts once per org (3 s), so there the orgs with meetings and those without
    are two halves of a UNION ALL over the counts materialized once."""
    from django.db import connection

    from dangjian.orgs.models import Org

    applies = rule.applies_to or {}
    kinds = list(applies.get("kinds") or Org.Kind.values)
    targets = f"""o.path LIKE %s AND o.dissolved_on IS NULL
                  AND o.kind IN ({", ".join(["%s"] * len(kinds))})"""
    target_params = [root.path + "%", *kinds]
    low, high = applies.get("min_full_members"), applies.get("max_full_members")
    if low is not None or high is not None:
        targets += """ AND o.id IN (SELECT r.org_id FROM members_member r
                       WHERE r.left_on IS NULL AND r.status = 'full' GROUP BY r.org_id
                       HAVING COUNT(*) >= %s AND COUNT(*) <= %s)"""
        target_params += [low if low is not None else 0, high if high is not None else 10**9]
    counts = f"""SELECT CASE WHEN m.kind = 'group_meeting' AND m.group_id IS NOT NULL
                             THEN m.group_id ELSE m.org_id END AS owner,
                        {_month_sql()} AS month, COUNT(*) AS n
                 FROM meetings_meeting m
                 WHERE m.status = 'held' AND m.kind = %s AND m.held_at >= %s AND m.held_at < %s
                 GROUP BY 1, 2"""
    count_params = [rule.params["kind"], start, end]
    if connection.vendor == "postgresql":
        return _sql(
            f"""SELECT o.id, o.name, c.month, c.n FROM orgs_org o
                LEFT JOIN ({counts}) c ON c.owner = o.id WHERE {targets}""",
            count_params + target_params,
        )
    return _sql(
        f"""WITH c AS MATERIALIZED ({counts})
            SELECT o.id, o.name, c.month, c.n FROM c JOIN orgs_org o ON o.id = c.owner
            WHERE {targets}
            UNION ALL
            SELECT o.id, o.name, NULL, 0 FROM orgs_org o
            WHERE {targets} AND o.id NOT IN (SELECT owner FROM c)""",
        count_params + target_params + target_params,
    )


def _baseline_absence(as_of_end):
    """org_life_absence: per member on the rolls, the last meeting attended and the first
    one expected at (one GROUP BY over attendance)."""
    return _sql(
        """SELECT a.member_id, mm.org_id,
                  MAX(CASE WHEN a.status IN ('present', 'made_up') THEN m.held_at END),
                  MIN(m.held_at)
           FROM meetings_attendance a
           JOIN meetings_meeting m ON m.id = a.meeting_id
           JOIN members_member mm ON mm.id = a.member_id
           WHERE m.status = 'held' AND m.held_at < %s AND mm.left_on IS NULL
             AND mm.status IN ('full', 'probationary')
           GROUP BY a.member_id, mm.org_id""",
        [as_of_end],
    )


def _baseline_arrears(as_of):
    """dues_arrears: per member on the rolls, the last paid month and the first profile
    month (grouped), and the members who paid the month judged per org."""
    rows = _sql(
        """SELECT mm.id, mm.org_id, lp.last, fp.first
           FROM members_member mm
           LEFT JOIN (SELECT member_id, MAX(month) AS last FROM dues_duespaidmonth
                      WHERE voided = %s AND month <= %s GROUP BY member_id) lp
                  ON lp.member_id = mm.id
           LEFT JOIN (SELECT member_id, MIN(effective_month) AS first FROM dues_duesprofile
                      WHERE effective_month <= %s GROUP BY member_id) fp
                  ON fp.member_id = mm.id
           WHERE mm.left_on IS NULL AND mm.status IN ('full', 'probationary')""",
        [False, as_of, as_of],
    )
    paid = _sql(
        """SELECT org_id, COUNT(DISTINCT member_id) FROM dues_duespaidmonth
           WHERE voided = %s AND month = %s GROUP BY org_id""",
        [False, as_of],
    )
    return rows, paid


def _baseline_appraisal(root, year: int):
    """appraisal_frequency: every branch of the subtree with whether its appraisal of the
    year is finalized (the rule's verdict per branch, in one query)."""
    return _sql(
        """SELECT o.id, o.name, a.id IS NOT NULL FROM orgs_org o
           LEFT JOIN meetings_appraisal a
             ON a.org_id = o.id AND a.year = %s AND a.status = 'finalized'
           WHERE o.path LIKE %s AND o.kind = 'branch' AND o.dissolved_on IS NULL""",
        [year, root.path + "%"],
    )


def _floor_sql(root):
    """The floor of every rule's ratio: the subtree's active orgs (what any evaluation of a
    rule judged per org must read), one hand-written query."""
    return _sql(
        """SELECT id, name, kind, path, parent_id FROM orgs_org
           WHERE path LIKE %s AND dissolved_on IS NULL ORDER BY path""",
        [root.path + "%"],
    )


def _baseline_for(item, root, period, today):
    """A hand-written SQL baseline for one planned rule (None: none written)."""
    from dangjian.dues.selectors import closed_month
    from dangjian.standards import periods as P

    name = item.checker.name
    start, end = P.at_midnight(period.start), P.at_midnight(period.end)
    if name == "meeting_frequency":
        return lambda: _baseline_meetings(item.rule, root, start, end)
    if name == "org_life_absence":
        as_of = min(today, period.end - dt.timedelta(days=1))
        return lambda: _baseline_absence(P.at_midnight(as_of + dt.timedelta(days=1)))
    if name == "dues_arrears":
        return lambda: _baseline_arrears(closed_month(item.periods[-1].start, today))
    if name == "appraisal_frequency":
        return lambda: _baseline_appraisal(root, period.start.year)
    return None


def _interleaved(funcs, repeat: int = REPEAT) -> list[float]:
    """The best time of each of ``funcs``, run in turns (a, b, c, a, b, c …): a ratio of
    two of them compares runs made under the same load, not a quiet minute with a busy
    one. ``repeat`` turns at least, more while they fill ``FILL_S`` each."""
    best = [float("inf")] * len(funcs)
    runs, spent = 0, 0.0
    while runs < repeat or (spent < FILL_S * len(funcs) and runs < MAX_RUNS):
        runs += 1
        for i, func in enumerate(funcs):
            started = time.perf_counter()
            func()
            seconds = time.perf_counter() - started
            spent += seconds
            best[i] = min(best[i], seconds)
    return best


def per_rule(root, period, today, load: str) -> None:
    """Each rule's time next to its baseline, then the library against the sum."""
    from dangjian.standards import periods as P
    from dangjian.standards.engine import evaluate, plan

    print(f"\nper rule, whole tree, {period.label} ({load}):")
    print(
        "floor: the subtree's active orgs, one SELECT, timed in turns with each rule and its "
        "baseline; a ratio marked * is taken against the floor, the baseline being below it"
    )
    print(f"{'rule':<8} {'checker':<22} {'engine':>9} {'baseline':>9} {'floor':>8} {'ratio':>8}")
    total_engine = total_base = with_base_engine = 0.0
    worst = worst_counts = 0.0
    for item in sorted(plan(period, today), key=lambda p: p.rule.code):
        code = item.rule.code

        def engine(code=code):
            return evaluate(root, period, today=today, codes=[code])

        baseline = _baseline_for(item, root, period, today)
        if baseline is None:
            _, engine_s, _ = _timed(engine, repeat=REPEAT)
            total_engine += engine_s
            print(f"{code:<8} {item.checker.name:<22} {engine_s:8.3f}s {'—':>9} {'—':>8} {'—':>7}")
            continue
        funcs = [engine, baseline, lambda: _floor_sql(root)]
        differ = ""
        if item.checker.name == "meeting_frequency":
            # The verdict's orgs are the engine's targets; and the counts alone, as before.
            same = {r[0] for r in baseline()} == {f.org_id for f in engine()}
            differ = "" if same else "  ORGS DIFFER from the engine's"
            start, end = P.at_midnight(period.start), P.at_midnight(period.end)
            kind = item.rule.params["kind"]
            funcs.append(lambda kind=kind, start=start, end=end: _counts_meetings(kind, start, end))
        engine_s, base_s, floor_s, *counts_s = _interleaved(funcs)
        if counts_s:
            worst_counts = max(worst_counts, engine_s / max(counts_s[0], floor_s))
        total_engine += engine_s
        total_base += base_s
        with_base_engine += engine_s
        floored = base_s < floor_s
        ratio = engine_s / max(base_s, floor_s) if max(base_s, floor_s) else float("inf")
        worst = max(worst, ratio)
        mark = "*" if floored else " "
        print(
            f"{code:<8} {item.checker.name:<22} {engine_s:8.3f}s {base_s:8.3f}s "
            f"{floor_s:7.3f}s {ratio:6.2f}x{mark}{differ}"
        )
    _, library_s, _ = _timed(lambda: evaluate(root, period, today=today))
    print(
        f"rules with a baseline: {with_base_engine:.3f} s vs {total_base:.3f} s "
        f"({with_base_engine / total_base if total_base else 0:.2f}x); worst rule {worst:.2f}x "
        f"(floored); "
        f"target <= {TARGET_RATIO:.0f}x: {'OK' if worst <= TARGET_RATIO else 'MISSED'}"
    )
    print(
        f"meeting-frequency rules against their meeting counts alone (no orgs, the baseline "
        f"until 2026-12-02): worst {worst_counts:.2f}x"
    )
    print(
        f"whole library {library_s:.3f} s (sum of rules {total_engine:.3f} s) vs sum of the "
        f"baselines {total_base:.3f} s: {library_s / total_base if total_base else 0:.2f}x"
    )


# ---- kept findings: the pages' read ----------------------------------------------------


def kept_pages(root, today, load) -> None:
    """Keep this year's findings and the last year's (the nightly run), then time the heat
    map of the whole tree — its compliance for a year, as the pages read it — and the
    admin's workbench reading them (p50 / p95 of 20 requests)."""
    from dangjian.accounts.models import User
    from dangjian.core.workbench import workbench_for
    from dangjian.standards import kept, selectors
    from dangjian.standards import periods as P
    from dangjian.standards.models import Evaluation

    period, last = P.year(today.year), P.year(today.year - 1)
    tree = "province" if PROVINCE else "city"
    admin = User.objects.filter(is_superuser=True).first()
    live_s, how = None, ""
    if not PROVINCE:  # a province's live evaluation is timed above (a minute)
        # Nothing kept, as on a fresh install (an earlier run kept today's): the first
        # reads evaluate live; the nightly run below keeps the findings again.
        # A city has more branches than a request evaluates (STANDARDS_LIVE_MAX_BRANCHES):
        # those pages then say the worker is evaluating, and are timed saying it.
        Evaluation.objects.filter(year=today.year).delete()
        how = "waits for the worker" if kept.too_large(root) else "live"
        _, live_s, _ = _timed(lambda: selectors.heatmap(root, period, today=today), repeat=1)
        if admin is not None:
            _, bench_s, _ = _timed(lambda: workbench_for(admin, today=today), repeat=1)
            print(f"\nworkbench of a platform admin, nothing kept ({how}): {bench_s:.3f} s")
    for year in (today.year, today.year - 1):
        started = time.perf_counter()
        count = kept.refresh_all(today=today, year=year)
        print(
            f"kept findings: {count:,} rows for {year} in {time.perf_counter() - started:.1f} s "
            f"(dangjian standards evaluate --year {year}) ({load})"
        )

    def p95(func, n=20):
        times = []
        for _ in range(n):
            started = time.perf_counter()
            func()
            times.append(time.perf_counter() - started)
        times.sort()
        return times[n // 2], times[int(n * 0.95) - 1]

    for shown, target in ((period, 0.3), (last, TARGET_S)):
        data = selectors.heatmap(root, shown, today=today)
        assert data["evaluated_at"] is not None, "the heat map did not read the kept findings"
        p50, p95_s = p95(lambda shown=shown: selectors.heatmap(root, shown, today=today))
        live = ""
        if live_s is not None and shown is period:
            live = f"nothing kept ({how}) {live_s:.3f} s; "
        print(
            f"heat map (compliance), whole {tree}, {shown.label}: {live}kept p50 {p50:.3f} s "
            f"p95 {p95_s:.3f} s  rate {data['summary']['rate']:.1%}  target p95 < {target:g} s: "
            f"{'OK' if p95_s < target else 'MISSED'}"
        )
    if admin is not None:
        p50, p95_s = p95(lambda: workbench_for(admin, today=today), n=5)
        print(f"workbench of a platform admin (kept findings): p50 {p50:.3f} s p95 {p95_s:.3f} s")
