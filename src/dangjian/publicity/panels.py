"""The 宣传与公开 panel of the 驾驶舱 (``core.panels``): this year's notices, articles and
role models published, what waits for review or approval (DSC-1), and the yearly 党务公开
published. Grouped queries over the whole platform, one per kind of item."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from dangjian.core.panels import Chart, Figure, PanelContext, panel
from dangjian.publicity.models import Article, Disclosure, Notice, RoleModel, Status

WAITING = (Status.SUBMITTED, Status.REVIEWED)


def _list(name: str, status: str = ""):
    def url(org, year: int) -> str:
        return f"{reverse(name)}?org={org.pk}" + (f"&status={status}" if status else "")

    return url


@panel(
    "publicity",
    title="宣传与党务公开",
    order=90,
    figures=[
        Figure("notices", "本年发布通知", unit="count", link=_list("publicity:notices")),
        Figure(
            "articles",
            "本年发布文章",
            unit="count",
            link=_list("publicity:articles", Status.PUBLISHED),
        ),
        Figure(
            "role_models",
            "本年发布身边榜样",
            unit="count",
            link=_list("publicity:role_models", Status.PUBLISHED),
        ),
        Figure(
            "waiting",
            "待审核、待审批",
            unit="count",
            link=_list("publicity:articles", Status.SUBMITTED),
        ),
        Figure(
            "disclosures",
            "本年党务公开",
            unit="count",
            link=_list("publicity:disclosures", Status.PUBLISHED),
        ),
    ],
    charts=[Chart("bar", "本年发布", ("notices", "articles", "role_models", "disclosures"))],
    watch=(
        "publicity.Notice",
        "publicity.Article",
        "publicity.RoleModel",
        "publicity.Disclosure",
    ),
    headline="articles",
    description="本年度发布的通知公告、党建文章和身边榜样，正在审核或审批中（DSC-1）的文章和榜样，"
    "及本年度已公开的党务公开。",
)
def publicity(ctx: PanelContext) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    for org_id, n in (
        Notice.objects.filter(published_at__year=ctx.year, withdrawn_at__isnull=True)
        .values("org_id")
        .annotate(n=Count("id"))
        .values_list("org_id", "n")
        .order_by()
    ):
        out.setdefault(org_id, {})["notices"] = n
    for key, model in (("articles", Article), ("role_models", RoleModel)):
        for org_id, published, waiting in (
            model.objects.filter(Q(published_at__year=ctx.year) | Q(status__in=WAITING))
            .values("org_id")
            .annotate(
                published=Count(
                    "id", filter=Q(status=Status.PUBLISHED, published_at__year=ctx.year)
                ),
                waiting=Count("id", filter=Q(status__in=WAITING)),
            )
            .values_list("org_id", "published", "waiting")
            .order_by()
        ):
            acc = out.setdefault(org_id, {})
            acc[key] = published
            acc["waiting"] = acc.get("waiting", 0) + waiting
    for org_id, n in (
        Disclosure.objects.filter(status=Status.PUBLISHED, published_at__year=ctx.year)
        .values("org_id")
        .annotate(n=Count("id"))
        .values_list("org_id", "n")
        .order_by()
    ):
        out.setdefault(org_id, {})["disclosures"] = n
    return out
