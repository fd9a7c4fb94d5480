"""What the top bar's search (``core.search``) finds in the opinion watch: items by title,
summary or channel, through the gate (``selectors.item_list``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from dangjian.core.search import SearchGroup, SearchHit, searcher
from dangjian.opinion.selectors import item_list


@searcher(order=75)
def items(user, q: str, limit: int) -> SearchGroup:
    rows = list(item_list(user, q=q)[: limit + 1])
    more = f"{reverse('opinion:items')}?{urlencode({'q': q})}" if len(rows) > limit else ""
    return SearchGroup(
        title="舆情信息",
        hits=[
            SearchHit(
                i.title,
                f"{i.org.name} · {i.where} · {i.get_status_display()}",
                reverse("opinion:item", args=[i.pk]),
            )
            for i in rows[:limit]
        ],
        more_url=more,
    )
