"""Development metrics for the assessment (``core.metrics``): set-based, a constant number
of queries whatever the number of orgs."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from dangjian.core import metrics
from dangjian.core.metrics import Reading, metric
from dangjian.development.models import Case, Procedure


def _cases_url(org, year: int) -> str:
    return metrics.link("development:cases", query=f"org={org.pk}")


@metric(
    "development:on_schedule",
    title="发展党员按期办理率",
    unit="rate",
    source=_cases_url,
    description="办理中的发展党员案卷，当前步骤未超过规定期限的比例（当年的实时情况；"
    "往年为缺项，由考核结束时冻结的数值为准）；没有办理中案卷的组织为缺项。",
)
def on_schedule(orgs, year: int) -> dict[int, Reading]:
    """Two queries: the owners of the subtrees' orgs, the open cases per org with the number
    of them on schedule."""
    today = timezone.localdate()
    if year != today.year:
        return {}
    owner_of = metrics.owners(orgs)
    rows = (
        Case.objects.filter(
            procedure__code=Procedure.Code.DEVELOPMENT,
            status=Case.Status.OPEN,
            org_id__in=list(owner_of),
        )
        .values("org_id")
        .annotate(
            ok=Count("id", filter=Q(next_due_on__isnull=True) | Q(next_due_on__gte=today)),
            n=Count("id"),
        )
        .values_list("org_id", "ok", "n")
        .order_by()
    )
    sums = metrics.rollup(owner_of, rows)
    return {org_id: Reading(ok, n) for org_id, (ok, n) in sums.items() if n}
