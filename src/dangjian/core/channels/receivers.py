"""What is published to an org goes to its channels (``core.signals.published``)."""

from __future__ import annotations

from django.dispatch import receiver

from dangjian.core.signals import published


def source_label(sender) -> str:
    meta = getattr(sender, "_meta", None)
    if meta is not None:
        return str(meta.verbose_name)
    return sender if isinstance(sender, str) else ""


@receiver(published, dispatch_uid="core.channels.published")
def post_to_channels(sender, org, title, text="", url="", actor=None, **kwargs):
    from dangjian.core.channels.services import channels_publish

    channels_publish(org=org, title=title, text=text, url=url, source=source_label(sender))
