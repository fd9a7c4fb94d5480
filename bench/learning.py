"""Learning at city scale (2,000 branches, 50,000 members), and a heartbeat burst.

- the study hours of every party member of the whole tree (``selectors.org_hours``;
  target: under 2 s on SQLite, a constant number of queries);
- the EDU-1 check for the whole tree through the standards engine (target: under 2 s);
- 200 concurrent heartbeats: 200 members each study a video lesson, and every one's
  ``POST /api/v1/learning/lessons/{id}/heartbeat`` is sent at once from 50 clients to a
  gunicorn of its own on a free loopback port with its own data directory under /tmp
  (bounded: 200 requests, at most ``BENCH_BEAT_TIMEOUT`` seconds). Prints p95 and errors.

Run with the others (``make bench``, ``make bench ONLY=learning``) or alone:
``python bench/learning.py [--var-dir /tmp/bench-var]``. The query counts are asserted at
small scale by ``tests/learning/test_bench.py``.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOURS_TARGET_S = 2.0
CHECK_TARGET_S = 2.0
BEATS = int(os.environ.get("BENCH_BEATS", "200"))
CLIENTS = int(os.environ.get("BENCH_BEAT_CLIENTS", "50"))
TIMEOUT = float(os.environ.get("BENCH_BEAT_TIMEOUT", "120"))
WORKERS = os.environ.get("BENCH_BEAT_WORKERS", str(max(2, os.cpu_count() or 2)))


def hours_for_tree(root, year: int):
    """Every party member's hours in ``root``'s subtree (what /learning/hours/ reads)."""
    from dangjian.learning import selectors

    return selectors.org_hours(root, year)


def edu1_for_tree(root, on):
    """EDU-1 and EDU-2 for the whole tree through the standards engine."""
    from dangjian.standards import periods as P
    from dangjian.standards.engine import evaluate

    return evaluate(root, P.containing("year", on), codes=["EDU-1", "EDU-2"])


SETUP = r"""
import datetime as dt, json, sys
from dangjian.accounts.models import User
from dangjian.api.auth import token_issue
from dangjian.core.actors import SYSTEM
from dangjian.core.idnumber import make_id_number
from dangjian.learning import progress, services
from dangjian.members.models import Member
from dangjian.members.services import member_fill_computed
from dangjian.orgs.services import org_create

n = int(sys.argv[1])
w = org_create(actor=SYSTEM, name="压测工委", kind="work_committee", parent=None)
c = org_create(actor=SYSTEM, name="压测机关党委", kind="committee", parent=w)
b = org_create(actor=SYSTEM, name="压测党支部", kind="branch", parent=c)
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
course = services.course_create(
    actor=SYSTEM, org=b, title="压测：微党课", year=dt.date.today().year, required=True,
    lessons=[{"title": "视频", "kind": "video", "duration_s": 600}])
course = services.course_publish(actor=SYSTEM, course=course)
lesson = course.lessons.get()
sessions = [progress.session_start(member=m, lesson=lesson).token for m in members]
print(json.dumps({"lesson": lesson.pk, "sessions": sessions,
                  "tokens": [token_issue(user=u) for u in users]}))
"""


def burst(port: int, lesson_id: int, pairs: list[tuple[str, str]]) -> dict:
    local = threading.local()
    deadline = time.monotonic() + TIMEOUT
    path = f"/api/v1/learning/lessons/{lesson_id}/heartbeat"

    def one(pair: tuple[str, str]):
        token, session = pair
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
                body=json.dumps({"session": session, "position_s": 1}).encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            resp = conn.getresponse()
            body = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            local.conn = None
            return time.perf_counter() - started, type(exc).__name__
        elapsed = time.perf_counter() - started
        if resp.status != 200:
            return elapsed, f"HTTP {resp.status}: {body[:120].decode(errors='replace')}"
        return elapsed, None

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(one, pairs))
    wall = time.perf_counter() - began
    times = sorted(t for t, _ in results if t is not None)
    errors = [e for _, e in results if e]
    return {
        "requests": len(results),
        "wall": wall,
        "median_ms": statistics.median(times) * 1000 if times else 0.0,
        "p95_ms": times[int(0.95 * (len(times) - 1))] * 1000 if times else 0.0,
        "errors": errors,
    }


def heartbeats() -> None:
    from bench.meetings import bench_dir, bench_port, django_script, wait_until_up

    var_dir = bench_dir("learning-heartbeats")
    env = {
        **os.environ,
        "VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "dangjian.settings",
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("SQLITE_PATH", None)
    env.pop("DATABASE_URL", None)
    web = None
    try:
        subprocess.run(
            [sys.executable, "-m", "dangjian.cli", "migrate", "--no-input", "-v", "0"],
            env=env,
            check=True,
            capture_output=True,
        )
        data = json.loads(django_script(env, SETUP, str(BEATS)))
        port = bench_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        web = subprocess.Popen(
            [
                *(str(gunicorn), "dangjian.wsgi:application", "--bind", f"127.0.0.1:{port}"),
                *("--workers", WORKERS, "--threads", "4", "--log-level", "warning"),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(port, web)
        time.sleep(1.0)  # a second of real study before the beat
        result = burst(
            port, data["lesson"], list(zip(data["tokens"], data["sessions"], strict=True))
        )
    finally:
        if web is not None and web.poll() is None:
            web.terminate()
            try:
                web.wait(timeout=15)
            except subprocess.TimeoutExpired:
                web.kill()
        shutil.rmtree(var_dir, ignore_errors=True)
    print(f"\n学习进度上报压测（{BEATS} 个会话同时上报，{CLIENTS} 个并发客户端，SQLite）")
    print(
        f"  requests {result['requests']}, {result['wall']:.2f} s, median "
        f"{result['median_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, "
        f"errors {len(result['errors'])}"
    )
    for err in sorted(set(result["errors"]))[:5]:
        print(f"  error: {err}")


def run() -> None:
    from django.utils import timezone

    from bench import timed
    from dangjian.orgs.models import Org

    root = Org.objects.get(kind=Org.Kind.WORK_COMMITTEE, parent__isnull=True)
    today = timezone.localdate()
    rows = timed(
        f"study hours, every party member ({today.year})",
        lambda: hours_for_tree(root, today.year),
        HOURS_TARGET_S,
    )
    print(
        f"  {len(rows):,} members; {sum(1 for h in rows if not h.met):,} short of the requirement"
    )
    findings = timed(
        "EDU-1 / EDU-2 for the whole tree (standards engine)",
        lambda: edu1_for_tree(root, today),
        CHECK_TARGET_S,
    )
    print(f"  {len(findings):,} findings")
    heartbeats()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from bench.run import main

    sys.exit(main(["--only", "learning", *sys.argv[1:]]))
