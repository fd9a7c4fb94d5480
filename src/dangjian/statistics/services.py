"""Every change in 党内统计: generating (or regenerating) a year's tables, exporting them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dangjian.core.actors import actor_user
from dangjian.core.audit import audit
from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEntry
from dangjian.orgs.models import Org
from dangjian.statistics.models import AnnualReport
from dangjian.statistics.tables import compute, default_as_of

FIRST_YEAR = 1921  # the party's founding; no table before it


def validate_year(year: int, as_of: dt.date | None = None) -> dt.date:
    """The date of the tables for ``year``: 31 December unless given, within the year."""
    today = timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise DomainError(f"年度应在{FIRST_YEAR}年至{today.year}年之间", field="year")
    as_of = as_of or default_as_of(year)
    if as_of.year != year:
        raise DomainError("统计截止日期须在所选年度之内", field="as_of")
    return as_of


@transaction.atomic
def report_generate(*, actor, org: Org, year: int, as_of: dt.date | None = None) -> AnnualReport:
    """Compute the tables of ``org``'s subtree for ``year`` and keep them. Generating a year
    again replaces that year's tables (the audit entry keeps the totals before and after);
    other years stay as they were generated. Generating again tables that came out the same
    (a retried request, a second click) changes nothing and records nothing:
    ``report.changed`` is False."""
    as_of = validate_year(year, as_of)
    if org.kind == Org.Kind.GROUP:
        raise DomainError("党小组不单独生成党内统计，请选择其所在党支部", field="org")
    tables = compute(org, as_of)
    report = AnnualReport.objects.select_for_update().filter(org=org, year=year).first()
    before = _summary(report.figures, report.as_of) if report else None
    values = {
        "as_of": as_of,
        "figures": tables.figures,
        "checks": tables.checks,
        "passed": all(c["passed"] for c in tables.checks),
        "generated_by": actor_user(actor),
        "generated_at": timezone.now(),
    }
    if report is None:
        report = AnnualReport.objects.create(org=org, year=year, **values)
        report.changed = True
        audit(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=report,
            verb="生成党内统计年报",
            changes=_summary(tables.figures, as_of),
            org=org,
        )
        return report
    if (report.as_of, report.figures, report.checks) == (as_of, tables.figures, tables.checks):
        report.changed = False
        return report
    for key, value in values.items():
        setattr(report, key, value)
    report.times += 1
    report.save()
    report.changed = True
    after = _summary(tables.figures, as_of)
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=report,
        verb="重新生成党内统计年报",
        changes={k: [before.get(k), v] for k, v in after.items()},
        org=org,
    )
    return report


def _summary(figures: dict, as_of: dt.date) -> dict:
    m, c = figures.get("members", {}), figures.get("changes", {})
    return {
        "as_of": str(as_of),
        "total": m.get("total"),
        "full": m.get("full"),
        "probationary": m.get("probationary"),
        "increase": c.get("increase"),
        "decrease": c.get("decrease"),
    }


def tables_exported(*, actor, org: Org, year: int, what: str) -> None:
    """Record an export of the tables or of a list behind a cell (personal data)."""
    audit(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        obj=org,
        verb=f"导出{year}年党内统计：{what}"[:100],
        org=org,
    )
