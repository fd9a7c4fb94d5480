"""Benchmarks (``make bench``): shared helpers for the bench modules.

Each module ``bench/<name>.py`` defines ``run() -> None``; ``bench/run.py`` builds
(or reuses) the ``--scale city`` database, sets Django up against it, and calls
every module's ``run()``. Inside ``run()`` use these helpers::

    from bench import api_client_as, client_as, measure, print_table

    def run() -> None:
        rows = [measure(client_as("shuji"), "/meetings/", who="支部书记")]
        print_table("会议列表", rows)

Timings are wall-clock per request through Django's test ``Client`` (the whole
middleware and template stack, no network), median and 95th percentile over
``BENCH_REPEAT`` (default 50) requests after two warm-up requests; the query
count is that of one request.

Over HTTP (``bench/http.py``): ``server()`` runs gunicorn on the bench database, bound to
127.0.0.1:``BENCH_PORT`` only; ``measure_http`` times sequential keep-alive requests and
``throughput`` drives wrk (or a Python load generator) against it. Every figure is printed
with the 1-minute load average read when it was measured (the machine is shared).
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass

REPEAT = int(os.environ.get("BENCH_REPEAT", "50"))


def scaled(city: float, province: float) -> float:
    """A target for the scale being measured (``BENCH_SCALE``, set by ``bench/run.py``; the
    modules that run as scripts too read it themselves)."""
    return province if os.environ.get("BENCH_SCALE") == "province" else city


@dataclass
class Result:
    who: str
    what: str
    url: str
    status: int
    median_ms: float
    p95_ms: float
    queries: int | None
    kbytes: float
    load: float = 0.0


def timed(label: str, func, target: float | None = None):
    """Run ``func`` once; print its time and query count (and the target's verdict)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - started
    verdict = ""
    if target is not None:
        verdict = f"  target < {target:.0f} s: {'OK' if seconds < target else 'MISSED'}"
    print(f"{label:<52} {seconds:7.2f} s  {len(captured):4d} queries{verdict}", flush=True)
    return result


def load_average() -> float:
    """The 1-minute load average now: printed beside every figure."""
    return os.getloadavg()[0]


def database_label() -> str:
    """Which database the bench measures: printed at the start of every run."""
    from django.db import connection

    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {config['NAME']}"
    where = f"{config.get('HOST') or 'local socket'}:{config.get('PORT') or 'default'}"
    return f"{connection.display_name} {where}/{config['NAME']}"


def _user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def client_as(username: str):
    """A test Client with a logged-in session for ``username`` (pages)."""
    from django.test import Client

    client = Client()
    client.force_login(_user(username))
    return client


def api_client_as(username: str):
    """A test Client whose requests carry a bearer token for ``username`` (API)."""
    from django.test import Client

    from dangjian.api.auth import token_issue

    return Client(headers={"Authorization": f"Bearer {token_issue(user=_user(username))}"})


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))
    return ordered[k]


def measure(client, url: str, *, who: str = "", what: str = "", repeat: int | None = None):
    """Time ``repeat`` GETs of ``url``; count the queries of one of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    repeat = repeat or REPEAT
    for _ in range(2):
        response = client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured)  # now: the next request_started resets the query log
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return Result(
        who=who,
        what=what or url,
        url=url,
        status=response.status_code,
        median_ms=statistics.median(timings),
        p95_ms=percentile(timings, 0.95),
        queries=queries,
        kbytes=len(response.content) / 1024,
        load=load_average(),
    )


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def print_table(title: str, results: list[Result]) -> None:
    headers = ["who", "what", "status", "median ms", "p95 ms", "queries", "KiB", "load"]
    rows = [
        [
            r.who,
            r.what,
            str(r.status),
            f"{r.median_ms:.1f}",
            f"{r.p95_ms:.1f}",
            "-" if r.queries is None else str(r.queries),
            f"{r.kbytes:.0f}",
            f"{r.load:.1f}",
        ]
        for r in results
    ]
    print_rows(f"{title}  (n={REPEAT} requests each)", headers, rows)


def print_rows(title: str, headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(_width(str(c)) for c in col) for col in zip(headers, *rows, strict=False)]
    line = "  ".join("-" * w for w in widths)
    print(f"\n{title}")
    print("  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)))
    print(flush=True)
