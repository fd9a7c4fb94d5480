"""The top bar's search: apps contribute what it finds.

An app registers a searcher from its ``search.py`` (imported in its ``AppConfig.ready()``):
``@searcher(order=N)`` on ``f(user, q, limit) -> SearchGroup | None``, reading through the
gate and its own selectors (members: the member search; orgs: org names). An app whose
search text must not reach a URL (a full ID number) registers the part that may, with
``url_filter``. Core imports no domain app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

LIMIT = 10


@dataclass(frozen=True)
class SearchHit:
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class SearchGroup:
    title: str
    hits: list[SearchHit] = field(default_factory=list)
    more_url: str = ""  # the app's own list with the same search, when there is more


Searcher = Callable[[object, str, int], SearchGroup | None]
_searchers: list[tuple[int, Searcher]] = []
_url_filters: list[Callable[[str], str]] = []


def searcher(order: int = 100) -> Callable[[Searcher], Searcher]:
    def register(func: Searcher) -> Searcher:
        _searchers.append((order, func))
        _searchers.sort(key=lambda pair: pair[0])
        return func

    return register


def url_filter(func: Callable[[str], str]) -> Callable[[str], str]:
    """Register ``func(q) -> the part of q that may stand in a URL``."""
    _url_filters.append(func)
    return func


def search_url_value(q: str) -> str:
    for func in _url_filters:
        q = func(q)
    return q


def search(*, user, q: str, limit: int = LIMIT) -> list[SearchGroup]:
    """Every app's hits for ``q`` within the user's reach, in the searchers' order."""
    q = (q or "").strip()
    if not q:
        return []
    groups = (func(user, q, limit) for _, func in _searchers)
    return [group for group in groups if group is not None]
