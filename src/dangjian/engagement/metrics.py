"""Assessment metrics of consultation and surveys (``core.metrics``): per org, over its
subtree, for a year.

- ``engagement:survey_satisfaction`` — the satisfaction score of the year's satisfaction
  surveys (测评): the points given in their rating questions, of the most they could give
  (every answer at 5 stars is 100%);
- ``engagement:replies_on_time`` — consultations, suggestions and complaints due in the
  year and already due that were answered by their deadline (ENG-1).

A constant number of queries whatever the number of orgs, surveys or responses; an org with
nothing to count is left out (缺项, never 0). Neither counts people: the survey score is a
property of the organization's work, the responses are anonymous or not as the survey says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, F, Q
from django.utils import timezone

from dangjian.core import metrics
from dangjian.core.metrics import Reading, metric
from dangjian.engagement.models import RATING_MAX, Consultation, Question, Survey, SurveyResponse


def _readings(orgs: Sequence, rows) -> dict[int, Reading]:
    owner_of = metrics.owners(orgs)
    return {
        org_id: Reading(num, den)
        for org_id, (num, den) in metrics.rollup(owner_of, rows).items()
        if den
    }


def _source(name: str):
    def url(org, year: int) -> str:
        return metrics.link(name, query=f"org={org.pk}")

    return url


@metric(
    "engagement:survey_satisfaction",
    title="满意度测评得分率",
    unit="rate",
    source=_source("engagement:surveys"),
    description="本年度满意度测评（标为满意度测评的调查）中评分题的得分之和占满分的比例。",
)
def survey_satisfaction(orgs: Sequence, year: int) -> dict[int, Reading]:
    """Three queries: the orgs, the surveys' rating questions, their responses."""
    if not orgs:
        return {}
    # A published survey has its opening date (``survey_open`` sets it).
    surveys = Survey.objects.filter(satisfaction=True, opens_on__year=year).exclude(
        status=Survey.Status.DRAFT
    )
    rating_numbers: dict[int, list[int]] = {}
    org_of: dict[int, int] = {}
    for survey_id, org_id, number in Question.objects.filter(
        survey__in=surveys, kind=Question.Kind.RATING
    ).values_list("survey_id", "survey__org_id", "number"):
        rating_numbers.setdefault(survey_id, []).append(number - 1)
        org_of[survey_id] = org_id
    rows = []
    for survey_id, answers in SurveyResponse.objects.filter(
        survey_id__in=list(rating_numbers)
    ).values_list("survey_id", "answers"):
        given = [
            answers[i][0] for i in rating_numbers[survey_id] if i < len(answers) and answers[i]
        ]
        if given:
            rows.append((org_of[survey_id], sum(given), RATING_MAX * len(given)))
    return _readings(orgs, rows)


@metric(
    "engagement:replies_on_time",
    title="咨询按时答复率",
    unit="rate",
    source=_source("engagement:consultations"),
    description="本年度答复时限已到的咨询、意见建议和投诉中，按时答复的比例（时限见规则 ENG-1）。",
)
def replies_on_time(orgs: Sequence, year: int) -> dict[int, Reading]:
    """Two queries: the orgs, one grouped count."""
    if not orgs:
        return {}
    today = timezone.localdate()
    last = min(dt.date(year, 12, 31), today - dt.timedelta(days=1))
    rows = (
        Consultation.objects.filter(due_on__year=year, due_on__lte=last)
        .values("org_id")
        .annotate(
            n=Count(
                "id",
                filter=Q(status=Consultation.Status.ANSWERED, replied_at__date__lte=F("due_on")),
            ),
            d=Count("id"),
        )
        .values_list("org_id", "n", "d")
        .order_by()
    )
    return _readings(orgs, rows)
