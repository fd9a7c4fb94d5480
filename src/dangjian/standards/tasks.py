"""Background work: keeping the findings fresh, and the daily compliance reminder.

``standards.kept.refresh_findings`` (defined next to what it refreshes) is enqueued when
an app's watched event marks findings stale; ``dangjian standards evaluate`` re-evaluates
every tree nightly (cron).

django-tasks has no scheduler: run ``dangjian standards remind`` from cron once a day
(e.g. ``0 8 * * * dangjian standards remind``), or enqueue ``send_reminders`` from
whatever runs daily jobs. Running it twice sends nothing new (deduplicated per item)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def send_reminders(*, today: str | None = None, days: int | None = None) -> int:
    from dangjian.standards.services import compliance_remind

    day = dt.date.fromisoformat(today) if today else None
    return compliance_remind(today=day, days=days)
