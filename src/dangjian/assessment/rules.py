"""The assessment's rules.

Read directly (no checker): ANT-2 (what an indicator may never be based on) and ASM-1
(default grade bands), in words for the library screens.

Supervision (issue 13, part 4): SUP-2, every year the secretary of each basic-level org
reports on duties (述职) to the higher org and is appraised. One query over the subtree: the
orgs with a duty report of the year. Reminders run from the rule's ``remind_month``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import NoReverseMatch, reverse

from dangjian.assessment.supervision.models import DutyReport
from dangjian.standards.params import register_params
from dangjian.standards.registry import CheckContext, Finding, Param, register, watch

watch(
    "assessment.DutyReport",
    orgs=lambda r: [r.org_id],
    checkers=("duty_report",),
    years=lambda r: [r.year],
)


@register(
    "duty_report",
    title="书记年度述职评议",
    period="year",
    link=("assessment:duty_reports",),
    params={
        "period": Param(
            "choice", choices=(("year", "每年"),), default="year", help="周期", label="检查周期"
        ),
        "min": Param("int", min=1, default=1, help="每年述职次数", label="每年述职", unit="次"),
        "remind_month": Param(
            "int", min=1, max=12, default=12, help="从该月起提醒", label="提醒起始月份", unit="月"
        ),
    },
)
def duty_report_check(ctx: CheckContext) -> Iterable[Finding]:
    period = ctx.period
    year = period.start.year
    need = int(ctx.params.get("min", ctx.rule.params.get("min", 1)))
    month = int(ctx.params.get("remind_month", ctx.rule.params.get("remind_month", 12)))
    if ctx.facts is not None:
        orgs = {o.id: o.name for o in ctx.targets()}
    else:
        orgs = dict(ctx.orgs().values_list("pk", "name"))
    done: dict[int, int] = {}
    for org_id in (
        DutyReport.objects.in_subtree(ctx.root).filter(year=year).values_list("org_id", flat=True)
    ):
        done[org_id] = done.get(org_id, 0) + 1
    try:
        link = reverse("assessment:duty_reports")
    except NoReverseMatch:
        link = ""
    out = []
    for org_id, name in orgs.items():
        got = done.get(org_id, 0)
        out.append(
            ctx.finding(
                org_id=org_id,
                period=period,
                met=got >= need,
                expected=f"书记每年向上级党组织述职 {need} 次",
                actual=f"已述职 {got} 次",
                message=f"{name}书记{year}年度述职{'已完成' if got >= need else '尚未登记'}",
                due_from=dt.date(year, month, 1),
                link=f"{link}?year={year}" if link else "",
            )
        )
    return out


register_params(
    refused_metrics=Param("list", label="不得作为考核依据的平台指标"),
    refused_words=Param("list", label="指标名称中出现即拒绝的词"),
    bands=Param(
        "table",
        label="考核等次（按得分率）",
        columns={
            "min": Param("decimal", min=0, max=100, label="得分率不低于", unit="分（百分制）"),
            "label": Param("str", label="等次"),
        },
    ),
)
