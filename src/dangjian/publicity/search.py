"""What the top bar's search (``core.search``) finds among notices and articles, through the
gate (``selectors``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from dangjian.core.scope import reach_of
from dangjian.core.search import SearchGroup, SearchHit, searcher
from dangjian.publicity.selectors import article_list, notice_list


@searcher(order=70)
def articles(user, q: str, limit: int) -> SearchGroup:
    rows = list(article_list(user, q=q)[: limit + 1])
    more = ""
    if len(rows) > limit and reach_of(user).is_manager:
        more = f"{reverse('publicity:articles')}?{urlencode({'q': q})}"
    return SearchGroup(
        title="文章",
        hits=[
            SearchHit(
                a.title,
                f"{a.org.name} · {a.get_category_display()} · {a.get_status_display()}",
                reverse("publicity:article", args=[a.pk]),
            )
            for a in rows[:limit]
        ],
        more_url=more,
    )


@searcher(order=71)
def notices(user, q: str, limit: int) -> SearchGroup:
    rows = list(notice_list(user, q=q)[: limit + 1])
    more = ""
    if len(rows) > limit and reach_of(user).is_manager:
        more = f"{reverse('publicity:notices')}?{urlencode({'q': q})}"
    return SearchGroup(
        title="通知公告",
        hits=[
            SearchHit(
                n.title,
                f"{n.org.name} · {n.published_at:%Y-%m-%d}",
                reverse("publicity:notice", args=[n.pk]),
            )
            for n in rows[:limit]
        ],
        more_url=more,
    )
