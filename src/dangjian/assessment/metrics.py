"""Metrics of the assessment app (``core.metrics``): set-based, a constant number of
queries whatever the number of orgs."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from dangjian.assessment.models import Rectification
from dangjian.assessment.supervision.models import DutyBallot, InspectionVisit
from dangjian.core import metrics
from dangjian.core.metrics import Reading, metric
from dangjian.core.scope import org_tree


def _list_url(org, year: int) -> str:
    return metrics.link("assessment:rectifications", query=f"org={org.pk}")


@metric(
    "assessment:rectifications_on_time",
    title="整改按期销号率",
    unit="rate",
    source=_list_url,
    description="整改期限在本年度、已到期或已销号的整改事项中，在期限内提交并验收销号的比例。",
)
def rectifications_on_time(orgs, year: int) -> dict[int, Reading]:
    """Two queries: the owners of the subtrees' orgs, the year's items."""
    today = timezone.localdate()
    owner_of = metrics.owners(orgs)
    rows = Rectification.objects.filter(
        deadline__gte=dt.date(year, 1, 1),
        deadline__lte=dt.date(year, 12, 31),
        org_id__in=list(owner_of),
    ).values_list("org_id", "deadline", "status", "submitted_at")
    sums: dict[int, list[int]] = {}
    for org_id, deadline, status, submitted_at in rows:
        verified = status == Rectification.Status.VERIFIED
        if deadline >= today and not verified:
            continue  # still within its deadline: not judged yet
        acc = sums.setdefault(owner_of[org_id], [0, 0])
        acc[1] += 1
        if verified and submitted_at and timezone.localdate(submitted_at) <= deadline:
            acc[0] += 1
    return {org_id: Reading(ok, n) for org_id, (ok, n) in sums.items() if n}


# ---- supervision (issue 13, part 3): inspection findings closed --------------------------


def _inspection_source(org, year: int) -> str:
    return reverse("assessment:inspections") + f"?org={org.pk}&year={year}"


@metric(
    "assessment:inspection_findings_closed",
    title="督查发现问题整改销号率",
    unit="rate",
    source=_inspection_source,
    description="本年度督查（按督查年度）发现并列入整改清单的问题中，已验收销号的比例；"
    "没有督查发现问题的组织为缺项。",
)
def inspection_findings_closed(orgs, year: int) -> dict[int, Reading]:
    """One query: the year's inspection findings of the subtrees with their org's path."""
    if not orgs:
        return {}
    step = org_tree().path_step
    by_path = {o.path: o.pk for o in orgs}
    visits = InspectionVisit.objects.filter(inspection__year=year).values("pk")
    rows = Rectification.objects.filter(
        source_type=ContentType.objects.get_for_model(InspectionVisit), source_id__in=visits
    ).values_list("org__path", "status")
    return _rollup(by_path, step, ((p, 1, s == Rectification.Status.VERIFIED) for p, s in rows))


def _rollup(by_path: dict[str, int], step: int, rows) -> dict[int, Reading]:
    """Sum ``(org path, n, hits)`` rows into every org of ``by_path`` whose subtree holds
    the path; an org with nothing counted is left out (缺项)."""
    sums: dict[int, list[int]] = {}
    for path, n, hits in rows:
        for end in range(step, len(path) + 1, step):
            owner = by_path.get(path[:end])
            if owner is not None:
                acc = sums.setdefault(owner, [0, 0])
                acc[0] += hits
                acc[1] += n
    return {pk: Reading(hits, n) for pk, (hits, n) in sums.items() if n}


# ---- supervision (issue 13, part 4): duty report appraisals ------------------------------


def _duty_source(org, year: int) -> str:
    return reverse("assessment:duty_reports") + f"?org={org.pk}&year={year}"


@metric(
    "assessment:duty_rating",
    title="书记述职评议好、较好比例",
    unit="rate",
    source=_duty_source,
    description="本年度书记述职评议（SUP-2）中评为“好”或“较好”的票数占全部评议票数的比例；"
    "没有述职评议的组织为缺项。",
)
def duty_rating(orgs, year: int) -> dict[int, Reading]:
    """One grouped query: the year's ballots per report org and rating."""
    from django.db.models import Count

    from dangjian.assessment.supervision.models import DutyReport

    if not orgs:
        return {}
    good = (DutyReport.Rating.GOOD, DutyReport.Rating.FAIR)
    rows = (
        DutyBallot.objects.filter(report__year=year)
        .values_list("report__org__path", "rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_path = {o.path: o.pk for o in orgs}
    return _rollup(
        by_path, org_tree().path_step, ((p, n, n if r in good else 0) for p, r, n in rows)
    )
