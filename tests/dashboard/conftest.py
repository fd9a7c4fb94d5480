"""Helpers for the dashboard tests: a hand-made year of records in the world fixture."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangjian.core.actors import SYSTEM
from dangjian.dashboard.services import figures_rebuild


def today() -> dt.date:
    return timezone.localdate()


def rebuild(year: int | None = None, *, on: dt.date | None = None):
    """Rebuild the figures (``on``: as if today were that day, to let deadlines pass)."""
    return figures_rebuild(actor=SYSTEM, year=year or today().year, today=on)


def later(days: int = 3) -> dt.date:
    """A few days ahead within this year (services refuse deadlines in the past)."""
    return min(today() + dt.timedelta(days=days), dt.date(today().year, 12, 31))


def kept(org, panel: str, year: int | None = None) -> dict:
    from dangjian.dashboard.models import PanelFigure

    return PanelFigure.objects.get(org=org, panel=panel, year=year or today().year).figures
