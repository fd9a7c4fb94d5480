"""Panels of the assessment app for the 驾驶舱 (``core.panels``): the year's assessment
results (scores recorded for the targets of the year's published schemes) and the
rectifications still open. One grouped query each over the whole platform."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from dangjian.assessment.models import Rectification
from dangjian.assessment.schemes.models import Scheme, Score
from dangjian.core.panels import Chart, Figure, PanelContext, panel

R = Rectification.Status


def _schemes(org, year: int) -> str:
    return f"{reverse('assessment:indicators')}?year={year}"


@panel(
    "assessment",
    title="考核结果",
    order=70,
    figures=[
        Figure("targets", "已有得分的考核对象", unit="org", link=_schemes),
        Figure("scores", "已取得的指标得分", unit="count", link=_schemes),
        Figure("auto", "自动取值", unit="count", link=_schemes),
        Figure("scored", "已评分（待复核）", unit="count", link=_schemes),
        Figure("reviewed", "已复核", unit="count", link=_schemes),
        Figure("reviewed_rate", "复核完成率", unit="rate", rate=("reviewed", "scored_all")),
        Figure("scored_all", "人工评分指标", unit="count", link=_schemes),
    ],
    charts=[Chart("pie", "指标得分状态", ("auto", "scored", "reviewed"))],
    watch=("assessment.Score",),
    headline="targets",
    description="本年度已发布或已结束的考核方案中，各考核对象已取得的指标得分（缺项不计）。",
)
def assessment(ctx: PanelContext) -> dict[int, dict[str, int]]:
    rows = (
        Score.objects.filter(
            scheme__year=ctx.year,
            scheme__status__in=(Scheme.Status.PUBLISHED, Scheme.Status.CLOSED),
        )
        .exclude(status=Score.Status.MISSING)
        .values("org_id", "status")
        .annotate(n=Count("id"))
        .values_list("org_id", "status", "n")
        .order_by()
    )
    out: dict[int, dict[str, int]] = {}
    for org_id, status, n in rows:
        acc = out.setdefault(org_id, {"targets": 1})
        acc["scores"] = acc.get("scores", 0) + n
        acc[status] = acc.get(status, 0) + n
        if status in (Score.Status.SCORED, Score.Status.REVIEWED):
            acc["scored_all"] = acc.get("scored_all", 0) + n
    return out


def _rectifications(status: str = ""):
    def url(org, year: int) -> str:
        query = f"org={org.pk}" + (f"&status={status}" if status else "")
        return f"{reverse('assessment:rectifications')}?{query}"

    return url


@panel(
    "rectifications",
    title="整改落实",
    order=90,
    figures=[
        Figure("open", "整改中", unit="count", link=_rectifications(R.OPEN)),
        Figure("submitted", "待验收", unit="count", link=_rectifications(R.SUBMITTED)),
        Figure("overdue", "已超期未销号", unit="count", link=_rectifications()),
        Figure("verified", "本年已销号", unit="count", link=_rectifications(R.VERIFIED)),
        Figure("unclosed", "未销号合计", unit="count", link=_rectifications()),
    ],
    charts=[Chart("bar", "整改事项", ("open", "submitted", "overdue", "verified"))],
    watch=("assessment.Rectification",),
    headline="unclosed",
    description="未销号的整改事项（整改中、待验收，其中超过整改期限的），及本年期限内已销号的。",
)
def rectifications(ctx: PanelContext) -> dict[int, dict[str, int]]:
    rows = (
        Rectification.objects.filter(
            Q(status__in=(R.OPEN, R.SUBMITTED)) | Q(deadline__year=ctx.year)
        )
        .values("org_id", "status")
        .annotate(
            n=Count("id", filter=Q(status__in=(R.OPEN, R.SUBMITTED)) | Q(deadline__year=ctx.year)),
            late=Count("id", filter=Q(deadline__lt=ctx.as_of) & ~Q(status=R.VERIFIED)),
        )
        .values_list("org_id", "status", "n", "late")
        .order_by()
    )
    out: dict[int, dict[str, int]] = {}
    for org_id, status, n, late in rows:
        acc = out.setdefault(org_id, {})
        acc[status] = acc.get(status, 0) + n
        acc["overdue"] = acc.get("overdue", 0) + late
        if status != R.VERIFIED:
            acc["unclosed"] = acc.get("unclosed", 0) + n
    return out
