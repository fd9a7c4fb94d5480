"""Reads of the outgoing channels, through the gate: a channel is seen by the managers of its
org (``manageable_by``: no member sees channels), and its deliveries with it."""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet

from dangjian.core.models import Channel, ChannelDelivery

SORTS = {
    "org": ("org__path", "name", "id"),
    "name": ("name", "id"),
    "kind": ("kind", "name", "id"),
    "-last": ("-last_at", "name", "id"),
}


def channel_list(
    user,
    *,
    q: str = "",
    org=None,
    kind: str = "",
    enabled: bool | None = None,
    sort: str = "org",
) -> QuerySet[Channel]:
    """Channels the user manages, with their delivery counts: one query for a page."""
    qs = Channel.objects.manageable_by(user).select_related("org")
    if org is not None:
        qs = qs.in_subtree(org)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(org__name__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if enabled is not None:
        qs = qs.filter(enabled=enabled)
    qs = qs.annotate(
        n_sent=Count("deliveries", filter=Q(deliveries__status=ChannelDelivery.Status.SENT)),
        n_failed=Count("deliveries", filter=Q(deliveries__status=ChannelDelivery.Status.FAILED)),
        last_at=Max("deliveries__created_at"),
    )
    return qs.order_by(*SORTS.get(sort, SORTS["org"]))


def delivery_list(channel: Channel, *, status: str = "") -> QuerySet[ChannelDelivery]:
    qs = channel.deliveries.all()
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")
