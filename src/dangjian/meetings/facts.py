"""Facts the meetings app contributes to the compliance engine (``standards.registry.fact``):
reads shared by its checkers, done once per evaluation, set-based."""

from __future__ import annotations

from django.db.models import Case, Count, F, Q, When

from dangjian.core.bulk import plain_rows
from dangjian.meetings.models import Meeting
from dangjian.standards import periods as P
from dangjian.standards.registry import Period, fact


@fact("meeting_counts")
def meeting_counts(facts) -> dict[tuple[int, str], list[int]]:
    """Held meetings per (org, kind) and local month over the span (one bucket per month of
    ``facts.months``): ONE grouped query with a conditional count per month. A group meeting
    counts for its group (the meeting's ``group``, or its ``org`` when that is the group
    itself). Only the kinds of the meeting-frequency rules evaluated are counted; the rows
    are read through the cursor (plain integers: the ORM's converter per count was a third
    of the time)."""
    bounds = [(P.at_midnight(m.start), P.at_midnight(m.end)) for m in facts.months]
    counts = {
        f"m{i}": Count("id", filter=Q(held_at__gte=lo, held_at__lt=hi))
        for i, (lo, hi) in enumerate(bounds)
    }
    owner = Case(
        When(kind="group_meeting", group__isnull=False, then=F("group_id")),
        default=F("org_id"),
    )
    held = Meeting.objects.filter(
        status="held", held_at__gte=bounds[0][0], held_at__lt=bounds[-1][1]
    )
    planned = facts.planned("meeting_frequency")
    if planned is not None:
        held = held.filter(kind__in=sorted({str(params.get("kind")) for params in planned}))
    rows = (
        facts.in_subtree(held, "org__path")
        .annotate(owner=owner)
        .values("owner", "kind")
        .annotate(**counts)
        .values_list("owner", "kind", *counts)
        .order_by()
    )
    return {(r[0], r[1]): list(r[2:]) for r in plain_rows(rows)}


def meeting_count(facts, org_id: int, kind: str, period: Period) -> int:
    """Held meetings of ``kind`` for ``org_id`` in ``period`` (a month, quarter or year
    inside the evaluated span), from the shared fact."""
    buckets = facts.get("meeting_counts").get((org_id, kind))
    if not buckets:
        return 0
    first, last = facts.month_slice(period)
    return sum(buckets[first:last])
