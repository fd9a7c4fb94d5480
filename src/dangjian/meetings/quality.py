"""Minutes: sanitizing rich text, and flagging minutes that are too short or copied.

Near-duplicates are found cheaply: an exact match of the normalized text's digest (one
indexed query, any branch), then character 4-gram Jaccard similarity against a bounded
set of candidates of similar length (one query), compared in memory.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

import nh3
from django.db.models.functions import Length

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
# Minutes shorter than this (characters of plain text, spaces and punctuation removed)
# cannot record a real meeting's discussion.
MIN_CHARS = 80
# Jaccard similarity of 4-character shingles at or above which two minutes are flagged.
SIMILAR_AT = 0.7
SHINGLE = 4
# A heart talk's record is naturally brief: not flagged as too short.
BRIEF_KINDS = {"heart_talk"}
MAX_CANDIDATES = 300
LENGTH_BAND = 0.25  # candidates within ±25 % of the length

_STRIP_RE = re.compile(r"[\s\W_]+", re.UNICODE)


def sanitize(rich: str) -> str:
    return nh3.clean(rich or "", tags=ALLOWED_TAGS, attributes={}).strip()


def plain_text(rich: str) -> str:
    text = nh3.clean(rich or "", tags=set())
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _STRIP_RE.sub("", text)


def digest(normalized: str) -> str:
    return hashlib.sha256(normalized.encode()).hexdigest() if normalized else ""


def shingles(normalized: str) -> set[str]:
    if len(normalized) <= SHINGLE:
        return {normalized} if normalized else set()
    return {normalized[i : i + SHINGLE] for i in range(len(normalized) - SHINGLE + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def assess(meeting) -> tuple[str, int | None, float | None]:
    """(quality, id of the most similar other meeting, similarity) for ``meeting``."""
    from dangjian.meetings.models import Meeting

    norm = normalize(meeting.minutes_text)
    if not norm:
        return Meeting.Quality.UNCHECKED, None, None
    others = Meeting.objects.exclude(pk=meeting.pk).exclude(minutes_digest="")
    same = others.filter(minutes_digest=digest(norm)).order_by("held_at", "id").first()
    if same is not None:
        return Meeting.Quality.SIMILAR, same.pk, 1.0
    if len(norm) < MIN_CHARS and meeting.kind not in BRIEF_KINDS:
        return Meeting.Quality.SHORT, None, None
    length = len(meeting.minutes_text)
    candidates = (
        others.annotate(n=Length("minutes_text"))
        .filter(n__gte=int(length * (1 - LENGTH_BAND)), n__lte=int(length * (1 + LENGTH_BAND)) + 1)
        .order_by("-held_at", "-id")
        .values_list("pk", "minutes_text")[:MAX_CANDIDATES]
    )
    mine = shingles(norm)
    best_id, best = None, 0.0
    for pk, text in candidates:
        score = jaccard(mine, shingles(normalize(text)))
        if score > best:
            best_id, best = pk, score
    if best >= SIMILAR_AT:
        return Meeting.Quality.SIMILAR, best_id, round(best, 3)
    return Meeting.Quality.OK, None, None
