"""The opinion demo step: keyword sets, the self-served feed loaded without network, items
by hand and cases at each level."""

import datetime as dt
import random

import pytest

from dangjian.core.demo import DemoContext
from dangjian.opinion import demo
from dangjian.opinion.models import OpinionCase, OpinionItem, OpinionSource
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


def test_the_demo_builds_a_watch_with_cases(world):
    ctx = DemoContext(
        today=dt.date(2026, 11, 30),
        random=random.Random(7),
        scale="demo",
        small=True,
        actor=SYSTEM,
        work_committee=world.w,
        branches=[world.a, world.b, world.d],
        featured=world.a,
    )
    demo.build(ctx)
    source = OpinionSource.objects.get()
    assert source.url.endswith("/static/opinion/demo-feed.xml")
    assert OpinionItem.objects.filter(source=source).count() == 8
    assert not OpinionItem.objects.get(title__contains="招聘").matched
    assert OpinionItem.objects.get(title__contains="重复提交").matched
    levels = set(OpinionCase.objects.values_list("level", flat=True))
    assert levels == {"general", "major", "critical"}
    assert set(OpinionCase.objects.values_list("status", flat=True)) == {
        "open",
        "answered",
        "closed",
    }
    assert any(c.is_late for c in OpinionCase.objects.all())
