"""Objects for the scope matrix (tests/test_scope_matrix.py): per path parameter, one object
of branch A and one of branch B, made through the services. The public portal's pages and
operations answer without login (``PUBLIC_PAGES`` / ``PUBLIC_API``); their parameters
(a tracking code, a public survey) name the same object for both sides: they are public,
there is no "outside"."""

from __future__ import annotations

from tests.engagement.conftest import make_consultation, make_survey

PUBLIC_PAGES = {
    "engagement_public:ask",
    "engagement_public:track",
    "engagement_public:faq",
    "engagement_public:survey",
}
PUBLIC_API = {
    ("POST", "/api/v1/public/consultations"),
    ("GET", "/api/v1/public/consultations/{tracking_code}"),
    ("POST", "/api/v1/public/consultations/{tracking_code}/rating"),
    ("GET", "/api/v1/public/faq"),
    ("GET", "/api/v1/public/surveys/{public_survey_id}"),
    ("POST", "/api/v1/public/surveys/{public_survey_id}/responses"),
}


def scope_objects(world) -> dict:
    a = make_consultation(world.a, actor=None, question="党支部A的咨询问题")
    b = make_consultation(world.b, actor=None, question="党支部B的咨询问题")
    survey_a = make_survey(world.a, title="支部A调查")
    survey_b = make_survey(world.b, title="支部B调查")
    public = make_survey(world.c1, title="公开调查", audience="public")
    return {
        "consultation_id": (a.pk, b.pk),
        "survey_id": (survey_a.pk, survey_b.pk),
        "tracking_code": (a.code, a.code),
        "public_survey_id": (public.pk, public.pk),
    }


def write_payloads(world) -> dict:
    answers = [[0], [0], [], [5], [0, 0]]
    return {
        ("POST", "/api/v1/consultations/{consultation_id}/reply"): {"text": "答复"},
        ("POST", "/api/v1/consultations/{consultation_id}/rating"): {"rating": 5},
        ("POST", "/api/v1/consultations/{consultation_id}/faq"): {"publish": True},
        ("POST", "/api/v1/surveys/{survey_id}/tokens"): {"count": 3},
        ("PUT", "/api/v1/surveys/{survey_id}"): {
            "title": "支部A调查（修订）",
            "org": world.a.pk,
            "questions": [{"kind": "rating", "text": "满意度"}],
        },
        ("POST", "/api/v1/surveys/{survey_id}/responses"): {"answers": answers},
        ("POST", "/api/v1/public/consultations/{tracking_code}/rating"): {"rating": 5},
        ("POST", "/api/v1/public/surveys/{public_survey_id}/responses"): {
            "answers": answers,
            "token": "not-a-token",
        },
    }
