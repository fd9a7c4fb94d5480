"""The compliance panel of the 驾驶舱 (``core.panels``), read from the findings the
compliance engine keeps (``KeptFinding``), never re-evaluated: met / judged for the year
(pending items left out, as on the compliance board), and the same by month of the
finding's due date for the trend. One grouped query over the year's kept findings."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.urls import reverse

from dangjian.core.panels import Chart, Figure, PanelContext, panel
from dangjian.standards.engine import COUNTED
from dangjian.standards.models import KeptFinding
from dangjian.standards.registry import Finding

S = Finding.Status
MONTHS = range(1, 13)


def _month_rate(m: int) -> tuple[str, str]:
    return f"ok.m{m:02d}", f"judged.m{m:02d}"


def _board(org, year: int) -> str:
    return f"{reverse('standards:board_org', args=[org.pk])}?year={year}"


@panel(
    "compliance",
    title="合规达标",
    order=30,
    figures=[
        Figure("judged", "应检项", unit="count", link=_board),
        Figure("ok", "达标项", unit="count", link=_board),
        Figure("due", "即将到期", unit="count", link=_board),
        Figure("overdue", "逾期", unit="count", link=_board),
        Figure("violation", "未达标", unit="count", link=_board),
        Figure("rate", "达标率", unit="rate", rate=("ok", "judged")),
        *[Figure(f"ok.m{m:02d}", f"{m}月达标项", unit="count", detail=True) for m in MONTHS],
        *[Figure(f"judged.m{m:02d}", f"{m}月应检项", unit="count", detail=True) for m in MONTHS],
        *[Figure(f"rate.m{m:02d}", f"{m}月", unit="rate", rate=_month_rate(m)) for m in MONTHS],
    ],
    charts=[
        Chart("gauge", "全年达标率", ("rate",)),
        Chart("line", "达标率月度走势（按截止月份）", tuple(f"rate.m{m:02d}" for m in MONTHS)),
        Chart("pie", "评估结果", ("ok", "due", "overdue", "violation")),
    ],
    watch=("standards.Evaluation",),
    headline="rate",
    description="合规评估保存的结果：达标项 / 应检项（待完成的不计）；月度走势按各项的截止月份。",
)
def compliance(ctx: PanelContext) -> dict[int, dict[str, int]]:
    rows = (
        KeptFinding.objects.filter(year=ctx.year, status__in=COUNTED)
        .annotate(m=ExtractMonth("due_on"))
        .values("org_id", "status", "m")
        .annotate(n=Count("id"))
        .values_list("org_id", "status", "m", "n")
        .order_by()
    )
    out: dict[int, dict[str, int]] = {}
    for org_id, status, month, n in rows:
        acc = out.setdefault(org_id, {})
        keys = ["judged", status]
        if month:
            keys.append(f"judged.m{month:02d}")
            if status == S.OK:
                keys.append(f"ok.m{month:02d}")
        for key in keys:
            acc[key] = acc.get(key, 0) + n
    return out
