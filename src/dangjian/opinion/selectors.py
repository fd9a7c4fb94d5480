"""Reads of the opinion watch, through the gate: the watch queue, cases, sources and keyword
sets. Each list is one query (plus its count), whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q, QuerySet
from django.utils import timezone

from dangjian.opinion.models import KeywordSet, OpinionCase, OpinionItem, OpinionSource
from dangjian.orgs.models import Org, Position

ITEM_SORTS = {
    "new": ("-published_at", "-id"),
    "old": ("published_at", "id"),
    "negative": ("sentiment", "-id"),
}
CASE_SORTS = {"due": ("due_at", "id"), "new": ("-created_at", "-id"), "level": ("-level", "due_at")}


def item_list(
    user,
    *,
    q: str = "",
    org: Org | None = None,
    matched: bool | None = None,
    status: str = "",
    sentiment: str = "",
    sort: str = "new",
) -> QuerySet[OpinionItem]:
    qs = OpinionItem.objects.visible_to(user).select_related("org", "source")
    if org is not None:
        qs = qs.in_subtree(org)
    if matched is not None:
        qs = qs.filter(matched=matched)
    if status in OpinionItem.Status.values:
        qs = qs.filter(status=status)
    if sentiment:
        qs = qs.filter(sentiment_label=sentiment)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(channel__icontains=q))
    return qs.order_by(*ITEM_SORTS.get(sort, ITEM_SORTS["new"]))


def case_list(
    user,
    *,
    q: str = "",
    org: Org | None = None,
    state: str = "",
    level: str = "",
    sort: str = "due",
) -> QuerySet[OpinionCase]:
    qs = OpinionCase.objects.visible_to(user).select_related("org", "item")
    if org is not None:
        qs = qs.in_subtree(org)
    if state == "late":
        qs = qs.filter(status=OpinionCase.Status.OPEN, due_at__lt=timezone.now())
    elif state in OpinionCase.Status.values:
        qs = qs.filter(status=state)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(
            Q(item__title__icontains=q) | Q(analysis__icontains=q) | Q(responder__icontains=q)
        )
    if sort == "level":
        # 重大 first: the level's order, not its letters.
        from django.db.models import Case, IntegerField, Value, When

        rank = Case(
            When(level="critical", then=Value(0)),
            When(level="major", then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return qs.annotate(rank=rank).order_by("rank", "due_at", "id")
    return qs.order_by(*CASE_SORTS.get(sort, CASE_SORTS["due"]))


def source_list(user, *, q: str = "") -> QuerySet[OpinionSource]:
    qs = OpinionSource.objects.visible_to(user).select_related("org")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(url__icontains=q))
    return qs.order_by("org__path", "name", "id")


def keyword_set_list(user, *, q: str = "") -> QuerySet[KeywordSet]:
    qs = KeywordSet.objects.visible_to(user).select_related("org")
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.order_by("org__path", "name", "id")


def org_users(org_ids) -> dict[int, list]:
    """Users holding an active position in each org: one query."""
    out: dict[int, list] = defaultdict(list)
    for p in (
        Position.objects.active()
        .filter(org_id__in=list(org_ids), user__isnull=False, user__is_active=True)
        .select_related("user")
    ):
        if p.user not in out[p.org_id]:
            out[p.org_id].append(p.user)
    return out
