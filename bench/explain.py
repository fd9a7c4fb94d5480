"""The query plans behind the pages people wait for, on PostgreSQL (``EXPLAIN ANALYZE``).

For each page below, requested as the work committee's ``gongwei`` (the widest scope), every
SELECT the request runs is explained with ``EXPLAIN (ANALYZE, FORMAT JSON)``; the table
prints the page's query count, the total and the slowest execution time inside PostgreSQL,
and each sequential scan over a table of more than ``BIG`` rows (a missing or unused index
shows up there). A sequential scan is not always wrong — a whole-tree figure reads every
row — so the bench prints, it does not judge. On SQLite it says so and skips.
"""

from __future__ import annotations

import json

from bench import api_client_as, client_as, load_average, print_rows

BIG = 100_000  # rows: a sequential scan over a table this large is listed


def _pages() -> list[tuple[str, str]]:
    import datetime as dt

    from dangjian.orgs.models import Org

    root = Org.objects.get(parent__isnull=True)
    committee = Org.objects.filter(kind="committee").order_by("path").first()
    year = dt.date.today().year
    return [
        ("/members/", "member list"),
        ("/members/?q=zw", "member search (pinyin initials)"),
        (f"/members/?org={committee.pk}", "member list, one committee"),
        (f"/dashboard/?org={root.pk}", "驾驶舱"),
        (f"/standards/heatmap/?year={year}", "heat map (kept findings)"),
        (f"/api/v1/dashboard?org={root.pk}", "dashboard API"),
        ("/", "workbench"),
    ]


def _walk(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _walk(child)


def _explain(cursor, sql: str, scans: dict[str, int]) -> float:
    """Explain ``sql``; note its big sequential scans in ``scans`` (table → rows read)."""
    cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
    raw = cursor.fetchone()[0]
    doc = (json.loads(raw) if isinstance(raw, str) else raw)[0]
    for node in _walk(doc["Plan"]):
        if node.get("Node Type") == "Seq Scan" and node.get("Plan Rows", 0) >= BIG:
            name = node["Relation Name"]
            scans[name] = max(scans.get(name, 0), int(node.get("Actual Rows", 0)))
    return doc.get("Execution Time", 0.0)


def run() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        print("EXPLAIN bench: PostgreSQL only (set DATABASE_URL); skipped on SQLite")
        return
    page_client, api_client = client_as("gongwei"), api_client_as("gongwei")
    rows = []
    for url, what in _pages():
        client = api_client if url.startswith("/api/") else page_client
        client.get(url)  # warm caches the way a second visitor finds them
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url).status_code
        selects = [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith("SELECT")]
        total = slowest = 0.0
        scans: dict[str, int] = {}
        with connection.cursor() as cursor:
            for sql in selects:
                took = _explain(cursor, sql, scans)
                total += took
                slowest = max(slowest, took)
        biggest = sorted(scans.items(), key=lambda item: -item[1])[:4]
        rows.append(
            [
                what,
                url.split("?")[0],
                str(status),
                str(len(captured)),
                f"{total:.1f}",
                f"{slowest:.1f}",
                "; ".join(f"{name} ({n:,})" for name, n in biggest) or "none",
                f"{load_average():.1f}",
            ]
        )
    print_rows(
        f"Query plans as gongwei (EXPLAIN ANALYZE; sequential scans over tables of {BIG:,}+ rows)",
        ["page", "path", "status", "queries", "SQL ms", "slowest ms", "big seq scans", "load"],
        rows,
    )
