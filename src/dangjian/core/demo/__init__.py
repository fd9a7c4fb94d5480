"""Demo data: the context handed to every app's ``demo.build(ctx)``.

``dangjian demo`` first builds the backbone (org tree, units, boards, members,
accounts), then calls ``build(ctx)`` of each installed dangjian app that has a
``demo`` module (``src/dangjian/<app>/demo.py``), in ``INSTALLED_APPS`` order,
inside the same run. An app's ``demo.py`` looks like::

    from dangjian.core.demo import DemoContext

    def build(ctx: DemoContext) -> None:
        for branch in ctx.branches:
            members = ctx.members_by_org[branch.pk]
            ...  # use ctx.random (seeded) and ctx.today, never random/date.today()

Rules for ``build``:

- Deterministic: draw every random choice from ``ctx.random`` and every date
  relative to ``ctx.today``; the same seed gives the same data.
- ``ctx.bulk`` is True for ``--scale city`` (2,000 branches, 50,000 members):
  write with ``bulk_create`` (computing what the services compute) instead of
  calling a service per row, so the build stays within a few minutes.
  When False, calling the services (as ``ctx.actor``) is fine.
- ``ctx.small`` is True for the reduced build used by tests: keep it quick.
- Report progress with ``ctx.log("...")``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dangjian.accounts.models import User
    from dangjian.members.models import Member
    from dangjian.orgs.models import Org

DEMO_PASSWORD = "Demo@2026"


def _quiet(message: str) -> None:
    pass


@dataclass
class DemoContext:
    """What the backbone built, for the apps that add their own demo data.

    today           the date the demo is built "as of" (use instead of date.today())
    random          seeded ``random.Random``: the only source of randomness
    scale           "demo" (about 100 branches, 2,000 members) or "city" (2,000 / 50,000)
    bulk            True when rows must be written with bulk_create (city scale)
    actor           a superuser ``User`` to act as when calling services
    work_committee  the root ``Org`` (市直机关工委)
    committees      the committee ``Org``s (机关党委), in tree order
    branches        every branch ``Org`` (党支部), in tree order
    groups          every group ``Org`` (党小组)
    members_by_org  branch id → list of its ``Member``s (on the rolls, all statuses)
    accounts        username → ``User`` for the demo accounts (admin, gongwei, shuji, dangyuan)
    general_branches  the general branch ``Org``s (党总支)
    small           True for the reduced build used by tests
    log             ``log("...")`` prints a progress line (quiet in tests)
    """

    today: dt.date
    random: random.Random
    scale: str
    bulk: bool
    actor: User
    work_committee: Org
    committees: list[Org]
    branches: list[Org]
    groups: list[Org]
    members_by_org: dict[int, list[Member]]
    accounts: dict[str, User]
    general_branches: list[Org] = field(default_factory=list)
    small: bool = False
    log: Callable[[str], None] = _quiet
    extra: dict[str, Any] = field(default_factory=dict)

    def members(self) -> list[Member]:
        """All members on the rolls, branch by branch."""
        return [m for org_members in self.members_by_org.values() for m in org_members]

    def party_members(self, org_id: int) -> list[Member]:
        """Full and probationary members of one branch."""
        return [
            m for m in self.members_by_org.get(org_id, []) if m.status in {"full", "probationary"}
        ]
