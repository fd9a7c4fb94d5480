"""党内统计 at city scale (2,000 branches, 50,000 members).

- the annual tables of the whole tree as of 31 December of last year, from the rolls and the
  member history (target: under 5 s, a province under 30 s; a constant number of
  queries), with its checks;
- the same for one committee; the tables page and the API of the work committee, through
  the full Django stack.

Run with the others (``make bench``, ``make bench ONLY=annual_tables``) or alone:
``python bench/annual_tables.py [--var-dir /tmp/bench-var]`` (builds the city data there if
absent). Not named ``statistics.py``: ``bench/`` is first on ``sys.path`` when a script in it
runs, and that name would shadow the standard library's ``statistics`` (which Django's SQLite
backend imports).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

TARGET_S = 30.0 if os.environ.get("BENCH_SCALE") == "province" else 5.0


def run() -> None:
    from bench import api_client_as, client_as, measure, print_table, timed
    from dangjian.members.models import MemberEvent
    from dangjian.orgs.models import Org
    from dangjian.statistics.tables import compute

    root = Org.objects.get(kind=Org.Kind.WORK_COMMITTEE, parent__isnull=True)
    year = dt.date.today().year - 1
    print(f"history entries: {MemberEvent.objects.count():,}")
    tables = timed(
        f"党内统计 {year}, whole tree",
        lambda: compute(root, dt.date(year, 12, 31)),
        TARGET_S,
    )
    m = tables.figures["members"]
    failed = [c["key"] for c in tables.checks if not c["passed"]]
    print(
        f"  {m['total']:,} members ({m['full']:,} full, {m['probationary']:,} probationary), "
        f"{tables.figures['orgs']['total']:,} orgs; checks failed: {failed or 'none'}"
    )
    committee = Org.objects.filter(kind=Org.Kind.COMMITTEE).order_by("path").first()
    timed(f"党内统计 {year}, one committee", lambda: compute(committee, dt.date(year, 12, 31)))
    pages = [
        measure(
            client_as("gongwei"),
            f"/statistics/?org={root.pk}&year={year}",
            who="机关工委",
            what="/statistics/?org=<root> (tables)",
            repeat=3,
        ),
        measure(
            client_as("gongwei"),
            f"/statistics/cell/?org={root.pk}&year={year}&cell=members.probationary",
            who="机关工委",
            what="/statistics/cell/ (members.probationary)",
            repeat=3,
        ),
    ]
    print_table("Statistics pages", pages)
    api = [
        measure(
            api_client_as("admin"),
            f"/api/v1/statistics/annual?org={root.pk}&year={year}",
            who="admin",
            what="/api/v1/statistics/annual?org=<root>",
            repeat=3,
        )
    ]
    print_table("Statistics API", api)


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from bench.run import main

    sys.exit(main(["--only", "annual_tables", *sys.argv[1:]]))
