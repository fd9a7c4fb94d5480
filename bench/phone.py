"""The member's phone pages against ``/healthz``, over HTTP on one gunicorn server.

The plain member ``dangyuan`` signs in once; the same session cookie is sent to
``/healthz`` (the framework alone: session, user, middleware) and to the phone pages.
The paths take turns for ``ROUNDS`` rounds, so each ratio compares figures measured
minutes apart in the same run, under the same load; every path is requested on a few new
connections first, so no round is measured cold. Target: member home ≥ 0.7× ``/healthz``.
"""

from __future__ import annotations

import os
import statistics

from bench import print_rows
from bench._http import (
    CONNECTIONS,
    SECONDS,
    THREADS,
    WORKERS,
    server,
    session_cookie,
    throughput,
    warm,
)

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
REFERENCE = "/healthz"
PAGES = {
    "/members/me/": "党员首页",
    "/meetings/m/": "组织生活",
    "/dues/me/": "我的党费",
    "/learning/m/": "学习",
}


def run() -> None:
    cookie = session_cookie("dangyuan")
    results = {path: [] for path in [REFERENCE, *PAGES]}
    with server():
        warm(results, cookie)
        for _ in range(ROUNDS):
            for path, figures in results.items():
                figures.append(throughput(path, cookie))
    tool = results[REFERENCE][0].tool
    rows = [
        [
            t.path,
            str(t.status),
            f"{t.per_second:.0f}",
            f"{t.median_ms:.1f}",
            str(t.errors),
            f"{t.load:.1f}",
        ]
        for figures in results.values()
        for t in figures
    ]
    title = (
        f"Phone pages, same session cookie: {tool}, {CONNECTIONS} connections, {SECONDS} s each, "
        f"gunicorn {WORKERS} workers × {THREADS} threads"
    )
    print_rows(title, ["path", "status", "req/s", "median ms", "errors", "load"], rows)
    reference = statistics.median(t.per_second for t in results[REFERENCE])
    for path, label in PAGES.items():
        figures = results[path]
        rate = statistics.median(t.per_second for t in figures)
        loads = ", ".join(f"{t.load:.1f}" for t in figures)
        print(
            f"{label} {path}: {rate / reference:.2f}× {REFERENCE} "
            f"({rate:.0f} vs {reference:.0f} req/s, load {loads}; target for the home ≥ 0.70×)"
        )
