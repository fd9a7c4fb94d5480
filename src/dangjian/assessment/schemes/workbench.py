"""What assessment schemes contribute to the workbench (工作台): the manual indicators this
user must score (targets not yet scored), and the scores waiting for a second person's
review. A constant number of queries: the published schemes in reach, their manual
indicators, the targets of their kinds, the stored scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q

from dangjian.assessment.schemes.models import Indicator, Scheme, Score
from dangjian.core.scope import reach_q
from dangjian.core.workbench import DUE, Todo, WorkbenchContext, provider, url
from dangjian.orgs.models import Org

LIMIT = 10  # schemes looked at: a year has few


def _schemes(ctx: WorkbenchContext) -> list[Scheme]:
    def load():
        return list(
            Scheme.objects.visible_to(ctx.user)
            .filter(status=Scheme.Status.PUBLISHED)
            .select_related("org")
            .order_by("-year", "id")[:LIMIT]
        )

    return ctx.once("assessment.schemes", load)


@provider("todos", order=55)
def scores_to_give(ctx: WorkbenchContext) -> Iterable[Todo]:
    """One row per scheme and manual indicator this user scores: how many targets wait."""
    if not ctx.reach.is_manager:
        return
    schemes = _schemes(ctx)
    if not schemes:
        return
    by_id = {s.pk: s for s in schemes}
    indicators = Indicator.objects.filter(scheme__in=list(by_id)).exclude(
        method__in=(Indicator.Method.AUTO, Indicator.Method.SURVEY)
    )
    indicators = indicators.filter(children__isnull=True).select_related("scoring_org")
    mine = []
    for ind in indicators.order_by("scheme_id", "sort", "id"):
        scheme = by_id[ind.scheme_id]
        org = ind.scoring_org or scheme.org
        if ctx.reach.covers(org.path):
            mine.append(ind)
    if not mine:
        return
    # Targets per scheme: counted in one query (the orgs of its kind under its org), not
    # read (a province's 20,000 branches) and counted per indicator.
    targets = Org.objects.active().aggregate(
        **{
            f"s{s.pk}": Count("pk", filter=Q(path__startswith=s.org.path, kind=s.target_kind))
            for s in {by_id[i.scheme_id] for i in mine}
        }
    )
    scored = dict(
        Score.objects.filter(indicator__in=mine)
        .values("indicator_id")
        .annotate(n=Count("id"))
        .values_list("indicator_id", "n")
        .order_by()
    )
    for ind in mine:
        scheme = by_id[ind.scheme_id]
        left = targets[f"s{scheme.pk}"] - scored.get(ind.pk, 0)
        if left <= 0:
            continue
        yield Todo(
            what=f"考核评分：{ind.code} {ind.title}"
            f"（{left} 个{scheme.get_target_kind_display()}待评）",
            org_name=scheme.org.name,
            due_on=dt.date(scheme.year, 12, 31),
            status=DUE,
            action="评分",
            url=url("assessment:scheme_results", scheme.pk),
            source="考核",
            detail=scheme.title,
        )


@provider("todos", order=56)
def scores_to_review(ctx: WorkbenchContext) -> Iterable[Todo]:
    """Scores waiting for review that this user may review (never their own): one query."""
    if not ctx.reach.is_manager:
        return
    qs = Score.objects.filter(
        status=Score.Status.SCORED, scheme__status=Scheme.Status.PUBLISHED
    ).exclude(scorer=ctx.user)
    if not ctx.reach.everything:
        qs = qs.filter(
            reach_q("scheme__org__path", ctx.reach.paths)
            | reach_q("indicator__scoring_org__path", ctx.reach.paths)
        )
    rows = (
        qs.values("scheme_id", "scheme__title", "scheme__org__name", "scheme__year")
        .annotate(n=Count("id"))
        .order_by("scheme_id")[:LIMIT]
    )
    for r in rows:
        yield Todo(
            what=f"复核考核评分：{r['n']} 项待复核",
            org_name=r["scheme__org__name"],
            due_on=dt.date(r["scheme__year"], 12, 31),
            status=DUE,
            action="复核",
            url=url("assessment:scheme_results", r["scheme_id"]),
            source="考核",
            detail=r["scheme__title"],
        )
