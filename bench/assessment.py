"""Assessment results at city scale (2,000 branches, 50,000 members).

Builds a 20-indicator scheme of the work committee over every branch (the automatic
indicators read every metric the apps contribute: the rules of the standards library from
the kept findings, dues, planned meetings, rectifications, development cases, study
completion; the rest are scored by hand), computes the results of all branches in one pass
and prints the time and the query count (target: under 3 s on SQLite; the number of queries
does not depend on the number of branches — ``tests/assessment/test_scheme_bench.py``
asserts it at small scale). Everything is rolled back afterwards: the bench data is
unchanged.

Run with the others (``make bench``, ``make bench ONLY=assessment``) or alone:
``python bench/assessment.py [--var-dir /tmp/bench-var]`` (builds the city data if absent).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

TARGET_S = 3.0
INDICATORS = 20
AUTO = [
    "meetings:held_rate",
    "dues:collection_rate",
    "assessment:rectifications_on_time",
    "development:on_schedule",
    "learning:completion",
]


class _Rollback(Exception):
    pass


def bench_scheme(root, actor, year: int):
    """A published 20-indicator scheme of ``root`` over its branches: the registered
    metrics, then one rule metric per rule of the library, then manual indicators."""
    from dangjian.assessment.schemes import services
    from dangjian.core import metrics

    keys = [k for k in AUTO if metrics.resolve(k) is not None]
    keys += [key for key, _ in metrics.choices() if key.startswith("rule:")]
    rows = [
        {
            "code": f"A{n}",
            "title": f"自动指标 {key}",
            "max_score": 5,
            "method": "auto",
            "metric": key,
        }
        for n, key in enumerate(keys[: INDICATORS - 4], start=1)
    ]
    rows += [
        {"code": f"M{n}", "title": f"评分指标 {n}", "max_score": 5, "method": "manual"}
        for n in range(1, INDICATORS - len(rows) + 1)
    ]
    scheme = services.scheme_create(
        actor=actor,
        org=root,
        title=f"{year}年度基准测试考核方案",
        year=year,
        target_kind="branch",
        indicators=rows,
    )
    return services.scheme_publish(actor=actor, scheme=scheme)


def measure_results(scheme) -> tuple[float, int, object]:
    """Seconds and queries of the results of every target of ``scheme``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangjian.assessment.schemes.models import Scheme
    from dangjian.assessment.schemes.results import scheme_results

    scheme = Scheme.objects.get(pk=scheme.pk)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        results = scheme_results(scheme)
        seconds = time.perf_counter() - started
    return seconds, len(captured), results


def run() -> None:
    from django.db import transaction
    from django.urls import reverse

    from dangjian.accounts.models import User
    from dangjian.core.actors import SYSTEM
    from dangjian.orgs.models import Org
    from dangjian.standards import periods as P

    reverse("assessment:indicators")  # load the URLconf now: its import is not the results'
    root = Org.objects.get(kind=Org.Kind.WORK_COMMITTEE, parent__isnull=True)
    actor = User.objects.filter(is_superuser=True).first() or SYSTEM
    year = P.local_today().year
    try:
        with transaction.atomic():
            # The demo's own scheme of this year makes way (rolled back with the rest).
            from dangjian.assessment.schemes.models import Scheme

            for old in Scheme.objects.filter(org=root, year=year, target_kind="branch").order_by(
                "-version"
            ):
                old.delete()
            scheme = bench_scheme(root, actor, year)
            leaves = scheme.indicators.count()
            for attempt in ("first", "second"):
                seconds, queries, results = measure_results(scheme)
                cells = sum(len(r.cells) for r in results.rows)
                missing = sum(1 for r in results.rows for c in r.cells if c.is_missing)
                verdict = "OK" if seconds < TARGET_S else "MISSED"
                label = f"results, {leaves} indicators x {len(results.rows):,} branches"
                print(
                    f"{label} ({attempt} run)  {seconds:6.2f} s  {queries:3d} queries"
                    f"  target < {TARGET_S:.0f} s: {verdict}",
                    flush=True,
                )
            print(f"  {cells:,} cells, {missing:,} 缺项; {results.complete:,} complete totals")
            for w in results.warnings:
                print(f"  warning: {w}")
            raise _Rollback
    except _Rollback:
        pass


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from bench.run import main

    sys.exit(main(["--only", "assessment", *sys.argv[1:]]))
