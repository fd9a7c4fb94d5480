"""What the top bar's search (``core.search``) finds in the standards library: the best
rules for the words typed, with a link to 法规问答 for the full answers."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from dangjian.core.errors import DomainError
from dangjian.core.search import SearchGroup, SearchHit, searcher
from dangjian.standards.ask.answers import ask

HITS = 3


@searcher(order=90)
def regulations(user, q: str, limit: int) -> SearchGroup | None:
    try:
        result = ask(q, limit=min(limit, HITS))
    except DomainError:
        return None
    if not result.answers:
        return None
    hits = []
    for a in result.answers:
        where = f"《{a.standard.short_name}》" if a.standard is not None else "常见问题"
        hits.append(SearchHit(a.entry.title, f"{where}{a.entry.article or ''}", a.url))
    more = f"{reverse('standards:ask')}?{urlencode({'q': q})}"
    return SearchGroup(title="法规问答", hits=hits, more_url=more)
