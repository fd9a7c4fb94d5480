"""Pinyin keys for Chinese names: sort by full pinyin, search by initials ("zs" → 张三)."""

from pypinyin import Style, lazy_pinyin


def pinyin_keys(name: str) -> tuple[str, str]:
    """Return (full pinyin without spaces, initials), both lowercase ASCII."""
    full = "".join(lazy_pinyin(name, style=Style.NORMAL, errors="default")).lower()
    initials = "".join(
        p[:1] for p in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    ).lower()
    return full, initials
