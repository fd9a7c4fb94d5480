"""Helpers for the consultation and survey tests, made through the services."""

from __future__ import annotations

from dangjian.engagement import services
from tests.factories import SYSTEM

QUESTIONS = [
    {
        "kind": "single",
        "text": "您对本支部组织生活的总体评价",
        "options": ["满意", "基本满意", "不满意"],
    },
    {
        "kind": "multiple",
        "text": "希望增加的学习形式",
        "options": ["专题党课", "现场教学", "读书班"],
    },
    {"kind": "text", "text": "意见和建议", "required": False},
    {"kind": "rating", "text": "对党组织服务的满意度"},
    {
        "kind": "matrix",
        "text": "各项工作评价",
        "rows": ["三会一课", "党费收缴"],
        "options": ["好", "一般", "差"],
    },
]
ANSWERS = [[0], [0, 2], ["多组织现场教学"], [5], [0, 1]]


def make_consultation(org, *, actor=SYSTEM, question="预备党员转正需要提交哪些材料？", **kw):
    return services.consultation_ask(actor=actor, org=org, question=question, **kw)


def make_survey(org, *, open_=True, questions=None, **kw):
    survey = services.survey_create(
        actor=SYSTEM,
        org=org,
        title=kw.pop("title", "2026年党员满意度调查"),
        questions=QUESTIONS if questions is None else questions,
        **kw,
    )
    if open_:
        survey = services.survey_open(actor=SYSTEM, survey=survey)
    return survey
