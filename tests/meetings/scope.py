"""Objects for the scope matrix (tests/test_scope_matrix.py): for each path parameter the
meetings app (and the rectification list) introduces, an object of branch A and one of
branch B, made through the services."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.meetings import services
from dangjian.meetings.plan import plan_rules
from tests.factories import SYSTEM

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _objects(org, members) -> dict[str, int]:
    year = timezone.localdate().year
    meeting = services.meeting_create(
        actor=SYSTEM,
        org=org,
        kind="life_meeting",
        topic="年度组织生活会",
        status="held",
        held_at=timezone.now() - dt.timedelta(days=1),
    )
    attachment = services.attachment_add(
        actor=SYSTEM, meeting=meeting, upload=SimpleUploadedFile("现场.png", PNG)
    )
    item = services.criticism_add(
        actor=SYSTEM, meeting=meeting, member=members[0], kind="self", content="学习不够深入"
    )
    rect = services.criticism_to_rectification(
        actor=SYSTEM,
        item=item,
        item_text="制定学习计划",
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    slots = services.plan_generate(actor=SYSTEM, org=org, year=year)
    appraisal = services.appraisal_open(actor=SYSTEM, org=org, year=year)
    return {
        "meeting_id": meeting.pk,
        "attachment_id": attachment.pk,
        "criticism_id": item.pk,
        "rectification_id": rect.pk,
        "slot_id": slots[0].pk,
        "appraisal_id": appraisal.pk,
    }


def scope_objects(world) -> dict[str, tuple[int, int]]:
    if not plan_rules(timezone.localdate().year):
        from tests.meetings.conftest import make_rule

        make_rule("T-SCOPE-THEME", "theme_day", "month")
    a = _objects(world.a, world.members_a)
    b = _objects(world.b, world.members_b)
    return {key: (a[key], b[key]) for key in a}
