"""党内统计 API at /api/v1/statistics: the annual tables of an org and year, generating them,
the kept years. Thin: the gate (404 outside reach), then a selector or a service."""

from __future__ import annotations

from django.utils import timezone
from ninja import Query, Router, Status

from dangjian.api.paging import page_of
from dangjian.core.idempotency import idempotent
from dangjian.core.scope import get_manageable
from dangjian.orgs.models import Org
from dangjian.statistics import selectors, services
from dangjian.statistics.schemas import AnnualIn, AnnualOut, AnnualQuery, ReportFilter, ReportPage

router = Router(tags=["党内统计"])


def _out(figures: dict, year: int, report=None) -> dict:
    return {
        **figures,
        "year": year,
        "generated_at": report.generated_at if report else None,
        "generated_by": (report.generated_by.name if report and report.generated_by else None),
    }


@router.get(
    "/annual", response=AnnualOut, summary="党内统计年报（已生成的按生成时的数，否则实时计算）"
)
def annual(request, q: Query[AnnualQuery]):
    """例：`/api/v1/statistics/annual?org=3&year=2026` → `{"as_of": "2026-12-31",
    "members": {"total": 52, "full": 49, …}, "orgs": {…}, "changes": {…}, "checks": […]}`"""
    org = get_manageable(Org.objects.all(), request.user, pk=q.org)
    year = q.year or timezone.localdate().year
    services.validate_year(year, q.as_of)
    report = None if q.as_of else selectors.kept_report(org, year)
    if report is not None:
        return _out(selectors.shown_figures(None, report), year, report)
    return _out(selectors.annual(org, year, q.as_of).as_dict(), year)


@router.post("/annual", response={201: AnnualOut}, summary="生成（或重新生成）党内统计年报")
def generate(request, payload: AnnualIn):
    """例：`{"org": 3, "year": 2026}`；同一年度再次生成会替换该年度的表（记入审计日志）。
    可带 `Idempotency-Key`，重试不会重复生成。"""
    org = get_manageable(Org.objects.all(), request.user, pk=payload.org)

    def run():
        report = services.report_generate(
            actor=request.user, org=org, year=payload.year, as_of=payload.as_of
        )
        body = _out(selectors.shown_figures(None, report), report.year, report)
        return 201, AnnualOut.model_validate(body).model_dump(mode="json")

    status, body = idempotent(
        request, run, endpoint="statistics.generate", payload=payload.model_dump(mode="json")
    )
    return Status(status, body)


@router.get("/reports", response=ReportPage, summary="已生成的各年度年报")
def reports(request, filters: Query[ReportFilter]):
    org = get_manageable(Org.objects.all(), request.user, pk=filters.org)
    return page_of(selectors.kept_reports(org), page=filters.page, page_size=filters.page_size)
