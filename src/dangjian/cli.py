"""The ``dangjian`` command: Django's management commands plus ``serve`` and ``worker``.

dangjian migrate | demo [--scale city] | serve | worker | standards load | ...
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys


def serve() -> int:
    """gunicorn on 127.0.0.1:$PORT plus one task worker; both stop together."""
    from django.conf import settings

    port = os.environ.get("PORT", "8000")
    host = os.environ.get("HOST", "127.0.0.1")
    workers = os.environ.get("WEB_CONCURRENCY", "3")
    bin_dir = os.path.dirname(sys.executable)
    print(f"\n机关党建平台 running at http://{host}:{port}/", flush=True)
    print("演示账号 demo accounts (password Demo@2026):", flush=True)
    from dangjian.core.management.commands.demo import DEMO_ACCOUNTS

    for username, label in DEMO_ACCOUNTS:
        print(f"  {username:<12} {label}", flush=True)
    print(f"data: {settings.VAR_DIR}\n", flush=True)
    worker = subprocess.Popen([sys.executable, "-m", "dangjian.cli", "worker"])
    web = subprocess.Popen(
        [
            os.path.join(bin_dir, "gunicorn"),
            "dangjian.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            workers,
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--timeout",
            "60",
        ]
    )

    def stop(*_):
        for proc in (web, worker):
            if proc.poll() is None:
                proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        code = web.wait()
    finally:
        stop()
        worker.wait(timeout=10)
    return code


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    import django

    django.setup()
    if argv[:1] == ["serve"]:
        return serve()
    if argv[:1] == ["worker"]:
        argv = ["db_worker", *argv[1:]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dangjian", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
