"""URLs of fixed pages, reversed once per process instead of on every request.

``reverse()`` costs about 50 µs (thread-local look-ups of the URLconf, the script prefix and
the language); a page with a menu and a tab bar reverses 30 to 60 names that never change.
``link(name)`` remembers each answer per resolver and script prefix, so a new URLconf
(``override_settings(ROOT_URLCONF=...)`` clears Django's resolver cache) or a site mounted
under another prefix gets fresh answers. Only names without arguments: a row's own link
(``members:detail 42``) is ``link_pattern(name)`` formatted with its key.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse

_cache: dict[tuple, str | None] = {}
PLACEHOLDER = 987654321


def _key(name: str) -> tuple:
    return (get_resolver(get_urlconf()), get_script_prefix(), name)


def link(name: str) -> str:
    """``reverse(name)``, computed once; ``NoReverseMatch`` as ``reverse`` raises it."""
    key = _key(name)
    try:
        url = _cache[key]
    except KeyError:
        try:
            url = reverse(name)
        except NoReverseMatch:
            url = None
        _cache[key] = url
    if url is None:
        raise NoReverseMatch(f"Reverse for {name!r} not found.")
    return url


def link_or_none(name: str) -> str | None:
    """``link(name)``, or ``None`` for a name that does not resolve (yet)."""
    try:
        return link(name)
    except NoReverseMatch:
        return None


def link_pattern(name: str) -> str:
    """The URL of ``name`` for one integer argument, as a ``str.format`` pattern with
    ``{}`` where the argument goes: ``link_pattern("members:detail").format(pk)``."""
    key = _key(f"{name}#pattern")
    try:
        return _cache[key]
    except KeyError:
        url = reverse(name, args=[PLACEHOLDER])
        pattern = url.replace("{", "{{").replace("}", "}}").replace(str(PLACEHOLDER), "{}")
        _cache[key] = pattern
        return pattern
