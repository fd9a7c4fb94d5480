"""Background work of the opinion watch, on the platform's worker (``dangjian worker``):
fetch every active source, and remind the people of cases past their reply deadline. Run on
a schedule: ``dangjian opinion_fetch`` from cron (every 30 minutes, say), or enqueue
``fetch_all``. Tasks take ids and act as ``SYSTEM``."""

from __future__ import annotations

import logging

from django_tasks import task

log = logging.getLogger(__name__)


def fetch_sources(source_ids: list[int] | None = None) -> dict[str, int]:
    """Fetch the given (default: every active) source; a failing feed is recorded on its
    source and does not stop the others. Totals plus ``failed``."""
    from dangjian.core.actors import SYSTEM
    from dangjian.opinion import services
    from dangjian.opinion.fetch import FetchError
    from dangjian.opinion.models import OpinionSource

    sources = OpinionSource.objects.filter(active=True).select_related("org")
    if source_ids is not None:
        sources = sources.filter(pk__in=source_ids)
    total = {"fetched": 0, "new": 0, "matched": 0, "failed": 0}
    for source in sources.order_by("id"):
        try:
            counts = services.source_fetch(actor=SYSTEM, source=source)
        except FetchError as exc:
            log.warning("opinion source %s: %s", source.pk, exc.message)
            total["failed"] += 1
            continue
        for k, v in counts.items():
            total[k] += v
    return total


def remind_late_cases() -> int:
    """Tell the users of each org with an open case past its deadline (once per case)."""
    from django.urls import reverse
    from django.utils import timezone

    from dangjian.core.services import notify
    from dangjian.opinion.models import OpinionCase
    from dangjian.opinion.selectors import org_users

    late = list(
        OpinionCase.objects.filter(status=OpinionCase.Status.OPEN, due_at__lt=timezone.now())
        .select_related("item", "org")
        .order_by("due_at")
    )
    users = org_users({c.org_id for c in late})
    sent = 0
    for c in late:
        sent += len(
            notify(
                users=users.get(c.org_id, []),
                title=f"舆情回应逾期：{c.item.title[:40]}",
                body=f"回应时限 {timezone.localtime(c.due_at):%Y-%m-%d %H:%M} 已过，"
                "请尽快回应并登记。",
                link=reverse("opinion:case", args=[c.pk]),
                dedupe_key=f"opinion-case-late-{c.pk}",
            )
        )
    return sent


@task()
def fetch_all() -> dict:
    """Scheduled: every active source, then the late-case reminders."""
    total = fetch_sources()
    total["reminded"] = remind_late_cases()
    return total


@task()
def fetch_one(*, source_id: int) -> dict:
    return fetch_sources([source_id])
