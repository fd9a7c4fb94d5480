"""What the top bar's search (``core.search``) finds among members: the member list's own
search (name, pinyin, initials, ID tail), through the gate."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from dangjian.core.search import SearchGroup, SearchHit, searcher, url_filter
from dangjian.members.selectors import member_list, search_url_value

url_filter(search_url_value)


@searcher(order=10)
def members(user, q: str, limit: int) -> SearchGroup:
    rows = list(member_list(user=user, q=q)[: limit + 1])
    url_q = search_url_value(q)
    more = reverse("members:list") + f"?{urlencode({'q': url_q})}" if url_q else ""
    return SearchGroup(
        title="党员",
        hits=[
            SearchHit(
                title=m.name,
                detail=f"{m.org.name} · {m.get_status_display()} · {m.id_number_masked}",
                url=reverse("members:detail", args=[m.pk]),
            )
            for m in rows[:limit]
        ],
        more_url=more if len(rows) > limit else "",
    )
