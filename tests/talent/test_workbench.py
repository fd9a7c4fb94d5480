"""What the talent app puts on the workbench: nominations for the org above only,
re-confirmations due, certificates expiring, staff short of a track's hours."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.core.workbench import WorkbenchContext
from dangjian.talent import services, workbench
from dangjian.talent.models import Talent
from tests.factories import SYSTEM
from tests.talent.conftest import make_course, make_talent, make_track

pytestmark = pytest.mark.django_db


def whats(user, today=None):
    """The talent app's own to-dos (the workbench shows the worst 20 of every app's)."""
    ctx = WorkbenchContext.for_user(user, today)
    providers = (workbench.nominations_to_review, workbench.reconfirmations)
    return [t.what for p in (*providers, workbench.track_shortfalls) for t in p(ctx)]


def test_talent_todos_reach_the_right_people(world):
    today = timezone.localdate()
    pending = make_talent(world.members_a[1])
    admitted = make_talent(world.members_a[2], admit=True)
    Talent.objects.filter(pk=admitted.pk).update(confirmed_on=today - dt.timedelta(days=400))
    services.certificate_add(
        actor=SYSTEM,
        talent=admitted,
        name="CISP",
        issued_on=today - dt.timedelta(days=700),
        expires_on=today + dt.timedelta(days=10),
    )
    make_track(world.w, courses=[make_course(world.w)])
    december = dt.date(today.year, 12, 1)
    c1 = whats(world.user("c1_admin"), today=december)
    assert f"审核人才库提名：{pending.member.name}" in c1
    assert f"人才库年度复核：{admitted.member.name}" in c1
    assert any("证书即将到期" in w for w in c1)
    assert any("培训专题" in w and "未完成学时" in w for w in c1)
    sec_a = whats(world.user("sec_a"), today=december)
    assert f"审核人才库提名：{pending.member.name}" not in sec_a  # not her own nominee
    assert f"人才库年度复核：{admitted.member.name}" in sec_a
    sec_b = whats(world.user("sec_b"), today=december)
    assert not any(admitted.member.name in w for w in sec_b)
