"""The 法规问答 index: one BM25 document per rule, per article no rule cites and per FAQ
entry, built once per process and again when the library changes.

A rule's document is its title (three times: it says what the rule is about), its
description, its parameters in words, its checker's title and the text of the article it
cites, with the standard's names. Ranking is Okapi BM25 (``bm25s``) over the words of
``text.Analyzer``. Whether the library changed is two small queries per question (the count and
last change of rules and standards, ``stamp``); the FAQ sources are read again after
``ASK_INDEX_TTL`` seconds, when a source is registered, or when something is published.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

import bm25s
import numpy as np
from django.conf import settings
from django.db.models import Count, Max

from dangjian.standards.ask.sources import changes, read_sources
from dangjian.standards.ask.text import analyzer

TITLE_WEIGHT = 3
logging.getLogger("bm25s").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Entry:
    """What one document answers: a rule, an article, or a FAQ entry."""

    key: str  # "rule:MTG-3", "article:12", "faq:<source>:<id>"
    kind: str  # rule | article | faq
    title: str
    rule: str | None = None
    standard: str | None = None  # the standard's code
    article: str | None = None  # the article's number ("第十二条")
    faq: object = None  # sources.Faq


@dataclass
class Index:
    entries: list[Entry]
    stamp: tuple
    built: float = field(default_factory=time.monotonic)
    retriever: bm25s.BM25 | None = None

    def search(self, words: list[str], limit: int) -> list[tuple[Entry, float]]:
        if not words or self.retriever is None:
            return []
        # A question needs a known word that is not a bare number ("1" alone matches
        # half the library).
        if not any(w in self.retriever.vocab_dict and not w.isdigit() for w in words):
            return []
        known = self.retriever.get_tokens_ids(words)
        scores = self.retriever.get_scores(known)
        order = np.argsort(-scores, kind="stable")[:limit]
        return [(self.entries[i], float(scores[i])) for i in order if scores[i] > 0]


def stamp() -> tuple:
    """What changes when the library does: rules (a new version, an edit) and standards
    (a reload touches every standard), and the registered FAQ sources. Two aggregate
    queries."""
    from dangjian.standards.models import Rule, Standard

    standards = Standard.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    rules = Rule.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    return (rules["n"], rules["at"], standards["n"], standards["at"], changes())


def documents() -> list[tuple[Entry, list[str]]]:
    """Every document with its words (four queries and the FAQ sources)."""
    from dangjian.standards.models import Article, Standard
    from dangjian.standards.params import param_items
    from dangjian.standards.registry import CHECKERS
    from dangjian.standards.selectors import latest_versions

    words = analyzer().words
    standards = {s.pk: s for s in Standard.objects.all()}
    articles = {
        (a.standard_id, a.number): a for a in Article.objects.order_by("standard_id", "sort")
    }
    docs: list[tuple[Entry, list[str]]] = []
    cited = set()
    for rule in latest_versions():
        std = standards[rule.standard_id]
        art = articles.get((rule.standard_id, rule.article))
        if art is not None:
            cited.add(art.pk)
        spec = CHECKERS.get(rule.checker or "")
        parts = [
            rule.description,
            " ".join(f"{i['label']} {i['text']}" for i in param_items(rule)),
            spec.title if spec else "",
            art.text if art else "",
            f"{std.short_name} {std.title}",
        ]
        tokens = words(rule.title) * TITLE_WEIGHT + words(" ".join(parts))
        entry = Entry(
            key=f"rule:{rule.code}",
            kind="rule",
            title=rule.title,
            rule=rule.code,
            standard=std.code,
            article=rule.article or None,
        )
        docs.append((entry, tokens))
    for art in articles.values():
        if art.pk in cited:
            continue
        std = standards[art.standard_id]
        tokens = words(art.text) + words(f"{std.short_name} {std.title}")
        entry = Entry(
            key=f"article:{art.pk}",
            kind="article",
            title=f"《{std.short_name}》{art.number}",
            standard=std.code,
            article=art.number,
        )
        docs.append((entry, tokens))
    for faq in read_sources():
        tokens = words(faq.question) * TITLE_WEIGHT + words(faq.answer)
        entry = Entry(key=f"faq:{faq.source}:{faq.id}", kind="faq", title=faq.question, faq=faq)
        docs.append((entry, tokens))
    return docs


def build(current: tuple | None = None) -> Index:
    docs = [(entry, tokens) for entry, tokens in documents() if tokens]
    index = Index(entries=[e for e, _ in docs], stamp=current or stamp())
    if docs:
        index.retriever = bm25s.BM25()
        index.retriever.index([t for _, t in docs], show_progress=False)
    return index


_lock = threading.Lock()
_index: Index | None = None


def get_index() -> Index:
    """The process's index, rebuilt when the library changed or the FAQ may have."""
    global _index
    current = stamp()
    index = _index
    ttl = getattr(settings, "ASK_INDEX_TTL", 300)
    if index is None or index.stamp != current or time.monotonic() - index.built > ttl:
        with _lock:
            index = _index
            if index is None or index.stamp != current or time.monotonic() - index.built > ttl:
                index = _index = build(current)
    return index


def invalidate(**kwargs) -> None:
    """Forget the index (a source registered, something published): the next question
    builds it again."""
    global _index
    _index = None
