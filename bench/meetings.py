"""Sign-in burst: 500 members of one meeting sign in at once against a running server.

Starts its own gunicorn on 127.0.0.1:``BENCH_PORT`` (the only port the bench binds; the
page benches have stopped theirs by then) with its own data directory,
``$BENCH_VAR_DIR/meetings-burst`` (so the city database of the other benches is not
touched; removed afterwards), prepares a branch of 500
members, each with an API token, and a meeting whose sign-in window is open; then sends
every member's ``POST /api/v1/meetings/{id}/sign-in`` (with the 6-digit code shown in the
room, as a self sign-in requires) from 50 concurrent clients, followed
by the same 500 again (a double tap must change nothing). Bounded: 1,000 requests, at most
``BENCH_SIGNIN_TIMEOUT`` (default 120) seconds. Prints requests per second, median and 95th
percentile latency, the error count, and whether every member is recorded exactly once.

    python bench/meetings.py            (or with the others: make bench ONLY=meetings)
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEMBERS = int(os.environ.get("BENCH_SIGNIN_MEMBERS", "500"))
CLIENTS = int(os.environ.get("BENCH_SIGNIN_CLIENTS", "50"))
TIMEOUT = float(os.environ.get("BENCH_SIGNIN_TIMEOUT", "120"))
WORKERS = os.environ.get("BENCH_SIGNIN_WORKERS", str(max(2, os.cpu_count() or 2)))

SETUP = r"""
import datetime as dt, json, sys
from django.utils import timezone
from dangjian.accounts.models import User
from dangjian.api.auth import token_issue
from dangjian.meetings import services
from dangjian.members.models import Member
from dangjian.members.services import member_fill_computed
from dangjian.orgs.services import org_create
from dangjian.core.idnumber import make_id_number

class System:
    is_authenticated = True; is_active = True; is_superuser = True; member_id = None; pk = None
    def get_full_name(self): return "系统"

n = int(sys.argv[1])
actor = System()
w = org_create(actor=actor, name="压测工委", kind="work_committee", parent=None)
c = org_create(actor=actor, name="压测机关党委", kind="committee", parent=w)
b = org_create(actor=actor, name="压测党支部", kind="branch", parent=c)
born = dt.date(1980, 1, 1)
members = Member.objects.bulk_create([
    member_fill_computed(Member(
        name=f"党员{i:03d}", gender="male", birth_date=born, org=b, status="full",
        applied_at=dt.date(2000, 1, 1), activist_at=dt.date(2000, 6, 1),
        candidate_at=dt.date(2001, 6, 1), joined_at=dt.date(2002, 1, 1),
        full_at=dt.date(2003, 1, 1)),
        make_id_number("330203", born, i + 1, "male"))
    for i in range(n)])
users = User.objects.bulk_create(
    [User(username=f"bench{i:03d}", name=m.name, member=m, password="!")
     for i, m in enumerate(members)])
meeting = services.meeting_create(
    actor=actor, org=b, kind="general_meeting", topic="压测：支部党员大会",
    held_at=timezone.now() + dt.timedelta(minutes=10))
print(json.dumps({"meeting": meeting.pk, "code": meeting.sign_in_code,
                  "tokens": [token_issue(user=u) for u in users]}))
"""

CHECK = r"""
import json, sys
from django.db.models import Count
from dangjian.meetings.models import Attendance
rows = Attendance.objects.filter(meeting_id=int(sys.argv[1]))
print(json.dumps({
    "rows": rows.count(),
    "present": rows.filter(status="present").count(),
    "duplicates": rows.values("member_id").annotate(n=Count("id")).filter(n__gt=1).count(),
}))
"""


def bench_port() -> int:
    """``BENCH_PORT`` (default 8799), refused when something already answers on it."""
    port = int(os.environ.get("BENCH_PORT", "8799"))
    try:
        socket.create_connection(("127.0.0.1", port), 0.5).close()
    except OSError:
        return port
    sys.exit(f"port {port} is taken: set BENCH_PORT to a free port")


def bench_dir(name: str = "meetings-burst") -> Path:
    """A fresh folder ``name`` inside ``BENCH_VAR_DIR`` (default /tmp/bench-var)."""
    base = Path(os.environ.get("BENCH_VAR_DIR", "/tmp/bench-var")).resolve()
    path = base / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def django_script(env: dict, script: str, *args: str) -> str:
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'dangjian.settings');"
        " django.setup()\n" + script
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def wait_until_up(port: int, proc: subprocess.Popen, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn 启动失败")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn 未在规定时间内就绪")


def burst(port: int, meeting_id: int, code: str, tokens: list[str]) -> dict:
    local = threading.local()
    deadline = time.monotonic() + TIMEOUT
    path = f"/api/v1/meetings/{meeting_id}/sign-in"

    def one(token: str):
        if time.monotonic() > deadline:
            return None, "timeout"
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        started = time.perf_counter()
        try:
            conn.request(
                "POST",
                path,
                body=json.dumps({"code": code}).encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            resp = conn.getresponse()
            body = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            local.conn = None
            return time.perf_counter() - started, f"{type(exc).__name__}"
        elapsed = time.perf_counter() - started
        if resp.status != 200:
            return elapsed, f"HTTP {resp.status}: {body[:120].decode(errors='replace')}"
        return elapsed, None

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(one, tokens + tokens))  # everyone, then everyone again
    wall = time.perf_counter() - began
    times = sorted(t for t, _ in results if t is not None)
    errors = [e for _, e in results if e]
    return {
        "requests": len(results),
        "wall": wall,
        "rps": len(results) / wall if wall else 0.0,
        "median_ms": statistics.median(times) * 1000 if times else 0.0,
        "p95_ms": times[int(0.95 * (len(times) - 1))] * 1000 if times else 0.0,
        "errors": errors,
    }


def run() -> None:
    var_dir = bench_dir()
    env = {
        **os.environ,
        "VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "dangjian.settings",
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("SQLITE_PATH", None)
    web = None
    try:
        subprocess.run(
            [sys.executable, "-m", "dangjian.cli", "migrate", "--no-input", "-v", "0"],
            env=env,
            check=True,
            capture_output=True,
        )
        data = json.loads(django_script(env, SETUP, str(MEMBERS)))
        port = bench_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        web = subprocess.Popen(
            [
                str(gunicorn),
                "dangjian.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                WORKERS,
                "--threads",
                "4",
                "--log-level",
                "warning",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_until_up(port, web)
        result = burst(port, data["meeting"], data["code"], data["tokens"])
        check = json.loads(django_script(env, CHECK, str(data["meeting"])))
    finally:
        if web is not None and web.poll() is None:
            web.terminate()
            try:
                web.wait(timeout=15)
            except subprocess.TimeoutExpired:
                web.kill()
        shutil.rmtree(var_dir, ignore_errors=True)
    once = check["rows"] == check["present"] == MEMBERS and check["duplicates"] == 0
    print(
        f"\n签到压测（{MEMBERS} 名党员 × 2 次，{CLIENTS} 个并发客户端，"
        f"gunicorn {WORKERS}×4 线程，SQLite）"
    )
    print(
        f"  requests {result['requests']}, {result['wall']:.2f} s, "
        f"{result['rps']:.0f} req/s, median {result['median_ms']:.0f} ms, "
        f"p95 {result['p95_ms']:.0f} ms, errors {len(result['errors'])}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"  recorded: {check['present']} present of {MEMBERS}, rows {check['rows']}, "
        f"duplicates {check['duplicates']} → {'each exactly once' if once else 'MISMATCH'}"
    )
    for err in sorted(set(result["errors"]))[:5]:
        print(f"  error: {err}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    run()
