"""Fixtures for organizational life: plan rules as data, and meetings built by services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.meetings import services
from dangjian.meetings.plan import is_plan_rule
from dangjian.standards.models import Rule, Standard
from tests.factories import SYSTEM


def make_rule(
    code,
    kind,
    period,
    minimum=1,
    *,
    version=1,
    start=dt.date(2018, 1, 1),
    end=None,
    applies=None,
    **extra,
):
    standard = Standard.objects.get_or_create(
        code="test-branch",
        defaults={"title": "测试条例", "short_name": "测试条例", "category": "regulation"},
    )[0]
    return Rule.objects.create(
        code=code,
        version=version,
        title=f"{kind} {period}",
        standard=standard,
        article="第一条",
        verification="V",
        # 民主评议 has its own checker (it counts appraisals, not meetings).
        checker="appraisal_frequency" if kind == "appraisal" else "meeting_frequency",
        params={"kind": kind, "period": period, "min": minimum, **extra},
        applies_to={"kinds": applies} if applies else {},
        effective_from=start,
        effective_to=end,
    )


@pytest.fixture
def plan_rules(db):
    """The plan rules of RULES.md section B, as test data (the shipped library may differ)."""
    for rule in Rule.objects.all():
        if is_plan_rule(rule):
            Rule.objects.filter(pk=rule.pk).update(enabled=False)
    return [
        make_rule("T-GENERAL", "general_meeting", "quarter"),
        make_rule("T-BOARD", "board_meeting", "month"),
        make_rule("T-GROUP", "group_meeting", "month", applies=["group"]),
        make_rule("T-LECTURE", "party_lecture", "quarter"),
        make_rule("T-THEME", "theme_day", "month"),
        make_rule("T-LIFE", "life_meeting", "year", preferred_quarter=4),
        make_rule("T-APPRAISAL", "appraisal", "year"),
        make_rule("T-TALK", "heart_talk", "year"),
    ]


def ago(**kw):
    return timezone.now() - dt.timedelta(**kw)


def held_meeting(org, kind="general_meeting", *, topic="学习贯彻会议精神", when=None, **kw):
    return services.meeting_create(
        actor=SYSTEM,
        org=org,
        kind=kind,
        topic=topic,
        status="held",
        held_at=when or ago(hours=1),
        **kw,
    )


def open_meeting(org, kind="general_meeting", *, topic="支部党员大会", starts=None, **kw):
    """A planned meeting whose sign-in window is open now."""
    return services.meeting_create(
        actor=SYSTEM,
        org=org,
        kind=kind,
        topic=topic,
        held_at=starts or (timezone.now() + dt.timedelta(minutes=10)),
        **kw,
    )
