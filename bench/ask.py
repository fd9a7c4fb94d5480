"""法规问答 (standards/ask): how fast a question is answered.

Times every question of ``tests/ask/questions.py`` through ``answers.ask`` with the index
warm (the library search and the attached rules, articles and parameters; no standing,
which reads the compliance findings like the board does), ``BENCH_REPEAT`` rounds, and
prints the median and p95 per question and over all, with the query count of one answer,
and the time to build the index (jieba's dictionary included, once per process).
Target: p95 under 50 ms.

Run: ``make bench ONLY=ask`` (on the bench database), or alone on a fresh SQLite database
with only the standards library: ``.venv/bin/python bench/ask.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

TARGET_MS = 50.0
ROUNDS = int(os.environ.get("BENCH_REPEAT", "20"))


def run() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import load_average, percentile, print_rows
    from dangjian.standards.ask import index as ask_index
    from dangjian.standards.ask.answers import ask
    from tests.ask.questions import QUESTIONS

    ask_index.invalidate()
    started = time.perf_counter()
    built = ask_index.get_index()
    build_s = time.perf_counter() - started
    print(f"index: {len(built.entries)} documents, built in {build_s:.2f} s (with jieba)")
    rows, every, missed = [], [], 0
    for question, rule in QUESTIONS:
        with CaptureQueriesContext(connection) as captured:
            top = [a.entry.rule for a in ask(question).answers[:3]]
        missed += rule not in top
        timings = []
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            ask(question)
            timings.append((time.perf_counter() - t0) * 1000)
        every += timings
        rows.append(
            [
                question,
                rule,
                "yes" if rule in top else "NO",
                f"{statistics.median(timings):.1f}",
                f"{percentile(timings, 0.95):.1f}",
                str(len(captured)),
            ]
        )
    print_rows(
        "法规问答 (answers.ask, index warm)",
        ["question", "rule", "top 3", "median ms", "p95 ms", "queries"],
        rows,
    )
    p95 = percentile(every, 0.95)
    verdict = "OK" if p95 < TARGET_MS else "MISSED"
    print(
        f"all {len(QUESTIONS)} questions × {ROUNDS}: median {statistics.median(every):.1f} ms, "
        f"p95 {p95:.1f} ms (target < {TARGET_MS:.0f} ms: {verdict}); "
        f"expected rule missing from the top 3: {missed}; load {load_average():.1f}",
        flush=True,
    )


def _standalone() -> None:
    """A throwaway SQLite database with the standards library (migrate loads it)."""
    import tempfile

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    var = tempfile.mkdtemp(prefix="bench-ask-")
    os.environ.setdefault("VAR_DIR", var)
    os.environ.setdefault("SQLITE_PATH", str(Path(var) / "ask.sqlite3"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    run()


if __name__ == "__main__":
    _standalone()
