"""Writes of the 驾驶舱: rebuilding the kept figures (``figures_rebuild``), marking them stale
when a watched record changes (``figures_mark_stale``), and a person's request to rebuild
now (``figures_refresh_request``, audited).

A rebuild is set-based: each panel's ``compute`` answers every org's own figures with a
constant number of queries over the whole platform; they are summed up the tree here (each
org's figures into its own row and every ancestor's), rates derived, and the year's rows
replaced in one transaction (one delete, one bulk insert)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks import task

from dangjian.core import panels
from dangjian.core.actors import SYSTEM
from dangjian.core.audit import audit
from dangjian.core.errors import DomainError
from dangjian.core.scope import lineage
from dangjian.dashboard.models import PanelFigure, Rebuild
from dangjian.orgs.models import Org

log = logging.getLogger(__name__)

FIRST_YEAR = 2000  # plausibility bound for a year to rebuild, not a regulation number


@dataclass(frozen=True)
class RebuildResult:
    year: int
    orgs: int
    rows: int
    seconds: float


def check_year(year: int, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise DomainError(f"年度应在{FIRST_YEAR}年至{today.year}年之间", field="year")


def figures_rebuild(*, actor, year: int | None = None, today: dt.date | None = None):
    """Rebuild every panel's figures of ``year`` (default this year) for every org."""
    autodiscover_modules("panels")
    today = today or timezone.localdate()
    year = year or today.year
    check_year(year, today)
    started = time.perf_counter()
    begun = timezone.now()
    ctx = panels.PanelContext(year=year, as_of=min(today, dt.date(year, 12, 31)), today=today)
    orgs = list(Org.objects.exclude(kind=Org.Kind.GROUP).values_list("pk", "path").order_by("path"))
    by_path = {path: pk for pk, path in orgs}
    # An org's own rows go to the nearest non-group org on its path (a group's to its branch).
    owner_cache: dict[int, list[int]] = {}
    path_of = dict(Org.objects.values_list("pk", "path"))

    def targets(org_id: int) -> list[int]:
        found = owner_cache.get(org_id)
        if found is None:
            path = path_of.get(org_id)
            found = [by_path[p] for p in lineage(path) if p in by_path] if path else []
            owner_cache[org_id] = found
        return found

    rows: list[PanelFigure] = []
    for p in panels.all_panels():
        sums: dict[int, dict[str, float]] = {}
        for org_id, own in p.compute(ctx).items():
            for target in targets(org_id):
                acc = sums.setdefault(target, {})
                for key, value in own.items():
                    if value:
                        acc[key] = acc.get(key, 0) + value
        empty = p.derive({})
        for pk, _ in orgs:
            found = sums.get(pk)
            rows.append(
                PanelFigure(
                    org_id=pk, year=year, panel=p.key, figures=p.derive(found) if found else empty
                )
            )
    # Written org by org (an org's panels side by side on disk): the dashboard reads an
    # org's rows, or its children's, not a panel across every org; in panel order a
    # province's 600 committees' rows lay on 35,000 pages.
    rows.sort(key=lambda r: (r.org_id, r.panel))
    with transaction.atomic():
        PanelFigure.objects.filter(year=year).delete()
        PanelFigure.objects.bulk_create(rows, batch_size=2000)
        seconds = round(time.perf_counter() - started, 3)
        Rebuild.objects.update_or_create(
            year=year,
            defaults={
                "built_at": timezone.now(),
                "as_of": ctx.as_of,
                "seconds": seconds,
                "rows": len(rows),
            },
        )
        # A change that came in while this ran keeps its mark: the worker runs again.
        Rebuild.objects.filter(year=year, stale_since__lte=begun).update(stale_since=None)
    log.info("dashboard %s rebuilt: %s rows in %.2fs", year, len(rows), seconds)
    return RebuildResult(year, len(orgs), len(rows), seconds)


def figures_mark_stale(*, year: int | None = None) -> bool:
    """A watched record changed: mark the year's figures stale and, on commit, have the
    worker rebuild them. Answers whether this call set the mark (one task per burst)."""
    year = year or timezone.localdate().year
    now = timezone.now()
    marked = Rebuild.objects.filter(year=year, stale_since__isnull=True).update(stale_since=now)
    if not marked and not Rebuild.objects.filter(year=year).exists():
        Rebuild.objects.get_or_create(year=year, defaults={"stale_since": now})
        marked = 1
    if marked:
        transaction.on_commit(lambda: _enqueue(year))
    return bool(marked)


@task()
def rebuild_figures(*, year: int | None = None) -> int:
    """The worker's rebuild (enqueued on commit by the two functions below; defined next to
    what it runs, as ``standards.kept.refresh_findings`` is)."""
    return figures_rebuild(actor=SYSTEM, year=year).rows


def _enqueue(year: int) -> None:
    rebuild_figures.enqueue(year=year)


def figures_refresh_request(*, actor, org: Org, year: int) -> None:
    """A person asks for fresh figures (the page's 立即更新): queued for the worker, audited
    on ``org`` (the org whose dashboard they were looking at)."""
    check_year(year)
    Rebuild.objects.update_or_create(year=year, defaults={"stale_since": timezone.now()})
    audit(actor=actor, action="dashboard.refresh", verb=f"请求更新{year}年驾驶舱数据", org=org)
    transaction.on_commit(lambda: _enqueue(year))
