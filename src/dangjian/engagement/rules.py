"""Compliance check of consultations (engagement/standards.toml): ENG-1 questions,
suggestions and complaints answered by their reply deadline — the open ones past it, per
handling org, in one query for the whole evaluated subtree."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.urls import NoReverseMatch, reverse

from dangjian.engagement.models import Consultation
from dangjian.standards.registry import CheckContext, Finding, Param, register

S = Finding.Status


@register(
    "consultation_replies",
    title="线上咨询按时答复",
    params={
        "reply_days": Param(
            "int", min=1, max=90, help="提交之日起多少天内答复", label="答复时限", unit="天"
        ),
        "remind_days": Param(
            "int", min=0, max=30, help="到期前提醒的天数", label="到期前提醒", unit="天"
        ),
    },
    period="none",
    batch=True,
    link=("engagement:consultations",),
)
def consultation_replies(ctx: CheckContext) -> Iterable[Finding]:
    rows = (
        Consultation.objects.in_subtree(ctx.root)
        .filter(status=Consultation.Status.OPEN, due_on__lt=ctx.as_of)
        .values_list("org_id", "due_on")
        .order_by("due_on", "id")
    )
    late: dict[int, list] = defaultdict(list)
    for org_id, due_on in rows:
        late[org_id].append(due_on)
    targets = {o.id: o.name for o in ctx.targets()}
    try:
        link = reverse("engagement:consultations")
    except NoReverseMatch:
        link = ""
    out = []
    for org_id, dues in late.items():
        if org_id not in targets:
            continue
        f = ctx.finding(
            org_id=org_id,
            period=ctx.period,
            met=False,
            status=S.OVERDUE,
            expected="按时答复",
            actual=f"{len(dues)} 件逾期未答复",
            message=f"{targets[org_id]}有 {len(dues)} 件咨询或意见建议超过答复时限未答复"
            f"（最早时限 {dues[0]}），请尽快答复",
            link=f"{link}?org={org_id}&status=late" if link else "",
        )
        f.due_on = dues[0]
        out.append(f)
    return out
