"""The 舆情研判 panel of the 驾驶舱 (``core.panels``): this year's items that matched a
keyword set, the cases taken up by level, and the cases still open or late. Two grouped
queries over the whole platform."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from dangjian.core.panels import Chart, Figure, PanelContext, panel
from dangjian.opinion.models import Level, OpinionCase, OpinionItem

LEVELS = [(f"level.{v}", f"{label}舆情") for v, label in Level.choices]


def _items(org, year: int) -> str:
    return f"{reverse('opinion:items')}?org={org.pk}&matched=1"


def _cases(**query):
    def url(org, year: int) -> str:
        extra = "".join(f"&{k}={v}" for k, v in query.items())
        return f"{reverse('opinion:cases')}?org={org.pk}{extra}"

    return url


@panel(
    "opinion",
    title="舆情研判",
    order=100,
    figures=[
        Figure("matched", "本年命中关注词的信息", unit="count", link=_items),
        Figure("cases", "本年立案研判", unit="count", link=_cases()),
        *[
            Figure(k, label, unit="count", link=_cases(level=k.split(".")[1]))
            for k, label in LEVELS
        ],
        Figure("open", "处置中", unit="count", link=_cases(state=OpinionCase.Status.OPEN)),
        Figure("late", "逾期未回应", unit="count", link=_cases(state="late")),
        Figure("answered", "已回应或办结", unit="count", detail=True),
        Figure("answered_rate", "回应率", unit="rate", rate=("answered", "cases")),
    ],
    charts=[Chart("pie", "研判等级", tuple(k for k, _ in LEVELS))],
    watch=("opinion.OpinionItem", "opinion.OpinionCase"),
    headline="answered_rate",
    description="本年度抓取或录入、命中关注词的舆情信息，立案研判的等级（一般、较大、重大），"
    "及仍在处置、已过回应时限（OPN-1）的研判。",
)
def opinion(ctx: PanelContext) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    for org_id, n in (
        OpinionItem.objects.filter(matched=True, created_at__year=ctx.year)
        .values("org_id")
        .annotate(n=Count("id"))
        .values_list("org_id", "n")
        .order_by()
    ):
        out.setdefault(org_id, {})["matched"] = n
    # Late as of now today; as of the end of the day the figures stand at otherwise (31
    # December for a past year).
    now = timezone.now() if ctx.as_of == timezone.localdate() else _end_of(ctx.as_of)
    for org_id, level, n, still_open, late in (
        OpinionCase.objects.filter(created_at__year=ctx.year)
        .values("org_id", "level")
        .annotate(
            n=Count("id"),
            still_open=Count("id", filter=Q(status=OpinionCase.Status.OPEN)),
            late=Count("id", filter=Q(status=OpinionCase.Status.OPEN, due_at__lt=now)),
        )
        .values_list("org_id", "level", "n", "still_open", "late")
        .order_by()
    ):
        acc = out.setdefault(org_id, {})
        acc[f"level.{level}"] = n
        acc["cases"] = acc.get("cases", 0) + n
        acc["open"] = acc.get("open", 0) + still_open
        acc["late"] = acc.get("late", 0) + late
        acc["answered"] = acc.get("answered", 0) + n - still_open
    return out


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))
