"""The 人才库 panel of the 驾驶舱 (``core.panels``): the party-building talent pool by the org
that nominated each person — in the pool, available for tasks, nominations waiting for
review — and the assignments taken up this year. Two grouped queries over the platform."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from dangjian.core.panels import Chart, Figure, PanelContext, panel
from dangjian.talent.models import Assignment, Talent


def _pool(org, year: int) -> str:
    return f"{reverse('talent:pool')}?org={org.pk}"


def _nominations(org, year: int) -> str:
    return reverse("talent:nominations")


@panel(
    "talent",
    title="党建网络人才库",
    order=110,
    figures=[
        Figure("pool", "在库人才", link=_pool),
        Figure("available", "可承担任务", link=_pool),
        Figure("nominated", "待审核提名", link=_nominations),
        Figure("assignments", "本年安排任务", unit="count", link=_pool),
    ],
    charts=[Chart("bar", "人才库", ("pool", "available", "nominated"))],
    watch=("talent.Talent", "talent.Assignment"),
    headline="pool",
    description="各组织提名入库的党建网络人才：在库人数、可承担任务的人数、待上级审核的提名，"
    "及本年度安排到融合项目、宣传、舆情等工作的任务数。只计人数，不列个人。",
)
def talent(ctx: PanelContext) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    admitted = Q(status=Talent.Status.ADMITTED)
    for org_id, pool, available, nominated in (
        Talent.objects.filter(status__in=(Talent.Status.ADMITTED, Talent.Status.NOMINATED))
        .values("org_id")
        .annotate(
            pool=Count("id", filter=admitted),
            available=Count("id", filter=admitted & Q(availability=Talent.Availability.AVAILABLE)),
            nominated=Count("id", filter=Q(status=Talent.Status.NOMINATED)),
        )
        .values_list("org_id", "pool", "available", "nominated")
        .order_by()
    ):
        out.setdefault(org_id, {}).update(pool=pool, available=available, nominated=nominated)
    for org_id, n in (
        Assignment.objects.filter(created_at__year=ctx.year)
        .values("org_id")
        .annotate(n=Count("id"))
        .values_list("org_id", "n")
        .order_by()
    ):
        out.setdefault(org_id, {})["assignments"] = n
    return out
