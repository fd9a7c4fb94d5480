"""``{% link 'members:me' %}``: the URL of a page without arguments, reversed once per
process (``core.links``); a builtin, like ``dj_format``. ``{% url %}`` stays for URLs with
arguments and for ``as`` variables."""

from django import template

from dangjian.core.links import link as cached_link

register = template.Library()


@register.simple_tag(name="link")
def link(name: str) -> str:
    return cached_link(name)
