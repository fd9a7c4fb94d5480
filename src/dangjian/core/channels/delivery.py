"""Sending one delivery (the worker's task ``deliver``), its retries, and the sweep that
re-queues what is due (``dangjian channel_retry``). The outside call is made here only, by
the worker, never inside a request."""

from __future__ import annotations

import datetime as dt
import logging
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from dangjian.core.channels import formats
from dangjian.core.crypto import decrypt
from dangjian.core.models import Channel, ChannelDelivery

log = logging.getLogger(__name__)

Kind = Channel.Kind
Status = ChannelDelivery.Status
ANSWER_MAX_BYTES = 64 * 1024


@task()
def deliver(*, delivery_id: int) -> str:
    """One attempt of one delivery; answers its status for the task log."""
    row = delivery_attempt(delivery_id=delivery_id)
    return row.status if row is not None else "skipped"


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: doubling from the base."""
    return dt.timedelta(seconds=settings.CHANNEL_RETRY_SECONDS * 2 ** max(0, attempts - 1))


def _send(channel: Channel, delivery: ChannelDelivery) -> str:
    """Make the outside call; the reason it failed, or "" when the receiver took it."""
    address, secret = decrypt(channel.url_enc), decrypt(channel.secret_enc or "")
    if not address:
        return "地址无法解密（加密密钥是否已更换？）"
    if channel.kind == Kind.EMAIL:
        body = "\n\n".join(x for x in (delivery.text, delivery.link) if x)
        try:
            send_mail(delivery.title, body, None, [address], fail_silently=False)
        except Exception as exc:  # SMTP errors come in many shapes
            return f"邮件发送失败：{exc}"[:300]
        return ""
    msg = formats.Message(
        title=delivery.title,
        text=delivery.text,
        url=delivery.link,
        org=channel.org.name,
        source=delivery.source,
    )
    req = formats.BUILDERS[channel.kind](msg, url=address, secret=secret, now=time.time())
    http = urllib.request.Request(req.url, data=req.body, headers=req.headers, method="POST")
    try:
        with urllib.request.urlopen(http, timeout=settings.CHANNEL_TIMEOUT_SECONDS) as resp:
            return formats.answer_error(channel.kind, resp.status, resp.read(ANSWER_MAX_BYTES))
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return f"无法连接：{reason}"[:300]


def delivery_attempt(*, delivery_id: int) -> ChannelDelivery | None:
    """One attempt of a queued delivery (the worker's task). The attempt is claimed first,
    so two workers never send the same copy; the outside call runs outside any transaction.
    A failure is retried after a doubling wait until ``CHANNEL_MAX_ATTEMPTS``; the claim
    clears ``next_attempt_at``, so the row in memory matches the database."""
    row = (
        ChannelDelivery.objects.select_related("channel__org")
        .filter(pk=delivery_id, status__in=[Status.PENDING, Status.RETRYING])
        # A copy queued twice (the timed retry and the sweep) is not sent before its time.
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now()))
        .first()
    )
    if row is None:
        return None
    claimed = ChannelDelivery.objects.filter(
        pk=row.pk, status=row.status, attempts=row.attempts
    ).update(attempts=F("attempts") + 1, next_attempt_at=None, updated_at=timezone.now())
    if not claimed:
        return None
    row.attempts, row.next_attempt_at = row.attempts + 1, None
    error = "渠道已停用，未发送" if not row.channel.enabled else _send(row.channel, row)
    now = timezone.now()
    if not error:
        row.status, row.sent_at, row.last_error = Status.SENT, now, ""
    elif row.channel.enabled and row.attempts < settings.CHANNEL_MAX_ATTEMPTS:
        row.status, row.last_error = Status.RETRYING, error
        row.next_attempt_at = now + retry_delay(row.attempts)
    else:
        row.status, row.last_error = Status.FAILED, error
    row.save(update_fields=["status", "sent_at", "last_error", "next_attempt_at", "updated_at"])
    if row.status == Status.RETRYING:
        _schedule_retry(row)
    elif error:
        log.warning("channel %s: delivery %s failed: %s", row.channel_id, row.pk, error)
    return row


def _schedule_retry(row: ChannelDelivery) -> None:
    """Enqueue the next attempt for its time when the task backend can defer; otherwise
    ``dangjian channel_retry`` (run by cron like the reminders) picks it up."""
    if deliver.get_backend().supports_defer:
        deliver.using(run_after=row.next_attempt_at).enqueue(delivery_id=row.pk)


def deliveries_retry_due(*, now: dt.datetime | None = None) -> int:
    """Queue the deliveries whose retry time has come (or that were never picked up)."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.CHANNEL_RETRY_SECONDS)
    due = list(
        ChannelDelivery.objects.filter(
            Q(status=Status.RETRYING, next_attempt_at__lte=now)
            | Q(status=Status.PENDING, created_at__lte=stale)
        ).values_list("pk", flat=True)
    )
    for pk in due:
        deliver.enqueue(delivery_id=pk)
    return len(due)
