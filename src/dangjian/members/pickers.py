"""The member picker: one text box that finds members by name, full pinyin, pinyin initials
("zs") or the tail of the ID number (``selectors.search_q``), with suggestions loaded by
HTMX from ``members:pick``.

A form field names a **source**: a registered function ``(user, params) -> QuerySet[Member]``
that gives the candidates, always through the gate. The form uses the same source for the
field's queryset (what it accepts) as the endpoint uses for the suggestions (what it offers),
so the two cannot drift apart. Apps register their sources from a module imported in their
``AppConfig.ready()`` (development: ``development/pickers.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from dangjian.members.models import Member
from dangjian.members.selectors import search_q
from dangjian.orgs.models import Org

# Suggestions shown at a time: enough to pick from, short enough for a phone screen.
PICK_LIMIT = 12

NOT_OFFERED = "所选党员不在可选范围内，请重新选择"

Source = Callable[[object, Mapping[str, str]], QuerySet[Member]]
_SOURCES: dict[str, Source] = {}


def source(name: str):
    """Register a candidate set under ``name`` (decorator)."""

    def register(fn: Source) -> Source:
        _SOURCES[name] = fn
        return fn

    return register


def candidates(name: str, *, user, params: Mapping[str, str]) -> QuerySet[Member]:
    """The members source ``name`` offers to ``user`` (404 for an unknown source)."""
    try:
        fn = _SOURCES[name]
    except KeyError:
        raise Http404("对象不存在或无权访问")
    return fn(user, params).select_related("org")


def suggestions(name: str, *, user, params: Mapping[str, str], q: str) -> list[Member]:
    qs = candidates(name, user=user, params=params).filter(search_q(q))
    return list(qs.order_by("name_pinyin", "pk")[:PICK_LIMIT])


def manageable_org(user, pk) -> Org | None:
    """The org ``pk`` if the user manages it, else None (a bad id chooses nothing)."""
    if not str(pk or "").isdigit():
        return None
    return Org.objects.manageable_by(user).filter(pk=pk).first()


@source("reach")
def _reach(user, params):
    """Members on the rolls anywhere in the user's reach."""
    return Member.objects.manageable_by(user).on_rolls()


@source("org")
def _org(user, params):
    """Members on the rolls in the subtree of the chosen org (``org``); none until chosen."""
    org = manageable_org(user, params.get("org"))
    if org is None:
        return Member.objects.none()
    return Member.objects.manageable_by(user).on_rolls().in_subtree(org)


@source("org_party")
def _org_party(user, params):
    """Party members (full and probationary) on the rolls in the chosen org's subtree: who
    can host, record or lecture at its meetings."""
    return _org(user, params).party_members()


class MemberPicker(forms.Widget):
    """A search box, the chosen members (checked inputs) and the suggestions under it.

    ``include`` names other inputs whose values go with each search (a CSS selector, e.g.
    ``#id_org``); a change of those refreshes the suggestions.
    """

    template_name = "members/widgets/picker.html"

    def __init__(self, *, source: str, params=None, include: str = "", multiple=False):
        super().__init__()
        self.source, self.params, self.include = source, dict(params or {}), include
        self.allow_multiple_selected = multiple
        self.choices = []

    def use_required_attribute(self, initial) -> bool:
        # The search box stays empty once a member is chosen: the browser must not demand it.
        return False

    def value_from_datadict(self, data, files, name):
        if self.allow_multiple_selected:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def format_value(self, value) -> list[str]:
        if value in (None, ""):
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(getattr(v, "pk", v)) for v in values if v not in (None, "")]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        ids = [v for v in context["widget"]["value"] if v.isdigit()]
        queryset = getattr(self.choices, "queryset", None)
        chosen = list(queryset.filter(pk__in=ids)) if ids and queryset is not None else []
        query = {"source": self.source, "field": name, **self.params}
        if self.allow_multiple_selected:
            query["multiple"] = "1"
        trigger = "input changed delay:250ms, search, focus once"
        if self.include:
            trigger += f", change from:{self.include}"
        context["picker"] = {
            "chosen": chosen,
            "url": f"{reverse('members:pick')}?{urlencode(query)}",
            "include": self.include,
            "trigger": trigger,
            "type": "checkbox" if self.allow_multiple_selected else "radio",
        }
        return context


class MemberPickField(forms.ModelChoiceField):
    """One member, chosen with the picker from ``source``'s candidates."""

    def __init__(self, *, source: str, user, params=None, include: str = "", **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": NOT_OFFERED})
        super().__init__(
            queryset=candidates(source, user=user, params=params or {}),
            widget=MemberPicker(source=source, params=params, include=include),
            **kwargs,
        )


class MemberPickMultiField(forms.ModelMultipleChoiceField):
    """Several members (introducers, contacts, candidates), chosen with the picker."""

    def __init__(self, *, source: str, user, params=None, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": NOT_OFFERED})
        super().__init__(
            queryset=candidates(source, user=user, params=params or {}),
            widget=MemberPicker(source=source, params=params, multiple=True),
            **kwargs,
        )
