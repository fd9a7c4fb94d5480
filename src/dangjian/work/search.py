"""What the top bar's search (``core.search``) finds among joint initiatives: titles,
business departments and goals, through the gate (``selectors.initiative_list``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from dangjian.core.scope import reach_of
from dangjian.core.search import SearchGroup, SearchHit, searcher
from dangjian.work.selectors import initiative_list


@searcher(order=60)
def initiatives(user, q: str, limit: int) -> SearchGroup:
    rows = list(initiative_list(user, q=q)[: limit + 1])
    more = ""
    if len(rows) > limit and reach_of(user).is_manager:
        more = f"{reverse('work:initiatives')}?{urlencode({'q': q})}"
    return SearchGroup(
        title="融合项目",
        hits=[
            SearchHit(
                i.title,
                f"{i.org.name} · {i.unit} · {i.year}年 · {i.get_phase_display()}",
                reverse("work:initiative", args=[i.pk]),
            )
            for i in rows[:limit]
        ],
        more_url=more,
    )
