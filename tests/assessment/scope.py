"""Objects and payloads for the scope matrix (tests/test_scope_matrix.py): the rectification
list's writes (its objects come from tests/meetings/scope.py) and the supervision pages and
API (inspections, duty reports, talks), one object of branch A and one of branch B each."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangjian.assessment.supervision import duty, inspections, talks
from tests.factories import SYSTEM

TALK_REASON = "保密谈话事由：支部工作落实不力"
NEED_TO_KNOW_TEXTS = (TALK_REASON,)


def _objects(world) -> dict:
    cached = getattr(world, "_supervision", None)
    if cached is not None:
        return cached
    year = timezone.localdate().year
    out = {}
    for org, sec in ((world.a, world.members_a[0]), (world.b, world.members_b[0])):
        camp = inspections.inspection_create(
            actor=SYSTEM, org=org, title=f"{org.name}督查", year=year
        )
        report = duty.duty_report_create(
            actor=SYSTEM,
            org=org,
            year=year,
            reporter=sec,
            text="本年度支部落实三会一课、党费收缴和学习教育情况的述职报告。",
        )
        talk = talks.talk_create(
            actor=SYSTEM,
            kind="reminder",
            org=org,
            member=sec if org == world.b else world.members_a[2],
            reason=TALK_REASON,
            on=timezone.localdate(),
        )
        out.setdefault("inspection_id", []).append(camp.pk)
        out.setdefault("duty_report_id", []).append(report.pk)
        out.setdefault("talk_id", []).append(talk.pk)
    world._supervision = {k: tuple(v) for k, v in out.items()}
    return world._supervision


def need_to_know_objects(world) -> dict:
    """A talk held by branch A: its secretary reads it, its plain members never do."""
    return {"talk_id": _objects(world)["talk_id"][0]}


def write_payloads(world) -> dict:
    today = timezone.localdate()
    later = (today + dt.timedelta(days=30)).isoformat()
    return {
        ("POST", "/api/v1/rectifications/{rectification_id}/submit"): {
            "evidence": "已制定学习计划并执行"
        },
        ("POST", "/api/v1/rectifications/{rectification_id}/verify"): {
            "accepted": True,
            "note": "验收通过",
        },
        # assessment schemes (issue 13, parts 1-2)
        ("POST", "/api/v1/assessment/schemes/{scheme_id}/publish"): {},
        ("POST", "/api/v1/assessment/schemes/{scheme_id}/close"): {},
        ("POST", "/api/v1/assessment/scores/{score_id}/review"): {"note": "复核无误"},
        ("POST", "/api/v1/inspections/{inspection_id}/visits"): {
            "org": world.b.pk,
            "on": today.isoformat(),
            "findings": [{"text": "会议记录不完整", "deadline": later}],
        },
        ("POST", "/api/v1/duty-reports/{duty_report_id}/ballots"): {"rating": "good"},
        ("POST", "/api/v1/duty-reports/{duty_report_id}/comment"): {
            "comment": "工作扎实，继续保持"
        },
        ("POST", "/api/v1/talks/{talk_id}/commitments"): {
            "item": "按时参加组织生活",
            "deadline": later,
        },
        ("POST", "/api/v1/talks/{talk_id}/accountability"): {
            "decision": "批评教育",
            "basis": "《问责条例》",
            "decided_on": today.isoformat(),
        },
    }


# ---- assessment schemes (issue 13, parts 1-2) -----------------------------------------------


def _scheme_objects(org) -> dict[str, int]:
    from django.utils import timezone

    from dangjian.assessment.schemes import services
    from tests.factories import SYSTEM

    scheme = services.scheme_create(
        actor=SYSTEM,
        org=org,
        title=f"{org.name}年度考核",
        year=timezone.localdate().year,
        target_kind="branch",
        indicators=[
            {"code": "A1", "title": "特色工作", "max_score": 20, "method": "manual"},
            {
                "code": "A2",
                "title": "整改按期销号",
                "max_score": 10,
                "method": "auto",
                "metric": "assessment:rectifications_on_time",
            },
        ],
    )
    services.scheme_publish(actor=SYSTEM, scheme=scheme)
    score = services.score_record(
        actor=SYSTEM,
        scheme=scheme,
        indicator=scheme.indicators.get(code="A1"),
        org=org,
        score=15,
        comment="按标准评分",
    )
    return {"scheme_id": scheme.pk, "score_id": score.pk}


def scope_objects(world) -> dict[str, tuple[int, int]]:
    """Supervision's objects and the schemes', one of branch A and one of branch B each."""
    a, b = _scheme_objects(world.a), _scheme_objects(world.b)
    return {**_objects(world), **{key: (a[key], b[key]) for key in a}}
