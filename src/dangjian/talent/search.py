"""What the top bar's search (``core.search``) finds in the talent pool: people by name,
pinyin or initials, or a free tag, through the gate (``selectors.talent_list``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from dangjian.core.scope import reach_of
from dangjian.core.search import SearchGroup, SearchHit, searcher
from dangjian.talent.selectors import talent_list


@searcher(order=80)
def talents(user, q: str, limit: int) -> SearchGroup:
    if not reach_of(user).is_manager:
        return SearchGroup(title="人才库")
    rows = list(talent_list(user, q=q)[: limit + 1])
    more = f"{reverse('talent:pool')}?{urlencode({'q': q})}" if len(rows) > limit else ""
    return SearchGroup(
        title="人才库",
        hits=[
            SearchHit(
                t.member.name,
                f"{t.member.org.name} · {'、'.join(s.name for s in t.skills.all())}",
                reverse("talent:talent", args=[t.pk]),
            )
            for t in rows[:limit]
        ],
        more_url=more,
    )
