"""Objects for the scope matrix (tests/test_scope_matrix.py): for each path parameter the
meetings app (and the rectification list) introduces, an object of branch A and one of
branch B, made through the services; and the need-to-know objects of branch A that peer_a,
a plain member of A, may not read (a 谈心谈话 between two other members)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.meetings import services
from dangjian.meetings.plan import plan_rules
from tests.factories import SYSTEM

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
# Text of the need-to-know objects that no page or answer shown to peer_a may contain.
NEED_TO_KNOW_TEXTS = ("与王五的谈心谈话", "谈心内容仅限双方")


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


def need_to_know_objects(world) -> dict[str, int]:
    """A held 谈心谈话 of branch A between 张三 (sec_a) and 王五, with minutes and a photo:
    peer_a (赵六) is neither party."""
    talk = services.meeting_create(
        actor=SYSTEM,
        org=world.a,
        kind="heart_talk",
        topic=NEED_TO_KNOW_TEXTS[0],
        status="held",
        held_at=timezone.now() - dt.timedelta(days=2),
        host=world.members_a[0],
        counterpart=world.members_a[2],
    )
    services.meeting_record(actor=SYSTEM, meeting=talk, minutes=f"<p>{NEED_TO_KNOW_TEXTS[1]}。</p>")
    attachment = services.attachment_add(
        actor=SYSTEM, meeting=talk, upload=SimpleUploadedFile("谈话.png", PNG)
    )
    return {"meeting_id": talk.pk, "attachment_id": attachment.pk}


def write_payloads(world) -> dict:
    """A valid body for each API write of the meetings app that takes a path id."""
    today = dt.date.today()
    someone = world.members_b[0].pk
    path = "/api/v1/meetings"
    return {
        ("PATCH", f"{path}/plan/slots/{{slot_id}}"): {"planned_on": today.isoformat()},
        ("POST", f"{path}/plan/slots/{{slot_id}}/schedule"): {},
        ("POST", f"{path}/appraisals/{{appraisal_id}}/self"): {"text": "认真学习，按时交纳党费。"},
        ("POST", f"{path}/appraisals/{{appraisal_id}}/ratings"): {
            "ratings": {someone: "qualified"}
        },
        ("POST", f"{path}/appraisals/{{appraisal_id}}/finalize"): {
            "ratings": {someone: "qualified"}
        },
        ("POST", f"{path}/criticisms/{{criticism_id}}/rectification"): {
            "deadline": (today + dt.timedelta(days=30)).isoformat(),
            "item": "制定整改措施",
        },
        ("PATCH", f"{path}/{{meeting_id}}"): {"topic": "改过的议题"},
        ("POST", f"{path}/{{meeting_id}}/cancel"): {"reason": "工作冲突"},
        ("POST", f"{path}/{{meeting_id}}/record"): {"minutes": "<p>会议记录。</p>"},
        ("POST", f"{path}/{{meeting_id}}/attachments"): {"file": ("现场.png", PNG)},
        ("POST", f"{path}/{{meeting_id}}/attendance"): {"member": someone, "status": "present"},
        ("POST", f"{path}/{{meeting_id}}/leave"): {"reason": "出差"},
        ("POST", f"{path}/{{meeting_id}}/leave-decision"): {"member": someone, "approve": True},
        ("POST", f"{path}/{{meeting_id}}/make-up"): {"note": "已观看录像补学"},
        ("POST", f"{path}/{{meeting_id}}/votes"): {"subject": "接收预备党员", "for": 3},
        ("POST", f"{path}/{{meeting_id}}/criticisms"): {
            "member": someone,
            "kind": "self",
            "content": "理论学习不够深入",
        },
    }
