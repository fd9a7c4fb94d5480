"""Platform services: notifications (in-app inbox, email, webhook)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from dangjian.core.models import Notification


def notify(
    *, users: Iterable, title: str, body: str = "", link: str = "", dedupe_key: str = ""
) -> list[Notification]:
    """Put a message in each user's inbox, once per ``dedupe_key``; send external copies.

    Returns the notifications actually created (a repeated key creates nothing).
    """
    users = [u for u in users if u is not None]
    if not users:
        return []
    if dedupe_key:
        already = set(
            Notification.objects.filter(user__in=users, dedupe_key=dedupe_key).values_list(
                "user_id", flat=True
            )
        )
        users = [u for u in users if u.pk not in already]
    created = Notification.objects.bulk_create(
        [
            Notification(user=u, title=title, body=body, link=link, dedupe_key=dedupe_key)
            for u in users
        ],
        ignore_conflicts=bool(dedupe_key),
    )
    if created:
        from dangjian.core.tasks import deliver_notifications

        user_ids = [u.pk for u in users]
        transaction.on_commit(
            lambda: deliver_notifications.enqueue(
                user_ids=user_ids, title=title, body=body, link=link
            )
        )
    return created


def notification_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    from django.utils import timezone

    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
