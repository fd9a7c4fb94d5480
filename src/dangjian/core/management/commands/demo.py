"""``dangjian demo``: build a deterministic demo agency system.

    dangjian demo                  about 20 committees, 100 branches, 2,000 members
    dangjian demo --scale city     2,000 branches, 50,000 members (benchmarks; bulk inserts)
    dangjian demo --small          a few branches (tests)
    dangjian demo --once           do nothing when the database already has orgs (make run)
    dangjian demo --seed 7         another, equally deterministic, system
    dangjian demo --backbone-only  orgs, members, boards and accounts; no app demo data

After the backbone (org tree, members, boards, accounts) it calls ``build(ctx)`` of
every installed dangjian app that has a ``demo`` module, in INSTALLED_APPS order,
inside the same transaction; ``ctx`` is a ``dangjian.core.demo.DemoContext``.
"""

from __future__ import annotations

import datetime as dt
import time
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from dangjian.core.audit import audit
from dangjian.core.demo import DEMO_PASSWORD, DemoContext
from dangjian.core.demo.backbone import DEMO_ACCOUNTS, SIZES, Backbone
from dangjian.core.models import AuditEntry
from dangjian.orgs.models import Org

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "DemoContext", "build_demo", "run_app_demos"]


def run_app_demos(ctx: DemoContext) -> list[str]:
    """Call ``<app>.demo.build(ctx)`` for each dangjian app that has one, in order."""
    done = []
    for config in apps.get_app_configs():
        if not config.name.startswith("dangjian.") or config.name == "dangjian.core":
            continue
        if not module_has_submodule(config.module, "demo"):
            continue
        module = import_module(f"{config.name}.demo")
        build = getattr(module, "build", None)
        if build is None:
            continue
        started = time.monotonic()
        build(ctx)
        ctx.log(f"{config.label}: 演示数据完成（{time.monotonic() - started:.1f}s）")
        done.append(config.label)
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

    ``app_demos=False`` builds the backbone only (the apps' ``demo.build`` are skipped)."""
    if scale not in SIZES:
        raise CommandError(f"未知的规模：{scale}，可选：{', '.join(SIZES)}")
    if Org.objects.exists():
        raise CommandError("数据库中已有组织数据，演示数据只能装入空数据库（make run 使用 --once）")
    today = today or dt.date.today()
    started = time.monotonic()
    backbone = Backbone(
        seed=seed,
        scale="demo" if scale == "small" else scale,
        size=SIZES[scale],
        today=today,
        log=log,
        small=scale == "small",
    )
    ctx = backbone.build()
    ran = run_app_demos(ctx) if app_demos else []
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
            choices=["demo", "city"],
            default="demo",
            help="demo：约100个支部、2000名党员；city：2000个支部、50000名党员（基准测试）",
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
        if once and Org.objects.exists():
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
