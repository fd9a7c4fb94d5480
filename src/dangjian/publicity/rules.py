"""Compliance check of publicity (publicity/standards.toml): DSC-4, a local deadline for
publishing after submission, shipped disabled (an administrator enables it in the library).
One query per kind of item for the whole evaluated subtree."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone

from dangjian.publicity.models import Article, Disclosure, RoleModel, Status
from dangjian.publicity.workbench import add_working_days
from dangjian.standards.registry import CheckContext, Finding, Param, register

S = Finding.Status


@register(
    "publicity_deadline",
    title="公开事项按期发布",
    params={
        "working_days": Param(
            "int",
            min=1,
            max=60,
            help="提交审核后多少个工作日内应完成审核、审批和发布",
            label="发布时限",
            unit="个工作日",
        ),
    },
    period="none",
    batch=True,
    link=("publicity:articles",),
)
def publicity_deadline(ctx: CheckContext) -> Iterable[Finding]:
    days = int(ctx.params["working_days"])
    as_of = ctx.as_of
    late: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    for model in (Article, RoleModel, Disclosure):
        rows = (
            model.objects.in_subtree(ctx.root)
            .filter(status__in=[Status.SUBMITTED, Status.REVIEWED], submitted_at__isnull=False)
            .values_list("org_id", "title", "submitted_at")
        )
        for org_id, title, submitted in rows:
            due = add_working_days(timezone.localtime(submitted).date(), days)
            if due < as_of:
                late[org_id].append((title, due))
    targets = {o.id: o.name for o in ctx.targets()}
    link = reverse("publicity:articles")
    out = []
    for org_id, rows in late.items():
        if org_id not in targets:
            continue
        rows.sort(key=lambda r: r[1])
        finding = ctx.finding(
            org_id=org_id,
            period=ctx.period,
            met=False,
            status=S.OVERDUE,
            expected=f"提交后 {days} 个工作日内发布",
            actual=f"{len(rows)} 项逾期",
            message=(
                f"{targets[org_id]}有 {len(rows)} 项公开事项提交后超过 {days} 个工作日未发布"
                f"（最早：{rows[0][0]}，应于 {rows[0][1]} 前发布），请尽快审核、审批"
            ),
            link=f"{link}?org={org_id}&status=submitted",
        )
        finding.due_on = rows[0][1]
        out.append(finding)
    return out


# Parameters of the DSC rules that the services read directly (publicity/standards.toml).
from dangjian.publicity.models import DisclosureItem, Scope  # noqa: E402 (with its block)
from dangjian.standards.params import register_params  # noqa: E402

register_params(
    secrecy_review=Param("bool", label="审核时须经保密审查"),
    distinct_roles=Param("bool", label="撰稿、审核、审批由不同人员办理"),
    scopes=Param("list", label="可选公开范围", choices=tuple(Scope.choices)),
    items=Param(
        "list",
        label="年度党务公开事项",
        choices=tuple(c for c in DisclosureItem.Kind.choices if c[0] != "other"),
    ),
)
