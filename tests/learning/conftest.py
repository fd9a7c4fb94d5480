"""Helpers for the learning tests: published courses through the services, and explicit
times (``at(seconds)``) so that progress is measured without sleeping."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.learning import services
from dangjian.learning.demo import tone_wav
from tests.factories import SYSTEM

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def make_course(org, lessons=None, *, publish=True, year=2026, title="微党课：学习条例"):
    lessons = lessons or [{"title": "视频", "kind": "video", "duration_s": 100}]
    course = services.course_create(
        actor=SYSTEM, org=org, title=title, year=year, required=True, lessons=lessons
    )
    if publish:
        course = services.course_publish(actor=SYSTEM, course=course)
    return course


def demo_context(world, today: dt.date):
    """A small demo build over the test world: the work committee, branch A featured."""
    import random

    from dangjian.core.demo import DemoContext

    return DemoContext(
        today=today,
        random=random.Random(2026),
        scale="demo",
        small=True,
        actor=SYSTEM,
        work_committee=world.w,
        featured=world.a,
        members_by_org={world.a.pk: world.members_a},
    )


def wav_file(seconds: float = 1, name: str = "a.wav") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tone_wav(seconds))
