"""Background work of the 驾驶舱: rebuilding the kept figures.

``rebuild_figures`` is defined next to what it runs (``services``) and enqueued on commit
when a watched record changes (``services.figures_mark_stale``) or a person asks
(``services.figures_refresh_request``); nightly, ``dangjian dashboard_refresh`` runs it from
cron (``--enqueue`` hands it to a worker)."""

from dangjian.dashboard.services import rebuild_figures

__all__ = ["rebuild_figures"]
