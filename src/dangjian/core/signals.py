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

from django.dispatch import Signal

published = Signal()
