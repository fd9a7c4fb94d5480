"""``{{ text|highlight:words }}``: the text escaped, each matched word wrapped in <mark>.
Every piece of the text goes through ``escape`` before the marks are added, so a feed's
``<script>`` shows as text."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def highlight(text, words):
    text = str(text or "")
    words = sorted({w for w in (words or []) if isinstance(w, str) and w}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(escape(text[last : m.start()]))
        out.append(f'<mark class="dj-hit">{escape(m.group(0))}</mark>')
        last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


@register.filter
def sentiment_tone(label: str) -> str:
    return {"negative": "dj-status-overdue", "positive": "dj-status-ok"}.get(
        label, "dj-status-missing"
    )
