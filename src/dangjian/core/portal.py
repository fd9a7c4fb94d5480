"""The public portal (``/public/``): pages anyone may read without logging in.

Apps contribute their sections the way they contribute workbench items: a ``portal.py``
module in the app, imported by core's ``AppConfig.ready()``, registers links::

    from dangjian.core.portal import section

    section("articles", "党建动态", "publicity:public_articles", icon="newspaper", order=10)

``templates/base/public.html`` (the public shell) shows the registered sections as its
navigation, in ``order``. A public page extends that shell, answers without a session,
is rate-limited by its app, and shows nothing personal beyond what an item publishes.
This module imports no domain app.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    url_name: str
    icon: str = "circle"
    order: int = 100


_SECTIONS: dict[str, Section] = {}


def section(key: str, title: str, url_name: str, *, icon: str = "circle", order: int = 100):
    """Register (or replace, on a reload) one section of the public portal."""
    _SECTIONS[key] = Section(key, title, url_name, icon, order)


def sections() -> list[dict]:
    """The portal's navigation: each registered section with its URL, in order."""
    links = []
    for item in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        links.append({"key": item.key, "title": item.title, "url": url, "icon": item.icon})
    return links
