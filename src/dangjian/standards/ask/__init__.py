"""法规问答 — ask the standards library a question in Chinese.

``ask(question, user=…)`` ranks the rules, the articles no rule cites and the registered
FAQ entries (``register_source``) by BM25 over jieba words with the party-building user
dictionary and synonyms (``standards/data/ask/``); see ``answers``, ``index``, ``text``.
"""

from dangjian.standards.ask.sources import register_source, unregister_source

__all__ = ["register_source", "unregister_source"]
