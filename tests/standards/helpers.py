"""Builders for compliance tests: held meetings go through the meetings service."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from dangjian.meetings.services import meeting_create
from dangjian.standards import periods as P
from dangjian.standards.engine import evaluate
from tests.factories import SYSTEM

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(y, m, d, hh=9, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def held(org, kind: str, when: dt.datetime, *, group=None, host=None, counterpart=None):
    return meeting_create(
        actor=SYSTEM,
        org=org,
        kind=kind,
        topic=f"{kind} {when:%Y-%m-%d}",
        status="held",
        held_at=when,
        group=group,
        host=host,
        counterpart=counterpart,
    )


def findings_for(root, period, code, *, today, org=None):
    out = evaluate(root, period, today=today, codes=[code])
    if org is not None:
        out = [f for f in out if f.org_id == org.pk]
    return out


def by_period(findings) -> dict[str, str]:
    return {f.period: f.status for f in findings}


def year(y):
    return P.year(y)
