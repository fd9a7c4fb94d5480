"""Objects for the scope matrix (tests/test_scope_matrix.py): per path parameter, one object
of branch A and one of branch B, made through the services."""

from __future__ import annotations

from dangjian.work import services
from tests.factories import SYSTEM
from tests.work.conftest import make_initiative, make_plan, make_task


def scope_objects(world) -> dict[str, tuple[int, int]]:
    made = {}
    plan = make_plan(world.c1)
    items = list(plan.items.all())
    for key, org, members in (("a", world.a, world.members_a), ("b", world.b, world.members_b)):
        initiative = make_initiative(org, title=f"项目{key}")
        task = make_task(initiative, org=org)
        services.task_progress(actor=SYSTEM, task=task, percent=10, note="开始")
        pledge = services.pledge_make(actor=SYSTEM, member=members[0], year=2026, text="承诺")
        att = services.initiative_attach(actor=SYSTEM, initiative=initiative, upload=_pdf())
        made[key] = (initiative.pk, task.pk, pledge.pk, att.pk)
    draft = make_plan(world.c1, year=2027, publish=False)
    return {
        "initiative_id": (made["a"][0], made["b"][0]),
        "task_id": (made["a"][1], made["b"][1]),
        "pledge_id": (made["a"][2], made["b"][2]),
        "initiative_attachment_id": (made["a"][3], made["b"][3]),
        # Key points: C1's published plan reaches branch A; its draft for next year only
        # C1's staff see.
        "item_id": (items[0].pk, draft.items.first().pk),
        "plan_id": (plan.pk, draft.pk),
    }


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "方案.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )


def write_payloads(world) -> dict:
    return {
        ("POST", "/api/v1/work/initiatives/{initiative_id}/advance"): {"to": "deploy"},
        ("POST", "/api/v1/work/initiatives/{initiative_id}/tasks"): {
            "title": "任务",
            "org": world.a.pk,
            "due": "2026-12-31",
        },
        ("POST", "/api/v1/work/tasks/{task_id}/progress"): {"percent": 50, "note": "进展"},
        ("POST", "/api/v1/work/tasks/{task_id}/complete"): {"outcome": "完成"},
        ("POST", "/api/v1/work/pledges/{pledge_id}/fulfil"): {"result": "践诺", "rating": "good"},
        ("POST", "/api/v1/work/plan-items/{item_id}/feedback"): {"org": world.a.pk, "text": "反馈"},
    }
