"""The ``dangjian`` command: Django's management commands plus ``serve`` and ``worker``.

dangjian migrate | demo [--scale city] | serve | worker | standards load | ...
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

# gunicorn's default access-log line plus the request id (core.middleware.RequestIdMiddleware).
ACCESS_LOG_FORMAT = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'
)


def _wait_for_port(host: str, port: int, proc: subprocess.Popen, seconds: float = 60) -> bool:
    """True once something accepts connections on host:port (False if ``proc`` died)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection((host, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def serve() -> int:
    """gunicorn on $HOST:$PORT (127.0.0.1:8000) plus one task worker; both stop together.

    WEB_CONCURRENCY (3) gunicorn processes with WEB_THREADS (4) threads each;
    ACCESS_LOG=0 silences the access log."""
    from django.conf import settings

    from dangjian.core.management.commands.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

    port = os.environ.get("PORT", "8000")
    host = os.environ.get("HOST", "127.0.0.1")
    workers = os.environ.get("WEB_CONCURRENCY", "3")
    threads = os.environ.get("WEB_THREADS", "4")
    bin_dir = os.path.dirname(sys.executable)
    access_log = (
        ["--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT]
        if os.environ.get("ACCESS_LOG", "1") != "0"
        else []
    )
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
            threads,
            *access_log,
            "--timeout",
            "60",
            "--graceful-timeout",
            "10",
            # The control socket defaults to one path per machine (~/.gunicorn), which two
            # instances would share; nothing here uses it.
            "--no-control-socket",
            # Masks full ID numbers in the access and error logs (core/logging.py).
            "--logger-class",
            "dangjian.core.logging.GunicornLogger",
        ]
    )

    def stop(*_):
        for proc in (web, worker):
            if proc.poll() is None:
                proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        if _wait_for_port("127.0.0.1" if host in {"0.0.0.0", ""} else host, int(port), web):
            shown = "127.0.0.1" if host in {"0.0.0.0", ""} else host
            lines = [
                "",
                f"机关党建平台已启动 running at  http://{shown}:{port}/",
                f"演示账号 demo accounts (密码 password: {DEMO_PASSWORD}):",
                *(f"  {username:<10} {label}" for username, label in DEMO_ACCOUNTS),
                f"数据目录 data: {settings.VAR_DIR}    停止 stop: Ctrl+C",
                "",
            ]
            print("\n".join(lines), flush=True)
        code = web.wait()
    finally:
        stop()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
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
