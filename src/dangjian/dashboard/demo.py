"""Demo step of the 驾驶舱: after every app has built its data, rebuild the kept figures of
the demo's year, so the dashboard opens full."""

from __future__ import annotations

from dangjian.core.actors import SYSTEM
from dangjian.core.demo import DemoContext
from dangjian.dashboard.services import figures_rebuild


def build(ctx: DemoContext) -> None:
    figures_rebuild(actor=SYSTEM, year=ctx.today.year, today=ctx.today)
