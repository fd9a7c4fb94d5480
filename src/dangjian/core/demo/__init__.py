"""Demo data: each app builds its own part, ``dangjian demo`` runs the parts in order.

An app takes part by a ``demo`` module (``src/dangjian/<app>/demo.py``) whose step
functions take the shared ``DemoContext``, and names them with their rank on its
AppConfig::

    class MeetingsConfig(AppConfig):
        demo_steps = {"build": 110}     # function name in meetings/demo.py → rank

``dangjian demo`` collects the steps of every installed dangjian app and runs them by
rank (equal ranks in ``INSTALLED_APPS`` order), inside one transaction. An app with a
``demo.build`` and no ``demo_steps`` runs its ``build`` at rank ``DEFAULT_RANK``.
Steps ranked below ``BACKBONE`` build the backbone that every other app's demo stands
on (``--backbone-only`` stops there): the platform admin (10), the org tree and units
(20), the members (30), the demo accounts (40), the boards and positions (50). Each of
them fills its part of the context for the steps after it. Core names no app: the
order lives on the apps' configs.

A demo module may also define ``has_data() -> bool``: True when the database already
holds that app's rows, so the demo (which loads only into an empty database) refuses,
and ``--once`` does nothing.

A step looks like::

    from dangjian.core.demo import DemoContext

    def build(ctx: DemoContext) -> None:
        for branch in ctx.branches:
            members = ctx.members_by_org[branch.pk]
            ...  # use ctx.random (seeded) and ctx.today, never random/date.today()

Rules for a step:

- Deterministic: draw every random choice from ``ctx.random`` and every date
  relative to ``ctx.today``; the same seed gives the same data. The steps share one
  random stream, so changing one step's draws (or the order) changes what follows.
- ``ctx.bulk`` is True for ``--scale city`` (2,000 branches, 50,000 members) and
  ``--scale province`` (20,000 branches, 1,000,000 members): write with
  ``dangjian.core.bulk.bulk_insert`` (COPY on PostgreSQL), computing what the
  services compute, instead of calling a service per row, so the build stays within
  minutes. Keep a province's history shorter where a city's is long (``ctx.scale``).
  When False, calling the services (as ``ctx.actor``) is fine.
- ``ctx.small`` is True for the reduced build used by tests: keep it quick.
- Report progress with ``ctx.log("...")`` (or ``ctx.say``, which adds the time so far).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule

DEMO_PASSWORD = "Demo@2026"

# Demo accounts: (username, what the account is for). All use DEMO_PASSWORD. The orgs are
# named without their level: a city's are 市…, a province's 省… (Size.level).
DEMO_ACCOUNTS: list[tuple[str, str]] = [
    ("admin", "平台管理员（全部数据）"),
    ("gongwei", "直属机关工委 党务工作者（全部组织）"),
    ("dangwei", "财政局机关党委 党务工作者（本党委）"),
    ("shuji", "财政局预算处党支部 书记（本支部）"),
    ("dangyuan", "财政局预算处党支部 普通党员（本人）"),
]

BACKBONE = 100  # steps ranked below this build the backbone
DEFAULT_RANK = 1000  # an app's ``demo.build`` that declares no ``demo_steps``


@dataclass(frozen=True)
class Size:
    committees: int
    branches: int
    members: int
    branch_cap: int = 50  # the most members the demo gives one branch
    level: str = "市"  # the agencies' level in the names: 市直机关工委, 市财政局; 省 for a province


SIZES = {
    "small": Size(committees=3, branches=8, members=120),
    "demo": Size(committees=20, branches=100, members=2000),
    "city": Size(committees=60, branches=2000, members=50000),
    # 50 members a branch on average: the cap must leave room above it.
    "province": Size(committees=600, branches=20000, members=1_000_000, branch_cap=90, level="省"),
}
# Scales written with bulk inserts (COPY on PostgreSQL) instead of the services.
BULK_SCALES = {"city", "province"}
# What the audit log shows for a scale (``dangjian demo --small`` / default / ``--scale city``).
SIZE_LABELS = {
    "small": "测试（少量支部）",
    "demo": "演示（约100个支部）",
    "city": "市级（约2000个支部）",
    "province": "省级（约20000个支部）",
}


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _quiet(message: str) -> None:
    pass


@dataclass
class DemoContext:
    """What the steps so far built, for the steps after them.

    today           the date the demo is built "as of" (use instead of date.today())
    random          seeded ``random.Random``: the only source of randomness
    scale           "demo" (about 100 branches, 2,000 members), "city" (2,000 / 50,000) or
                    "province" (20,000 / 1,000,000)
    size            the ``Size`` to build (committees, branches, members)
    bulk            True when rows must be written in bulk (city and province scales)
    small           True for the reduced build used by tests
    log             ``log("...")`` prints a progress line (quiet in tests)

    Filled by the backbone (the models are those of the apps that build them):

    actor           a superuser (the platform admin) to act as when calling services
    work_committee  the root org (市直机关工委)
    committees      the committee orgs (机关党委), in tree order
    general_branches  the general branch orgs (党总支)
    branches        every branch org (党支部), in tree order
    groups          every group org (党小组)
    featured        the branch of the demo accounts ``shuji`` and ``dangyuan``
    branch_kinds    branch id → "organ" | "office" | "center" | "retired" (retirees' branch)
    branch_sizes    branch id → how many members the branch gets
    members_by_org  branch id → list of its members (on the rolls, all statuses)
    accounts        username → user for the demo accounts (see ``DEMO_ACCOUNTS``)
    """

    today: dt.date
    random: random.Random
    scale: str
    size: Size = SIZES["demo"]
    bulk: bool = False
    small: bool = False
    log: Callable[[str], None] = _quiet
    actor: Any = None
    work_committee: Any = None
    committees: list = field(default_factory=list)
    general_branches: list = field(default_factory=list)
    branches: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    featured: Any = None
    branch_kinds: dict[int, str] = field(default_factory=dict)
    branch_sizes: dict[int, int] = field(default_factory=dict)
    members_by_org: dict[int, list] = field(default_factory=dict)
    accounts: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def say(self, message: str) -> None:
        """A progress line with the time since the build started."""
        self.log(f"[{time.monotonic() - self.started:6.1f}s] {message}")

    def members(self) -> list:
        """All members on the rolls, branch by branch."""
        return [m for org_members in self.members_by_org.values() for m in org_members]

    def party_members(self, org_id: int) -> list:
        """Full and probationary members of one branch."""
        return [
            m for m in self.members_by_org.get(org_id, []) if m.status in {"full", "probationary"}
        ]


@dataclass(frozen=True)
class Step:
    """One step of the demo: ``func`` of app ``label``'s demo module, run at ``rank``."""

    rank: int
    label: str
    name: str
    func: Callable[[DemoContext], None]

    @property
    def backbone(self) -> bool:
        return self.rank < BACKBONE


def demo_modules() -> list[tuple[Any, Any]]:
    """(app config, demo module) of every installed dangjian app that has one."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("dangjian."):
            continue
        if not module_has_submodule(config.module, "demo"):
            continue
        found.append((config, import_module(f"{config.name}.demo")))
    return found


def demo_steps() -> list[Step]:
    """Every app's demo steps, by rank (equal ranks in INSTALLED_APPS order)."""
    steps = []
    for config, module in demo_modules():
        declared = getattr(config, "demo_steps", None)
        if declared is None:
            declared = {"build": DEFAULT_RANK} if hasattr(module, "build") else {}
        for name, rank in declared.items():
            steps.append(Step(rank=rank, label=config.label, name=name, func=getattr(module, name)))
    return sorted(steps, key=lambda step: step.rank)  # stable: app order within a rank


def has_demo_data() -> bool:
    """True when an app's demo module says the database already holds its data."""
    return any(module.has_data() for _, module in demo_modules() if hasattr(module, "has_data"))


def build_channels(ctx: DemoContext) -> None:
    """Core's own demo step (``CoreConfig.demo_steps``): the outgoing channels."""
    from dangjian.core.channels.demo import build

    build(ctx)
