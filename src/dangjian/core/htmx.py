"""One helper decides between a full page and an HTMX fragment."""

from django.shortcuts import render as django_render


def render(request, template: str, context: dict, *, partial: str | None = None, status=200):
    """Render ``template``; for an HTMX request with ``partial``, only ``template#partial``."""
    if partial and getattr(request, "htmx", False) and not request.htmx.boosted:
        template = f"{template}#{partial}"
    return django_render(request, template, context, status=status)
