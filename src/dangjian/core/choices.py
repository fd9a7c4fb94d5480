"""Naming the allowed values of a choice in a message: the label a person reads first, the
value an API client sends after it ("现金（cash）、银行转账（transfer）")."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from django.apps import apps


def choices_text(choices: Iterable[tuple[object, object]]) -> str:
    """``TextChoices.choices`` (or any (value, label) pairs) as "标签（value）、…"; a value
    without a label of its own is named once."""
    return "、".join(
        f"{label}（{value}）" if str(label) != str(value) else str(value)
        for value, label in choices
    )


@lru_cache(maxsize=1)
def _model_choices() -> dict[frozenset[str], tuple[tuple[str, str], ...]]:
    """The choices of every model field, by the set of their values."""
    known: dict[frozenset[str], tuple[tuple[str, str], ...]] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            pairs = tuple((str(v), str(label)) for v, label in getattr(field, "flatchoices", ()))
            if pairs:
                known.setdefault(frozenset(v for v, _ in pairs), pairs)
    return known


def labelled(values: Iterable[str]) -> str:
    """The values of a schema's enum or literal, each with its label when a model field's
    choices hold them all (exactly these first); the bare values otherwise."""
    values = [str(v) for v in values]
    wanted = frozenset(values)
    known = _model_choices()
    pairs = known.get(wanted) or next((p for vs, p in known.items() if wanted <= vs), None)
    if pairs is None:
        return "、".join(values)
    labels = dict(pairs)
    return choices_text((v, labels[v]) for v in values)
