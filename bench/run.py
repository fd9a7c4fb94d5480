"""Run the benchmarks on ``--scale city`` data: ``make bench`` / ``make bench ONLY=members``.

    python bench/run.py [--only members,dues] [--var-dir /tmp/bench-var] [--rebuild]
                        [--scale province]

The city database (2,000 branches, 50,000 members) is built once into the var dir
(default ``$BENCH_VAR_DIR`` or /tmp/bench-var), or into ``DATABASE_URL`` when it is set,
and reused by later runs, until a demo generator changes (then it is rebuilt);
``--rebuild`` starts it afresh. ``--scale province`` (``BENCH_SCALE=province``,
``make bench SCALE=province``) builds and measures 20,000 branches and 1,000,000 members
instead: meant for PostgreSQL (``DATABASE_URL``), loaded with COPY. Pages over HTTP are
served by gunicorn on 127.0.0.1:``$BENCH_PORT`` (default 8799); nothing else is bound.
Every module ``bench/<name>.py`` with a ``run()`` is called in name order.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import importlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def modules(only: list[str]) -> list[str]:
    names = sorted(
        p.stem for p in (ROOT / "bench").glob("*.py") if p.stem != "run" and p.stem[0] != "_"
    )
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            sys.exit(f"unknown bench module(s): {', '.join(unknown)}; have: {', '.join(names)}")
        names = [n for n in names if n in only]
    return names


def demo_fingerprint() -> str:
    """A hash of every demo generator: the bench data is stale when one changes."""
    src = ROOT / "src" / "dangjian"
    files = sorted(
        [
            *src.glob("*/demo.py"),
            *src.glob("core/demo/*.py"),
        ]
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(src)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def prepare(var_dir: Path, rebuild: bool, scale: str = "city") -> None:
    """Point Django at the bench database and make sure it holds the city data.

    The database is SQLite in ``var_dir``, or ``DATABASE_URL`` when it is set (then
    ``var_dir`` keeps only the stamp, the lock and the gunicorn log); ``--rebuild`` on
    PostgreSQL needs an empty database. Migrating and building run as separate
    ``dangjian`` processes, so this process starts measuring with a fresh connection."""
    stamp = var_dir / "bench-data.stamp"
    fingerprint = demo_fingerprint() + ("" if scale == "city" else f" {scale}")
    stale = not stamp.exists() or stamp.read_text() != fingerprint
    built = stamp.exists() or (var_dir / "dangjian.sqlite3").exists()
    if built and not rebuild and stale and not os.environ.get("DATABASE_URL"):
        print(f"the demo generators changed since {var_dir} was built: rebuilding it")
        rebuild = True
    if rebuild and var_dir.exists():
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ["VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    command = [sys.executable, "-m", "dangjian.cli"]
    subprocess.run([*command, "migrate", "--no-input", "-v", "0"], check=True)
    started = time.monotonic()
    subprocess.run([*command, "demo", "--scale", scale, "--once"], check=True)
    stamp.write_text(fingerprint)
    took = time.monotonic() - started
    print(f"{scale} data in {var_dir} ready in {took:.0f} s (--rebuild: afresh)")
    import django

    django.setup()
    from bench import database_label, load_average
    from dangjian.core.management.commands.demo import refresh_statistics

    refresh_statistics()  # also when the data was built by an earlier run
    print(f"measuring {database_label()}; load average {load_average():.1f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=os.environ.get("ONLY", ""), help="comma list")
    parser.add_argument(
        "--var-dir", default=os.environ.get("BENCH_VAR_DIR", "/tmp/bench-var"), type=Path
    )
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--scale", choices=["city", "province"], default=os.environ.get("BENCH_SCALE") or "city"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    names = modules([n.strip() for n in args.only.split(",") if n.strip()])
    var_dir = args.var_dir.resolve()
    # One bench at a time per data dir: no rebuild under a running bench, no shared CPU.
    lock = open(var_dir.parent / f"{var_dir.name}.lock", "w")  # noqa: SIM115 (held until exit)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"another bench is using {var_dir}; waiting for it to finish", flush=True)
        fcntl.flock(lock, fcntl.LOCK_EX)
    if args.scale == "province" and not os.environ.get("DATABASE_URL"):
        print("--scale province is meant for PostgreSQL: set DATABASE_URL", flush=True)
    os.environ["BENCH_SCALE"] = args.scale
    prepare(var_dir, args.rebuild, args.scale)
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        if not hasattr(module, "run"):
            continue
        print(f"== bench/{name}.py")
        started = time.monotonic()
        module.run()
        print(f"== bench/{name}.py done in {time.monotonic() - started:.0f} s\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
