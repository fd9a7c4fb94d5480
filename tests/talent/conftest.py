"""Helpers for the talent tests: talents, tracks and study credits made through the services
(study credits and courses as learning's ledger holds them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from dangjian.learning.models import Course, StudyCredit
from dangjian.talent import services
from dangjian.talent.models import Skill
from tests.factories import SYSTEM


def make_talent(member, *, skills=("信息安全",), consent=True, admit=False, reason="擅长网络安全"):
    talent = services.talent_nominate(
        actor=SYSTEM,
        member=member,
        skills=list(Skill.objects.filter(name__in=skills)),
        reason=reason,
        consent_on=timezone.localdate() if consent else None,
    )
    if admit:
        talent = services.talent_review(actor=SYSTEM, talent=talent, approve=True)
    return talent


def make_course(org, title="网络安全基础", year=None):
    return Course.objects.create(
        org=org,
        title=title,
        year=year or timezone.localdate().year,
        status=Course.Status.PUBLISHED,
        published_at=timezone.now(),
    )


def make_track(org, *, title="信息安全专题", hours=None, courses=(), year=None):
    track = services.track_create(
        actor=SYSTEM,
        org=org,
        title=title,
        topic="security",
        year=year or timezone.localdate().year,
        hours=hours or {"secretary": "8", "staff": "4"},
    )
    for course in courses:
        services.track_item_add(actor=SYSTEM, track=track, course=course)
    return track


def credit(member, course, hours, year=None):
    """A row of learning's ledger for a course completed (as learning.services writes it)."""
    return StudyCredit.objects.create(
        member=member,
        year=year or timezone.localdate().year,
        category=StudyCredit.Category.ONLINE,
        hours=Decimal(str(hours)),
        title=course.title,
        source_type="learning.course",
        source_id=course.pk,
        status=StudyCredit.Status.APPROVED,
        approved_at=timezone.now(),
    )


def set_unit(org, name, staff_count=None, *, below=()):
    """``org`` (and the orgs ``below``) sit in a new unit ``name``."""
    from dangjian.orgs.models import Unit

    unit = Unit.objects.create(name=name, staff_count=staff_count)
    for o in (org, *below):
        type(o).objects.filter(pk=o.pk).update(unit=unit)
        o.refresh_from_db()
    return unit


TODAY = dt.date.today()
