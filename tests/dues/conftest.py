"""Helpers for the dues tests: profiles and payments through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.dues import services
from tests.factories import SYSTEM


def set_profile(member, category="employed", month=dt.date(2026, 1, 1), **kw):
    if category in ("employed", "retired") and "base" not in kw and "components" not in kw:
        kw["base"] = "6000.00"
    return services.dues_profile_set(
        actor=SYSTEM, member=member, category=category, effective_month=month, **kw
    )


def pay(member, months, paid_on=None, method="cash", **kw):
    return services.dues_payment_record(
        actor=SYSTEM,
        member=member,
        months=months,
        paid_on=paid_on or dt.date.today(),
        method=method,
        **kw,
    )


@pytest.fixture
def profiled(world):
    """Every member of branch A with an employed profile (base 6000 → 90.00 a month) from
    January 2026; member B0 too."""
    for m in [*world.members_a, *world.members_b]:
        set_profile(m, month=dt.date(2026, 1, 1))
    return world
