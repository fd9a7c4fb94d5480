"""What is published to an org goes to its channels (``core.signals.published``)."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from dangjian.core.channels.services import channels_publish
from dangjian.core.signals import published

log = logging.getLogger(__name__)


def source_label(sender) -> str:
    meta = getattr(sender, "_meta", None)
    if meta is not None:
        return str(meta.verbose_name)
    return sender if isinstance(sender, str) else ""


@receiver(published, dispatch_uid="core.channels.published")
def post_to_channels(sender, org, title, text="", url="", actor=None, **kwargs):
    # The publication has committed already: a failure here must not fail the sender's
    # request. It is logged; the publication stands.
    try:
        channels_publish(org=org, title=title, text=text, url=url, source=source_label(sender))
    except Exception:
        log.exception("queuing the channel copies of %r failed", title)
