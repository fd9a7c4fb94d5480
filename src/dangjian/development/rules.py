"""Deadlines of procedure cases for the compliance engine (due / overdue findings).

One query over the subtree: every open case whose current step has a latest date within
the "due soon" window (rule parameter ``due_soon_days``) or already past.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from dangjian.standards.registry import CheckContext, Finding, Param, register

S = Finding.Status


@register(
    "case_deadlines",
    title="一件事流程期限（发展党员、组织关系转接、换届选举）",
    params={
        "due_soon_days": Param(
            "int",
            min=0,
            max=365,
            help="最迟日期前多少天开始提醒",
            label="最迟办理日期前开始提醒",
            unit="天",
        )
    },
    period="none",
    batch=True,
    link=("development:cases",),
)
def case_deadlines(ctx: CheckContext) -> Iterable[Finding]:
    from dangjian.development.models import Case, ProcedureStep
    from dangjian.development.services import DETAIL_URL

    soon = int(ctx.params["due_soon_days"])
    as_of = ctx.as_of
    names = dict(
        ((p, n), name)
        for p, n, name in ProcedureStep.objects.values_list("procedure_id", "number", "name")
    )
    rows = (
        Case.objects.open()
        .filter(
            org__path__startswith=ctx.root.path,
            next_due_on__isnull=False,
            next_due_on__lte=as_of + dt.timedelta(days=soon),
        )
        .values_list(
            "id",
            "procedure_id",
            "procedure__code",
            "org_id",
            "member_id",
            "member__name",
            "org__name",
            "current_step",
            "next_due_on",
            "next_due_rule",
        )
    )
    cite = ctx.cite()
    out = []
    for pk, proc, code, org_id, member_id, member_name, org_name, step, due, rule in rows:
        step_name = names.get((proc, step), "")
        subject = member_name or org_name
        if due < as_of:
            status = S.OVERDUE
            text = f"{subject}的第{step}步“{step_name}”最迟应于{due}办理，已逾期"
        else:
            status = S.DUE
            text = f"{subject}的第{step}步“{step_name}”最迟应于{due}办理"
        finding = ctx.finding(
            org_id=org_id,
            period=ctx.period,
            met=False,
            status=status,
            expected=f"{due}前办理（{rule}）",
            actual="尚未办理",
            message=f"{cite}：{text}。",
            member_id=member_id,
            member_name=member_name or "",
            link=reverse(DETAIL_URL[code], args=[pk]),
        )
        finding.due_on = due
        out.append(finding)
    return out
