"""Reads of the standards library used by every app: which rule version is in force."""

from __future__ import annotations

import datetime as dt

from dangjian.core.errors import DomainError
from dangjian.standards.models import Rule


def rule_in_force(code: str, on: dt.date | None = None) -> Rule:
    """The version of rule ``code`` in force on ``on`` (today by default).

    Raises DomainError when the library has no such rule in force (load it with
    ``dangjian standards load``)."""
    on = on or dt.date.today()
    rule = (
        Rule.objects.select_related("standard")
        .in_force(on)
        .filter(code=code, enabled=True)
        .order_by("-version")
        .first()
    )
    if rule is None:
        raise DomainError(f"标准库中没有 {on} 生效的规则 {code}，请先加载或启用该规则", rule=code)
    return rule


def rule_versions(code: str) -> list[Rule]:
    return list(Rule.objects.filter(code=code).order_by("version"))
