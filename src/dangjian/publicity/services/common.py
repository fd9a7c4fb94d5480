"""What the publicity services share: text checks, rich text sanitizing, image checks, the
rules in force, and telling the channels that something went out."""

from __future__ import annotations

import re
from html import unescape

import nh3
from django.db import transaction
from django.utils import timezone

from dangjian.core.checks import checked_text
from dangjian.core.errors import DomainError
from dangjian.core.signals import published
from dangjian.core.uploads import accept
from dangjian.standards.models import Rule
from dangjian.standards.selectors import rule_in_force

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
ATTACHMENT_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
)
# Rich text: structure and emphasis only. No images in the body (an image goes in as the
# cover, checked by its content), no styles, no scripts; links only to http(s) and mailto.
RICH_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "span",
}  # fmt: skip


def text(value, *, field: str, label: str, limit: int, required: bool = True) -> str:
    return checked_text(value, field=field, label=label, limit=limit, required=required)


def rich_text(value, *, field: str = "body", label: str = "正文", limit: int = 50_000) -> str:
    """Sanitized HTML (nh3): what a browser may show as it is. Plain text becomes paragraphs."""
    raw = (value or "").strip()
    if len(raw) > limit:
        raise DomainError(f"{label}过长（最多 {limit} 字）", field=field)
    if raw and "<" not in raw:
        raw = "".join(f"<p>{line}</p>" for line in nh3.clean_text(raw).splitlines() if line)
    clean = nh3.clean(
        raw,
        tags=RICH_TAGS,
        attributes={"a": {"href", "title"}, "td": {"colspan", "rowspan"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()
    if not plain(clean):
        raise DomainError(f"请填写{label}", field=field)
    return clean


def plain(html: str, limit: int | None = None) -> str:
    """The text of sanitized HTML, for channels, feeds and summaries."""
    words = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html or ""))).strip()
    if limit and len(words) > limit:
        return words[: limit - 1] + "…"
    return words


def image(upload, *, field: str = "cover"):
    """An image judged by its first bytes, never by its name."""
    if not upload:
        return None
    try:
        accept(upload, IMAGE_TYPES, type_message="图片只支持 JPG、PNG、GIF、WebP 格式")
    except DomainError as exc:
        raise DomainError(exc.message, field=field) from None
    return upload


def params(code: str) -> dict:
    """The parameters of rule ``code`` in force today (standards library)."""
    return rule_in_force(code, timezone.localdate()).params or {}


def deadline_days() -> int | None:
    """DSC-4: working days from submission to publication, when a local rule switches it on
    (shipped off); None when off."""
    rule = (
        Rule.objects.in_force(timezone.localdate())
        .filter(code="DSC-4", enabled=True)
        .order_by("-version")
        .first()
    )
    if rule is None:
        return None
    return int((rule.params or {}).get("working_days") or 0) or None


def announce(model, *, org, title: str, text: str, url: str, actor) -> None:
    """Send ``core.signals.published`` once the transaction has committed (channels)."""
    transaction.on_commit(
        lambda: published.send(sender=model, org=org, title=title, text=text, url=url, actor=actor)
    )
