"""Background work of the 驾驶舱: rebuilding the kept figures. Enqueued on commit when a
watched record changes (``services.figures_mark_stale``) or a person asks; nightly,
``dangjian dashboard_refresh`` from cron (or enqueue ``rebuild_figures``)."""

from __future__ import annotations

from django_tasks import task


@task()
def rebuild_figures(*, year: int | None = None) -> int:
    from dangjian.core.actors import SYSTEM
    from dangjian.dashboard.services import figures_rebuild

    return figures_rebuild(actor=SYSTEM, year=year).rows
