"""The 咨询与调查 panel of the 驾驶舱 (``core.panels``): this year's consultations,
suggestions and complaints, answered, answered within ENG-1's deadline, still open and late,
and the askers' satisfaction. One grouped query over the whole platform."""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.urls import reverse

from dangjian.core.panels import Chart, Figure, PanelContext, panel
from dangjian.engagement.models import RATING_MAX, Consultation

KINDS = [(f"kind.{v}", label) for v, label in Consultation.Kind.choices]


def _list(status: str = "", kind: str = ""):
    def url(org, year: int) -> str:
        query = f"org={org.pk}" + (f"&status={status}" if status else "")
        return f"{reverse('engagement:consultations')}?{query}" + (f"&kind={kind}" if kind else "")

    return url


@panel(
    "engagement",
    title="咨询与意见建议",
    order=95,
    figures=[
        Figure("received", "本年受理", unit="count", link=_list()),
        *[Figure(k, label, unit="count", link=_list(kind=k[5:])) for k, label in KINDS],
        Figure("answered", "已答复", unit="count", link=_list(Consultation.Status.ANSWERED)),
        Figure("on_time", "按时答复", unit="count", detail=True),
        Figure("on_time_rate", "按时答复率", unit="rate", rate=("on_time", "answered")),
        Figure("late", "逾期未答复", unit="count", link=_list("late")),
        Figure("rated", "评价数", unit="count", detail=True),
        Figure("stars", "评价星数", unit="count", detail=True),
        Figure("top_stars", "可得星数", unit="count", detail=True),
        Figure("satisfaction", "满意度", unit="rate", rate=("stars", "top_stars")),
    ],
    charts=[Chart("pie", "受理类别", tuple(k for k, _ in KINDS))],
    watch=("engagement.Consultation",),
    headline="on_time_rate",
    description="本年度收到的咨询、意见建议和投诉（党员和公众），按时限（ENG-1）答复的比例、"
    "逾期未答复的件数，以及提问人评价的满意度（评价星数占满分的比例）。",
)
def engagement(ctx: PanelContext) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    answered = Q(status=Consultation.Status.ANSWERED)
    for org_id, kind, n, done, on_time, late, rated, stars in (
        Consultation.objects.filter(created_at__year=ctx.year)
        .annotate(replied_on=TruncDate("replied_at"))
        .values("org_id", "kind")
        .annotate(
            n=Count("id"),
            done=Count("id", filter=answered),
            on_time=Count("id", filter=answered & Q(replied_on__lte=F("due_on"))),
            late=Count("id", filter=Q(status=Consultation.Status.OPEN, due_on__lt=ctx.as_of)),
            rated=Count("rating"),
            stars=Sum("rating"),
        )
        .values_list("org_id", "kind", "n", "done", "on_time", "late", "rated", "stars")
        .order_by()
    ):
        acc = out.setdefault(org_id, {})
        acc[f"kind.{kind}"] = n
        for key, value in (
            ("received", n),
            ("answered", done),
            ("on_time", on_time),
            ("late", late),
            ("rated", rated),
            ("stars", stars or 0),
            ("top_stars", rated * RATING_MAX),
        ):
            acc[key] = acc.get(key, 0) + value
    return out
