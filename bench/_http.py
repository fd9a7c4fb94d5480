"""The bench over HTTP: gunicorn on the bench database, timed requests, and load.

``server()`` starts gunicorn bound to 127.0.0.1:``BENCH_PORT`` (default 8799) and nothing
else (no control socket; heartbeat files in the bench's var dir), serving the database the
bench measures (``VAR_DIR`` or ``DATABASE_URL``, and ``REDIS_URL`` when set).
``session_cookie(username)`` signs a user in and returns the session cookie that both
``measure_http`` (sequential keep-alive requests: median and p95) and ``throughput``
(requests per second under concurrent load) send.

``throughput`` drives ``wrk`` when it is installed; when it is missing and the bench runs
as root on Debian, it installs it (``apt-get install wrk``); otherwise a Python load
generator stands in (threads, each with one keep-alive connection), which is itself slower
than wrk: compare figures only within one run, which is what the ratios do.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench import REPEAT, Result, load_average, percentile

PORT = int(os.environ.get("BENCH_PORT", "8799"))
HOST = "127.0.0.1"
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = 2  # gthread workers, as `dangjian serve` runs: they keep connections alive


def session_cookie(username: str) -> str:
    """``sessionid=<key>`` of a fresh session signed in as ``username``."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def _answers() -> bool:
    try:
        socket.create_connection((HOST, PORT), 0.5).close()
    except OSError:
        return False
    return True


@contextmanager
def server():
    """gunicorn serving the bench database on 127.0.0.1:BENCH_PORT for the ``with`` block."""
    if _answers():
        sys.exit(f"port {PORT} is taken: set BENCH_PORT to a free port")
    var_dir = Path(os.environ["VAR_DIR"])
    log = open(var_dir / "bench-gunicorn.log", "a")  # noqa: SIM115 (closed below)
    command = [
        *(sys.executable, "-m", "gunicorn", "dangjian.wsgi:application"),
        *("--bind", f"{HOST}:{PORT}", "--workers", str(WORKERS), "--threads", str(THREADS)),
        *("--worker-tmp-dir", str(var_dir), "--no-control-socket", "--log-level", "warning"),
    ]
    process = subprocess.Popen(command, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 120
        while not _answers():
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"gunicorn did not start on port {PORT}: see {log.name}")
            time.sleep(0.3)
        yield f"http://{HOST}:{PORT}"
    finally:
        process.terminate()
        process.wait(30)
        log.close()


def _get(conn: http.client.HTTPConnection, path: str, cookie: str) -> tuple[int, bytes]:
    conn.request("GET", path, headers={"Cookie": cookie, "Host": HOST})
    response = conn.getresponse()
    return response.status, response.read()


def warm(paths, cookie: str, connections: int = 8) -> None:
    """Request each of ``paths`` once on each of ``connections`` new connections, so every
    worker has loaded its templates (and kept its per-user pages) before a path is timed:
    the first path of the first round was measured cold."""
    for path in paths:
        for _ in range(connections):
            conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
            _get(conn, path, cookie)
            conn.close()


def measure_http(path: str, cookie: str, *, who: str = "", what: str = "", repeat: int = 0):
    """Time ``repeat`` sequential GETs of ``path`` on one keep-alive connection."""
    repeat = repeat or REPEAT
    conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
    for _ in range(2):
        status, body = _get(conn, path, cookie)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        status, body = _get(conn, path, cookie)
        timings.append((time.perf_counter() - started) * 1000)
    conn.close()
    return Result(
        who=who,
        what=what or path,
        url=path,
        status=status,
        median_ms=statistics.median(timings),
        p95_ms=percentile(timings, 0.95),
        queries=None,
        kbytes=len(body) / 1024,
        load=load_average(),
    )


@dataclass
class Throughput:
    path: str
    status: int
    per_second: float
    median_ms: float
    errors: int
    load: float
    tool: str


def wrk_path() -> str | None:
    """wrk, installed from Debian when missing and the bench runs as root."""
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    print("installing wrk from Debian (apt-get install wrk)", flush=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        stdout=subprocess.DEVNULL,
        check=False,
    )
    return shutil.which("wrk")


def throughput(path: str, cookie: str) -> Throughput:
    """Requests per second on ``path`` with ``CONNECTIONS`` concurrent keep-alive
    connections for ``SECONDS`` seconds; the status of one request is checked first."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
    status, _ = _get(conn, path, cookie)
    conn.close()
    wrk = wrk_path()
    run = _wrk if wrk else _python_load
    return run(path, cookie, status, wrk)


WRK_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_MEDIAN = re.compile(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
WRK_ERRORS = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk(path: str, cookie: str, status: int, wrk: str) -> Throughput:
    command = [
        *(wrk, "--latency", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{SECONDS}s"),
        *("-H", f"Cookie: {cookie}", f"http://{HOST}:{PORT}{path}"),
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    load = load_average()
    median = WRK_MEDIAN.search(out)
    errors = WRK_ERRORS.search(out)
    return Throughput(
        path=path,
        status=status,
        per_second=float(WRK_RATE.search(out).group(1)),
        median_ms=float(median.group(1)) * UNIT_MS[median.group(2)] if median else 0.0,
        errors=int(errors.group(1)) if errors else 0,
        load=load,
        tool="wrk",
    )


def _python_load(path: str, cookie: str, status: int, _wrk: str | None) -> Throughput:
    timings: list[float] = []
    errors = [0]
    stop = time.monotonic() + SECONDS

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
        while time.monotonic() < stop:
            started = time.perf_counter()
            code, _ = _get(conn, path, cookie)
            timings.append((time.perf_counter() - started) * 1000)
            if code >= 400:
                errors[0] += 1
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Throughput(
        path=path,
        status=status,
        per_second=len(timings) / SECONDS,
        median_ms=statistics.median(timings) if timings else 0.0,
        errors=errors[0],
        load=load_average(),
        tool="python",
    )
