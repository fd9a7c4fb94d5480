"""驾驶舱 at city scale (2,000 branches, 50,000 members).

- rebuilding every panel's kept figures for every org (target: under 10 s), the way the
  worker and ``dangjian dashboard_refresh`` do;
- the dashboard of the work committee from the kept figures: the page, one panel drilled
  down, the big screen and ``GET /api/v1/dashboard`` (target: under 300 ms p95; a
  province's under 500 ms), with their query counts; and the work committee's workbench
  (``/``, the same target).

Run with the others (``make bench``, ``make bench ONLY=dashboard``) or alone:
``python bench/dashboard.py [--var-dir /tmp/bench-var]`` (builds the city data there if
absent).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

REBUILD_TARGET_S = 10.0
PAGE_TARGET_MS = 500.0 if os.environ.get("BENCH_SCALE") == "province" else 300.0


def run() -> None:
    from bench import api_client_as, client_as, measure, print_table, timed
    from dangjian.core.actors import SYSTEM
    from dangjian.dashboard.models import PanelFigure
    from dangjian.dashboard.services import figures_rebuild
    from dangjian.orgs.models import Org

    root = Org.objects.get(kind=Org.Kind.WORK_COMMITTEE, parent__isnull=True)
    year = dt.date.today().year
    result = timed(
        f"驾驶舱 {year}: rebuild every panel for every org",
        lambda: figures_rebuild(actor=SYSTEM, year=year),
        REBUILD_TARGET_S,
    )
    print(f"  {result.orgs:,} orgs, {result.rows:,} kept rows ({PanelFigure.objects.count():,})")
    query = f"org={root.pk}&year={year}"
    pages = [
        measure(client_as("gongwei"), f"/dashboard/?{query}", who="机关工委", what="/dashboard/"),
        measure(
            client_as("gongwei"),
            f"/dashboard/panels/members/?{query}",
            who="机关工委",
            what="/dashboard/panels/members/ (drill-down)",
        ),
        measure(
            client_as("gongwei"),
            f"/dashboard/screen/?{query}",
            who="机关工委",
            what="/dashboard/screen/",
        ),
    ]
    print_table(f"Dashboard pages (target p95 < {PAGE_TARGET_MS:.0f} ms)", pages)
    # The first screen of the same people: the workbench over every org of the tree (the
    # compliance rows from the kept findings, the dues rate from the kept figures).
    home = [measure(client_as("gongwei"), "/", who="机关工委", what="/ (workbench)")]
    print_table(f"Workbench of the work committee (target p95 < {PAGE_TARGET_MS:.0f} ms)", home)
    api = [
        measure(
            api_client_as("admin"),
            f"/api/v1/dashboard?org={root.pk}",
            who="admin",
            what="/api/v1/dashboard?org=<root>",
        ),
        measure(
            api_client_as("admin"),
            f"/api/v1/dashboard?org={root.pk}&children=true",
            who="admin",
            what="/api/v1/dashboard?org=<root>&children=true",
        ),
    ]
    print_table(f"Dashboard API (target p95 < {PAGE_TARGET_MS:.0f} ms)", api)


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from bench.run import main

    sys.exit(main(["--only", "dashboard", *sys.argv[1:]]))
