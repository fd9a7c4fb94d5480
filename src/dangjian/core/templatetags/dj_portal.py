from django import template

from dangjian.core.portal import sections

register = template.Library()


@register.simple_tag
def portal_sections() -> list[dict]:
    """The public portal's navigation (``core.portal``)."""
    return sections()
