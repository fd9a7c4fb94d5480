"""The filters every page formats numbers with (a builtin: no ``{% load %}`` needed).

``{{ amount|money }}`` -> ``30,803.22``; ``{{ 95.5|percent }}`` -> ``95.5%``;
``{{ rate|percent:"fraction" }}`` (0.015) -> ``1.5%``. A missing value shows ``—``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()

MISSING = "—"


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def money(value) -> str:
    """An amount of money with thousands separators and exactly two decimals."""
    number = _decimal(value)
    if number is None:
        return MISSING
    return f"{number.quantize(Decimal('0.01')):,.2f}"


@register.filter
def percent(value, unit: str = "") -> str:
    """A rate: by default the value is already in hundreds (95.5); ``"fraction"`` for 0.955.

    At most one decimal, trailing zeros dropped (``100%``, ``95.5%``, ``1.5%``)."""
    number = _decimal(value)
    if number is None:
        return MISSING
    if unit == "fraction":
        number *= 100
    number = number.quantize(Decimal("0.1"))
    text = f"{number:f}".rstrip("0").rstrip(".") if "." in f"{number:f}" else f"{number:f}"
    return f"{text}%"
