"""Text work of the opinion watch: parse a downloaded feed into entries (feedparser), match
an item's words against keyword sets (jieba segmentation, synonyms, exclusion words), and
estimate its sentiment (snownlp's packaged model: nothing is downloaded at run time).

The sentiment is an estimate from a general-purpose model trained on product reviews; the
pages say so. Its cut-offs below are presentation choices, not rule numbers."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import re
import threading
from dataclasses import dataclass, field

NEGATIVE_BELOW = 0.4
POSITIVE_FROM = 0.6
SENTIMENT_CHARS = 400  # the model reads the first characters only: enough, and fast

_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass
class Entry:
    title: str
    summary: str
    url: str
    published_at: dt.datetime | None


def plain(text: str) -> str:
    """HTML to plain text (feeds carry HTML summaries); never rendered unescaped."""
    return _SPACE.sub(" ", html.unescape(_TAGS.sub(" ", text or ""))).strip()


def content_hash(title: str, summary: str) -> str:
    normal = _SPACE.sub("", f"{title}\n{summary}").lower()
    return hashlib.sha256(normal.encode()).hexdigest()


def parse_feed(data: bytes, *, limit: int) -> list[Entry]:
    """The entries of an RSS/Atom document (at most ``limit``). Not a feed: ``ValueError``."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.entries and parsed.get("bozo") and not parsed.get("feed"):
        raise ValueError("not a feed")
    out = []
    for e in parsed.entries[:limit]:
        title = plain(e.get("title", ""))[:500]
        summary = plain(e.get("summary", "") or e.get("description", ""))[:5000]
        if not title and not summary:
            continue
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        published = dt.datetime(*stamp[:6], tzinfo=dt.UTC) if stamp else None
        link = (e.get("link") or "").strip()
        if not link.startswith(("http://", "https://")):
            link = ""
        out.append(Entry(title or summary[:60], summary, link[:1000], published))
    return out


# --- matching ------------------------------------------------------------------------

_lock = threading.Lock()
_tokenizer = None


def _tok():
    """One jieba tokenizer of our own (the keywords added to it do not change how the rest
    of the platform segments)."""
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(60)
            _tokenizer = jieba.Tokenizer()
        return _tokenizer


def tokens(text: str, extra: set[str]) -> set[str]:
    tok = _tok()
    with _lock:
        for w in extra:
            if len(w) > 1:
                tok.add_word(w, freq=2000)
        return {t.strip().lower() for t in tok.lcut_for_search(text) if t.strip()}


@dataclass
class KeywordRule:
    """A keyword set as plain data: each watched word with the words that count as it."""

    words: dict[str, set[str]]  # word → {word, synonyms…}
    exclude: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, words, synonyms, exclude) -> KeywordRule:
        forms = {}
        for w in words:
            forms[w] = {w.lower(), *(s.lower() for s in (synonyms or {}).get(w, []))}
        return cls(forms, {x.lower() for x in exclude or []})

    def all_words(self) -> set[str]:
        return set().union(*self.words.values(), self.exclude) if self.words else self.exclude


def match(text: str, rules: list[KeywordRule]) -> list[str]:
    """The words of ``text`` that matched (surface forms, for highlighting): a set matches
    when one of its words or their synonyms is among the text's tokens and none of its
    exclusion words is. The watched words are added to the tokenizer's dictionary, and the
    search mode also yields the parts of long words (财政局 → 财政, 财政局)."""
    if not rules or not text:
        return []
    extra = set().union(*(r.all_words() for r in rules))
    found = tokens(text, extra)
    hits: list[str] = []
    for rule in rules:
        if rule.exclude & found:
            continue
        for forms in rule.words.values():
            for form in forms:
                if form in found and form not in hits:
                    hits.append(form)
    return hits


# --- sentiment -----------------------------------------------------------------------


def sentiment(text: str) -> tuple[float | None, str]:
    """(probability of positive 0–1, label) by snownlp; (None, "") for empty text."""
    text = (text or "").strip()[:SENTIMENT_CHARS]
    if not text:
        return None, ""
    from snownlp import SnowNLP

    score = round(float(SnowNLP(text).sentiments), 3)
    if score < NEGATIVE_BELOW:
        return score, "negative"
    if score >= POSITIVE_FROM:
        return score, "positive"
    return score, "neutral"
