"""Payloads for the scope matrix (tests/test_scope_matrix.py): a valid body for each API
write of the rectification list (its objects come from tests/meetings/scope.py)."""

from __future__ import annotations


def write_payloads(world) -> dict:
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
    a, b = _scheme_objects(world.a), _scheme_objects(world.b)
    return {key: (a[key], b[key]) for key in a}
