"""``dangjian demo``: build a deterministic demo agency system.

    dangjian demo                  about 20 committees, 100 branches, 2,000 members
    dangjian demo --scale city     2,000 branches, 50,000 members (benchmarks; bulk inserts)
    dangjian demo --scale province 20,000 branches, 1,000,000 members (PostgreSQL; COPY)
    dangjian demo --small          a few branches (tests)
    dangjian demo --once           do nothing when the database already has orgs (make run)
    dangjian demo --seed 7         another, equally deterministic, system
    dangjian demo --backbone-only  orgs, members, boards and accounts; no app demo data

Each app builds its own part: the command runs the demo steps that the installed apps
declare (``demo_steps`` on their AppConfig, functions of their ``demo`` module), by rank,
inside one transaction, handing each the same ``dangjian.core.demo.DemoContext``. The
backbone (admin, org tree, members, accounts, boards) comes first; see
``dangjian.core.demo``.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from dangjian.core.audit import audit
from dangjian.core.demo import (
    BULK_SCALES,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    SIZES,
    DemoContext,
    demo_steps,
    has_demo_data,
)
from dangjian.core.models import AuditEntry
from dangjian.core.signals import bulk_load

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "DemoContext",
    "build_demo",
    "refresh_statistics",
    "run_demo_steps",
]


def refresh_statistics() -> None:
    """After a bulk load, the planner needs fresh statistics (``ANALYZE``). PostgreSQL:
    without them the first compliance run on the city data took twice as long; ``VACUUM``
    as well where it can run (not inside a transaction): it sets the visibility map,
    without which the planner cannot answer from an index alone — counting a city's rolls
    per branch read the 50,000 rows (30 ms) instead of the rolls index (10 ms). SQLite
    (2 s for a city): without ``sqlite_stat1`` it reads a branch's meetings through the
    index on time, every meeting of the year, instead of the branch's own (0.2 s against
    1 ms), and a branch's evaluation took 0.8 s instead of 0.1 s."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


def run_demo_steps(ctx: DemoContext, *, backbone_only: bool = False) -> list[str]:
    """Run every app's demo steps by rank; return the labels of the apps whose steps
    beyond the backbone ran, in order."""
    done: list[str] = []
    for step in demo_steps():
        if backbone_only and not step.backbone:
            continue
        started = time.monotonic()
        step.func(ctx)
        if not step.backbone:
            ctx.log(f"{step.label}: 演示数据完成（{time.monotonic() - started:.1f}s）")
            if step.label not in done:
                done.append(step.label)
    return done


@transaction.atomic
def build_demo(
    *,
    scale: str = "demo",
    seed: int = 2026,
    today: dt.date | None = None,
    log=lambda message: None,
    app_demos: bool = True,
) -> DemoContext:
    """Build the whole demo system into an empty database and return its context.

    ``app_demos=False`` builds the backbone only (the steps beyond it are skipped)."""
    if scale not in SIZES:
        raise CommandError(f"未知的规模：{scale}，可选：{', '.join(SIZES)}")
    if has_demo_data():
        raise CommandError("数据库中已有组织数据，演示数据只能装入空数据库（make run 使用 --once）")
    today = today or dt.date.today()
    started = time.monotonic()
    ctx = DemoContext(
        today=today,
        random=random.Random(seed),
        scale="demo" if scale == "small" else scale,
        size=SIZES[scale],
        bulk=scale in BULK_SCALES,
        small=scale == "small",
        log=log,
    )
    with bulk_load(sender=build_demo):
        ran = run_demo_steps(ctx, backbone_only=not app_demos)
    members = sum(len(m) for m in ctx.members_by_org.values())
    audit(
        actor=ctx.actor,
        action=AuditEntry.Action.CREATE,
        obj=ctx.work_committee,
        verb="装入演示数据",
        changes={
            "scale": scale,
            "seed": seed,
            "today": str(today),
            "committees": len(ctx.committees),
            "branches": len(ctx.branches),
            "groups": len(ctx.groups),
            "members": members,
            "apps": ran,
            "seconds": round(time.monotonic() - started, 1),
        },
    )
    return ctx


class Command(BaseCommand):
    help = "装入演示数据（确定性随机，同一种子得到同样的数据）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["demo", "city", "province"],
            default="demo",
            help=(
                "demo：约100个支部、2000名党员；city：2000个支部、50000名党员（基准测试）；"
                "province：20000个支部、100万名党员（PostgreSQL）"
            ),
        )
        parser.add_argument("--small", action="store_true", help="只建少量数据（测试用）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（默认 2026）")
        parser.add_argument("--once", action="store_true", help="数据库已有组织时什么也不做")
        parser.add_argument(
            "--backbone-only",
            action="store_true",
            help="只建组织、党员、班子和账号，不调用各模块的演示数据",
        )
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, default=None, help="以此日期为“今天”"
        )

    def handle(self, *args, scale, small, seed, once, today, backbone_only, verbosity, **options):
        if once and has_demo_data():
            if verbosity:
                self.stdout.write("数据库中已有组织数据，跳过演示数据。")
            return
        if today is not None and today > dt.date.today():
            raise CommandError("--today 不能晚于今天")
        scale = "small" if small else scale

        def log(message: str) -> None:
            if verbosity:
                self.stdout.write(message)
                self.stdout.flush()

        started = time.monotonic()
        ctx = build_demo(scale=scale, seed=seed, today=today, log=log, app_demos=not backbone_only)
        refresh_statistics()
        members = sum(len(m) for m in ctx.members_by_org.values())
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"演示数据已装入：{len(ctx.committees)} 个机关党委，"
                    f"{len(ctx.branches)} 个党支部，{members} 名党员，"
                    f"用时 {time.monotonic() - started:.1f} 秒。"
                )
            )
            self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
            for username, label in DEMO_ACCOUNTS:
                self.stdout.write(f"  {username:<10} {label}")
