"""Reads of inspections, duty reports and talks, through the gate; constant queries."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dangjian.assessment.models import Rectification
from dangjian.assessment.supervision.models import (
    DutyReport,
    DutyVoter,
    Inspection,
    InspectionItem,
    InspectionTarget,
    InspectionVisit,
    Talk,
)
from dangjian.orgs.models import Org, Position


def _count(model, **filters):
    return Coalesce(
        Subquery(
            model.objects.filter(inspection=OuterRef("pk"), **filters)
            .order_by()
            .values("inspection")
            .annotate(n=Count("id"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_coverage(qs: QuerySet[Inspection]) -> QuerySet[Inspection]:
    """``n_targets``, ``n_inspected`` and ``n_onsite`` as subqueries (no row explosion)."""
    return qs.annotate(
        n_targets=_count(InspectionTarget),
        n_inspected=_count(InspectionVisit),
        n_onsite=_count(InspectionVisit, kind=InspectionVisit.Kind.ON_SITE),
    )


def inspection_list(*, user, org: Org | None = None, year=None, q: str = ""):
    qs = with_coverage(Inspection.objects.visible_to(user).select_related("org"))
    if org is not None:
        qs = qs.in_subtree(org)
    if year:
        qs = qs.filter(year=year)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(basis__icontains=q))
    return qs


def coverage(inspection: Inspection) -> dict[str, int]:
    if hasattr(inspection, "n_targets"):
        return {"targets": inspection.n_targets, "inspected": inspection.n_inspected}
    return {
        "targets": InspectionTarget.objects.filter(inspection=inspection).count(),
        "inspected": InspectionVisit.objects.filter(inspection=inspection).count(),
    }


def inspection_board(inspection: Inspection, *, status: str = "", q: str = "") -> list[dict]:
    """One row per target: the org, its visit, its checklist lines and rectification items
    from this campaign. Four queries whatever the number of targets."""
    targets = InspectionTarget.objects.filter(inspection=inspection).select_related("org")
    if q:
        targets = targets.filter(org__name__icontains=q)
    visits = {v.org_id: v for v in InspectionVisit.objects.filter(inspection=inspection)}
    items: dict[int | None, list[InspectionItem]] = {}
    for item in InspectionItem.objects.filter(inspection=inspection):
        items.setdefault(item.org_id, []).append(item)
    rects: dict[int, list[int]] = {}
    if visits:
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_model(InspectionVisit)
        for org_id, st in Rectification.objects.filter(
            source_type=ct, source_id__in=[v.pk for v in visits.values()]
        ).values_list("org_id", "status"):
            acc = rects.setdefault(org_id, [0, 0])
            acc[0] += 1
            acc[1] += st == Rectification.Status.VERIFIED
    rows = []
    for t in targets.order_by("org__path"):
        visit = visits.get(t.org_id)
        if (status == "done" and visit is None) or (status == "todo" and visit is not None):
            continue
        n, closed = rects.get(t.org_id, (0, 0))
        rows.append(
            {
                "org": t.org,
                "visit": visit,
                "items": items.get(t.org_id, []),
                "findings": n,
                "closed": closed,
            }
        )
    return rows


def free_items(inspection: Inspection):
    return InspectionItem.objects.filter(inspection=inspection, org__isnull=True)


def visit_findings(visit: InspectionVisit):
    return Rectification.objects.for_source(visit).select_related("owner")


# ---- duty reports ------------------------------------------------------------------------


def duty_report_list(*, user, org: Org | None = None, year=None, q: str = ""):
    qs = DutyReport.objects.visible_to(user).select_related("org", "reporter")
    if org is not None:
        qs = qs.in_subtree(org)
    if year:
        qs = qs.filter(year=year)
    if q:
        qs = qs.filter(Q(reporter__name__icontains=q) | Q(org__name__icontains=q))
    return qs


def to_rate(user) -> QuerySet[DutyReport]:
    """Open reports this user may rate and has not: those of the orgs at and above the
    member's own (not his own report), and those of the orgs directly below an org where
    the user holds a position. Two queries (positions, then the reports)."""
    from dangjian.core.scope import reach_of

    reach = reach_of(user)
    if not user.is_authenticated:
        return DutyReport.objects.none()
    parents = list(
        Position.objects.active(timezone.localdate())
        .filter(user=user)
        .values_list("org_id", flat=True)
    )
    q = Q(org__parent_id__in=parents) if parents else Q(pk__in=[])
    if reach.member_id:
        q |= DutyReport.objects.published_q(reach) & ~Q(reporter_id=reach.member_id)
    return (
        DutyReport.objects.filter(q, status=DutyReport.Status.OPEN)
        .exclude(pk__in=DutyVoter.objects.filter(user=user).values("report_id"))
        .select_related("org", "reporter")
    )


def voted(user, reports) -> set[int]:
    ids = [r.pk for r in reports]
    return set(
        DutyVoter.objects.filter(user=user, report_id__in=ids).values_list("report_id", flat=True)
    )


def voter_counts(reports) -> dict[int, int]:
    ids = [r.pk for r in reports]
    return dict(
        DutyVoter.objects.filter(report_id__in=ids)
        .values("report_id")
        .annotate(n=Count("id"))
        .values_list("report_id", "n")
        .order_by()
    )


# ---- talks -------------------------------------------------------------------------------


def talk_list(*, user, org: Org | None = None, kind: str = "", q: str = "", member=None):
    """Talks in reach; ``member``: the talks with one person (they follow the person)."""
    qs = Talk.objects.visible_to(user).select_related("org", "member")
    if org is not None:
        qs = qs.in_subtree(org)
    if member is not None:
        qs = qs.filter(member=member)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(member__name__icontains=q) | Q(reason__icontains=q))
    return qs
