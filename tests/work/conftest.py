"""Helpers for the 党建+业务 tests: initiatives, tasks and plans made through the services."""

from __future__ import annotations

import datetime as dt

from dangjian.work import services
from dangjian.work.models import Phase
from tests.factories import SYSTEM

TODAY = dt.date(2026, 6, 15)


def make_initiative(org, *, title="党员先锋服务预算编制攻坚", year=2026, phase=Phase.PLAN, **kw):
    initiative = services.initiative_create(
        actor=SYSTEM,
        org=org,
        title=title,
        unit=kw.pop("unit", "预算处"),
        year=year,
        goal=kw.pop("goal", "预算草案按期报送"),
        indicators=kw.pop("indicators", [{"name": "按期报送率", "target": "100", "unit": "%"}]),
        **kw,
    )
    order = [Phase.DEPLOY, Phase.EXECUTE, Phase.REVIEW, Phase.DONE]
    for to in order[: order.index(phase) + 1] if phase != Phase.PLAN else []:
        extra = {}
        if to == Phase.EXECUTE and not initiative.tasks.exists():
            make_task(initiative, org=org)
        if to == Phase.REVIEW:
            extra["progress"] = "推进顺利"
        if to == Phase.DONE:
            ind = initiative.indicators.first()
            extra["actuals"] = {ind.pk: "100"}
            extra["review"] = "目标达成"
        initiative = services.initiative_advance(
            actor=SYSTEM, initiative=initiative, to=to, **extra
        )
    return initiative


def make_task(initiative, *, org=None, member=None, due=None, title="制定实施方案"):
    return services.task_assign(
        actor=SYSTEM,
        initiative=initiative,
        title=title,
        org=org,
        member=member,
        due=due or dt.date(2026, 7, 1),
    )


def make_plan(org, *, year=2026, publish=True):
    plan = services.plan_create(
        actor=SYSTEM,
        org=org,
        year=year,
        title=f"{year}年党建工作要点",
        items=[
            {"text": "开展党建与业务融合项目", "due": dt.date(year, 6, 30)},
            {"text": "全体党员公开承诺", "due": dt.date(year, 3, 31)},
        ],
    )
    if publish:
        services.plan_publish(actor=SYSTEM, plan=plan)
        plan.refresh_from_db()
    return plan
