"""The publicity demo step: notices (one read), articles at every step, role models with
consent, last year's disclosure on the public portal."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from dangjian.core.demo import DemoContext, demo_steps
from dangjian.publicity import demo
from dangjian.publicity.models import Article, Disclosure, Notice, NoticeRead, RoleModel, Status
from tests.factories import SYSTEM, give_role, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def built(world):
    writer, reviewer = make_user("dangwei"), make_user("gongwei")
    give_role(writer, world.c1, "staff")
    give_role(reviewer, world.w, "staff")
    ctx = DemoContext(
        today=TODAY,
        random=random.Random(2026),
        scale="demo",
        small=True,
        actor=SYSTEM,
        work_committee=world.w,
        branches=[world.a, world.b, world.d],
        featured=world.a,
        members_by_org={world.a.pk: world.members_a},
        accounts={
            "dangwei": writer,
            "gongwei": reviewer,
            "admin": world.user("admin"),
            "shuji": world.user("sec_a"),
            "dangyuan": world.user("member_a"),
        },
    )
    demo.build(ctx)
    return world


def test_the_step_runs_after_work():
    ranks = {s.label: s.rank for s in demo_steps()}
    assert ranks["publicity"] == 160 > ranks["work"]


def test_demo_builds_every_kind_of_item(built):
    assert Notice.objects.count() == 3 and NoticeRead.objects.count() == 1
    statuses = set(Article.objects.values_list("status", flat=True))
    assert statuses == {Status.PUBLISHED, Status.SUBMITTED, Status.DRAFT}
    assert Article.objects.public().count() == 2
    assert RoleModel.objects.public().count() == 2
    assert Disclosure.objects.public().get().year == 2025
    assert Disclosure.objects.filter(status=Status.DRAFT, year=2026).exists()
