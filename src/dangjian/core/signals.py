"""Platform signals that let one app react to another without importing it.

``published`` is sent when something is published to an org's subtree (a notice, an
article, a disclosure …). Receivers — the outgoing channels of that org (WeChat Work,
DingTalk, Feishu robots, webhooks) — deliver a copy. Senders pass::

    published.send(sender=Notice, org=org, title="…", text="…", url="/publicity/notices/3/",
                   actor=user)

``url`` is a path on this site (receivers make it absolute with ``SITE_URL``); ``text`` is
plain text, already free of markup. Sending happens after the transaction commits
(``transaction.on_commit``), so a rolled-back publication sends nothing.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import Signal

published = Signal()


# ---- bulk loads ----------------------------------------------------------------------
#
# ``bulk_load()`` wraps a load of many rows in one transaction (the demo command): inside
# it, receivers that react to each saved row (the stale marks of the standards' kept
# findings and of the dashboard's figures) may skip their per-row work —
# ``in_bulk_load()`` says so — and do it once when the load ends, on ``bulk_loaded``
# (sent inside the same transaction, after the last row).
# Why: upserting the same stale-mark row once per saved org or member in one long
# PostgreSQL transaction leaves a chain of dead row versions that each later upsert walks,
# so a province's load slowed to a crawl.

bulk_loaded = Signal()
_bulk_load: ContextVar[bool] = ContextVar("bulk_load", default=False)


def in_bulk_load() -> bool:
    return _bulk_load.get()


@contextmanager
def bulk_load(sender=None):
    token = _bulk_load.set(True)
    try:
        yield
    finally:
        _bulk_load.reset(token)
    bulk_loaded.send(sender=sender)
