"""Metrics of the assessment app (``core.metrics``): set-based, a constant number of
queries whatever the number of orgs."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from dangjian.assessment.models import Rectification
from dangjian.assessment.supervision.models import InspectionVisit
from dangjian.core.metrics import Reading, metric
from dangjian.core.scope import org_tree

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
    sums: dict[int, list[int]] = {}
    for path, status in rows:
        # Every org of ``orgs`` whose subtree holds the item counts it.
        for end in range(step, len(path) + 1, step):
            owner = by_path.get(path[:end])
            if owner is None:
                continue
            acc = sums.setdefault(owner, [0, 0])
            acc[1] += 1
            acc[0] += status == Rectification.Status.VERIFIED
    return {pk: Reading(closed, n) for pk, (closed, n) in sums.items() if n}
