"""Words of a question and of the library's texts, for 法规问答: jieba segmentation with the
party-building user dictionary, the synonyms read as one word, stopwords dropped.

The data files live in ``standards/data/ask/`` (package data): ``userdict.txt`` (jieba's
format: word, frequency, tag), ``synonyms.toml`` (groups of terms and their canonical word)
and ``stopwords.txt``. The analyzer uses its own ``jieba.Tokenizer``, so the user dictionary
does not change how other apps segment.
"""

from __future__ import annotations

import functools
import logging
import re
import tomllib
import unicodedata
from pathlib import Path

import jieba

DATA = Path(__file__).resolve().parent.parent / "data" / "ask"
# A token that carries no letter, digit or CJK character (punctuation, spaces).
_WORDLESS = re.compile(r"^[\W_]+$")

jieba.setLogLevel(logging.WARNING)


class Analyzer:
    """Text → list of canonical words (the same for the library and the questions)."""

    def __init__(self, data: Path = DATA):
        self.segmenter = jieba.Tokenizer()
        self.segmenter.load_userdict(str(data / "userdict.txt"))
        with (data / "synonyms.toml").open("rb") as fh:
            groups = tomllib.load(fh).get("group", [])
        self.synonyms: dict[str, str] = {}
        for group in groups:
            canonical = group["canonical"]
            for term in [canonical, *group.get("terms", [])]:
                self.synonyms[term] = canonical
        # Phrases (two characters or more) are replaced in the raw text, longest first, the
        # canonical words included so that a canonical word is never cut by a shorter term
        # inside it ("党支部" is not "党" + "支部").
        phrases = sorted((t for t in self.synonyms if len(t) >= 2), key=len, reverse=True)
        self._phrases = re.compile("|".join(map(re.escape, phrases))) if phrases else None
        self.stopwords = {
            line.strip()
            for line in (data / "stopwords.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        }

    def normalize(self, text: str) -> str:
        """Full-width to half-width, lower case, synonyms replaced by their canonical word."""
        text = unicodedata.normalize("NFKC", text or "").lower()
        if self._phrases is not None:
            text = self._phrases.sub(lambda m: self.synonyms[m.group(0)], text)
        return text

    def words(self, text: str) -> list[str]:
        out = []
        for token in self.segmenter.cut_for_search(self.normalize(text), HMM=False):
            token = token.strip()
            if not token or _WORDLESS.match(token):
                continue
            token = self.synonyms.get(token, token)
            if token not in self.stopwords:
                out.append(token)
        return out


@functools.cache
def analyzer() -> Analyzer:
    """The process's analyzer (loading jieba's dictionary takes about a second, once)."""
    return Analyzer()
