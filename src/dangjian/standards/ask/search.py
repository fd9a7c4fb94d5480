"""What the top bar's search (``core.search``) finds in the standards library: the best
rules for the words typed, with a link to 法规问答 for the full answers. Only confident
matches: an org's name ("预算处党支部") shares a word or two with many rules and should not
bury the org under them; 法规问答 itself shows every match."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from dangjian.core.errors import DomainError
from dangjian.core.search import SearchGroup, SearchHit, searcher
from dangjian.standards.ask.answers import ask

HITS = 3
# The lowest BM25 score shown in the top bar (a question about one subject scores 5–15; an
# org's name, 2 at most).
MIN_SCORE = 2.5


@searcher(order=90)
def regulations(user, q: str, limit: int) -> SearchGroup | None:
    try:
        result = ask(q, limit=min(limit, HITS))
    except DomainError:
        return None
    answers = [a for a in result.answers if a.score >= MIN_SCORE]
    if not answers:
        return None
    hits = []
    for a in answers:
        where = f"《{a.standard.short_name}》" if a.standard is not None else "常见问题"
        hits.append(SearchHit(a.entry.title, f"{where}{a.entry.article or ''}", a.url))
    more = f"{reverse('standards:ask')}?{urlencode({'q': q})}"
    return SearchGroup(title="法规问答", hits=hits, more_url=more)
