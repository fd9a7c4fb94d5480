"""Other sources of answers for 法规问答: published FAQ and the like.

An app registers a source from its ``AppConfig.ready()`` (or the lead wires it)::

    from dangjian.standards.ask import register_source

    register_source("engagement", published_faq)

``published_faq()`` returns dicts ``{"id", "question", "answer", "url"}`` (only what may be
shown to every signed-in user: the source decides what is published). The index reads the
sources when it is built; registering a source (again) rebuilds it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

log = logging.getLogger(__name__)

SOURCES: dict[str, Callable[[], Iterable[dict]]] = {}


@dataclass(frozen=True)
class Faq:
    source: str
    id: str
    question: str
    answer: str
    url: str


_changes = 0  # bumped on every (un)registration: part of the index's stamp


def register_source(name: str, fn: Callable[[], Iterable[dict]]) -> None:
    """Register (or replace) the source ``name``; the next question rebuilds the index."""
    global _changes
    SOURCES[name] = fn
    _changes += 1


def unregister_source(name: str) -> None:
    global _changes
    if SOURCES.pop(name, None) is not None:
        _changes += 1


def changes() -> int:
    """How many times the sources were registered or removed (the index rebuilds on a new
    count)."""
    return _changes


def read_sources() -> list[Faq]:
    """Every registered source's entries; a source that fails or gives a malformed entry is
    logged and skipped (a question never fails because of it)."""
    out: list[Faq] = []
    for name, fn in list(SOURCES.items()):
        try:
            rows = list(fn() or [])
        except Exception:
            log.exception("ask source %s failed", name)
            continue
        for row in rows:
            try:
                question = str(row["question"]).strip()
                entry = Faq(
                    source=name,
                    id=str(row["id"]),
                    question=question,
                    answer=str(row.get("answer") or "").strip(),
                    url=_local(row.get("url")),
                )
            except (KeyError, TypeError, AttributeError):
                log.warning("ask source %s gave a malformed entry: %r", name, row)
                continue
            if question:
                out.append(entry)
    return out


def _local(url) -> str:
    """Only a path on this site is linked (never ``javascript:`` or another host)."""
    url = str(url or "")
    return url if url.startswith("/") and not url.startswith("//") else ""
