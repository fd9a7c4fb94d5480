"""Deadlines of procedure cases for the compliance engine (due / overdue findings).

One query over the subtree: every open case whose current step has a latest date within
the "due soon" window (rule parameter ``due_soon_days``) or already past.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from dangjian.development.models import Procedure
from dangjian.standards.params import register_params, register_procedures
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
        .in_subtree(ctx.root)
        .filter(
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


# The procedures' names, for rules that apply to a step of one (standards' rule pages).
register_procedures(dict(Procedure.Code.choices))

# Parameters of the procedure rules that the steps read directly (development/standards.toml).
register_params(
    min_age=Param("int", min=0, label="申请人年龄不小于", unit="周岁"),
    talk_within_months=Param("int", min=0, label="收到申请书后派人谈话不超过", unit="个月"),
    contacts_min=Param("int", min=0, label="培养联系人至少", unit="名"),
    contacts_max=Param("int", min=0, label="培养联系人至多", unit="名"),
    review_every_months=Param("int", min=1, label="对积极分子考察间隔", unit="个月"),
    activist_min_years=Param("int", min=0, label="确定发展对象前培养考察不少于", unit="年"),
    sponsors=Param("int", min=1, label="入党介绍人", unit="名"),
    review_valid_years=Param("int", min=0, label="政审结论有效期", unit="年"),
    training_min_days=Param("int", min=0, label="集中培训不少于", unit="天"),
    training_min_hours=Param("int", min=0, label="或集中培训不少于", unit="学时"),
    leave_within_months=Param(
        "int", min=0, label="将离开工作单位、一般不进行预审的期限", unit="个月"
    ),
    vote_rule=Param("str", label="到会人数和表决规则（按规则编号）"),
    approval_within_months=Param("int", min=0, label="上级党委审批期限", unit="个月"),
    approval_max_months=Param("int", min=0, label="特殊情况审批最长", unit="个月"),
    probation_years=Param("int", min=0, label="预备期", unit="年"),
    extension_min_months=Param("int", min=0, label="延长预备期不少于", unit="个月"),
    extension_max_months=Param("int", min=0, label="延长预备期最长", unit="个月"),
    extension_max_times=Param("int", min=0, label="预备期最多延长", unit="次"),
    notice_working_days=Param("int", min=0, label="公示不少于", unit="个工作日"),
    meeting_within_months=Param("int", min=0, label="预审后召开支部大会不超过", unit="个月"),
    reminder_months=Param("int", min=0, label="任期届满前提醒", unit="个月"),
    shift_max_years=Param("int", min=0, label="提前或推迟换届不超过", unit="年"),
    excluded_statuses=Param(
        "list",
        label="没有表决权、选举权的人员",
        choices=(
            ("applicant", "入党申请人"),
            ("activist", "入党积极分子"),
            ("candidate", "发展对象"),
            ("probationary", "预备党员"),
            ("on_probation", "受留党察看处分的党员"),
        ),
    ),
    candidates_margin=Param("str", label="候选人数多于应选人数的比例"),
    letter_valid_months=Param("int", min=1, label="组织关系介绍信有效期", unit="个月"),
)
