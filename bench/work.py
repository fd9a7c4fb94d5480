"""党建+业务 at city scale (2,000 branches, 50,000 members).

- the WRK-1 checker (overdue tasks) through the standards engine for the whole tree;
- the three assessment metrics (``work:initiatives_completed``, ``work:tasks_on_time``,
  ``work:pledges_fulfilled``) for every org of the tree (target: under 2 s each, a constant
  number of queries);
- the task list page and API of one committee, through the full Django stack.

Run with the others (``make bench``, ``make bench ONLY=work``) or alone:
``python bench/work.py [--var-dir /tmp/bench-var]`` (builds the city data there if absent).
"""

from __future__ import annotations

import sys
from pathlib import Path

TARGET_S = 2.0


def run() -> None:
    from django.urls import reverse

    from bench import api_client_as, client_as, measure, print_table, timed
    from dangjian.core import metrics
    from dangjian.orgs.models import Org
    from dangjian.standards import periods as P
    from dangjian.standards.engine import evaluate
    from dangjian.work.models import Initiative, Pledge, Task

    reverse("work:tasks")  # load the URLconf now: its one-time import is not the checker's
    root = Org.objects.get(kind=Org.Kind.WORK_COMMITTEE, parent__isnull=True)
    today = P.local_today()
    print(
        f"initiatives: {Initiative.objects.count():,}; tasks: {Task.objects.count():,} "
        f"({Task.objects.overdue(today).count():,} overdue); pledges: {Pledge.objects.count():,}"
    )
    findings = timed(
        "WRK-1 overdue tasks through the standards engine",
        lambda: evaluate(root, P.containing("year", today), codes=["WRK-1"]),
        TARGET_S,
    )
    print(f"  {len(findings):,} findings")
    orgs = list(Org.objects.active().in_subtree(root))
    for key in ("work:initiatives_completed", "work:tasks_on_time", "work:pledges_fulfilled"):
        metric = metrics.get(key)
        values = timed(
            f"{key}, {len(orgs):,} orgs",
            lambda metric=metric: metric.compute(orgs, today.year),
            TARGET_S,
        )
        print(f"  {len(values):,} orgs with a value")
    committee = Org.objects.filter(kind=Org.Kind.COMMITTEE).order_by("path").first()
    pages = [
        measure(client_as("shuji"), "/work/", who="支部书记", what="/work/ (board)"),
        measure(
            client_as("dangwei"),
            f"/work/tasks/?org={committee.pk}&status=overdue",
            who="机关党委",
            what="/work/tasks/?org=<committee>&status=overdue",
            repeat=5,
        ),
        measure(client_as("dangyuan"), "/work/m/", who="党员", what="/work/m/ (my post, pledge)"),
    ]
    print_table("Work pages", pages)
    api = [
        measure(
            api_client_as("admin"),
            f"/api/v1/work/tasks?org={committee.pk}&status=overdue",
            who="admin",
            what="/api/v1/work/tasks?org=<committee>&status=overdue",
        )
    ]
    print_table("Work API", api)


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from bench.run import main

    sys.exit(main(["--only", "work", *sys.argv[1:]]))
