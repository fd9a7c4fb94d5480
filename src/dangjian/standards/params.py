"""Rule parameters in words: the schema of a rule's params and their display.

A rule with a registered checker takes its schema from the checker's ``Param``s (declared
in each app's ``rules.py``). A rule that modules read directly (no checker: dues rates,
votes, development steps) takes it from ``PARAMS``, keyed by parameter name, which each app
fills from its ``rules.py`` (``register_params``); a parameter missing from both is
described from its value.
"""

from __future__ import annotations

import dataclasses
import decimal
import re
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from dangjian.standards.registry import CHECKERS, Param

PARAMS: dict[str, Param] = {}


def register_params(**params: Param) -> None:
    """An app names the parameters of its rules that modules read directly (no checker: dues
    rates, votes, development steps), next to its checkers in its ``rules.py``. A name may be
    registered twice only with the same description."""
    for name, p in params.items():
        if PARAMS.get(name, p) != p:
            raise ImproperlyConfigured(f"Rule parameter {name!r} is described twice, differently")
        PARAMS[name] = p


def _inferred(value: Any) -> Param:
    """A schema for a value nobody declared (its name is shown as the label)."""
    if isinstance(value, bool):
        return Param("bool")
    if isinstance(value, int):
        return Param("int")
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            keys: dict[str, Param] = {}
            for row in value:
                for k in row:
                    keys.setdefault(k, Param("str", required=False, label=k))
            return Param("table", columns=keys)
        return Param("list")
    return Param("str")


def schema_for(rule) -> dict[str, Param]:
    """The parameters of ``rule`` with their labels, in display order."""
    spec = CHECKERS.get(rule.checker or "")
    if spec is not None:
        return dict(spec.params)
    params = rule.params or {}
    out = {}
    for key, value in params.items():
        p = PARAMS.get(key) or _inferred(value)
        out[key] = p if p.title else dataclasses.replace(p, label=key)
    return out


def number(value: Any, unit: str = "") -> str:
    """A number in words: percentages from fractions, no trailing zeros, thousands
    separators for amounts."""
    try:
        d = decimal.Decimal(str(value))
    except (decimal.InvalidOperation, ValueError):
        return f"{value}{unit}"
    if unit == "%":
        d *= 100
    d = d.normalize()
    if d == d.to_integral_value():
        d = d.quantize(decimal.Decimal(1))
    text = f"{d:,f}" if unit == "元" else f"{d:f}"
    if unit == "元" and "." in text and len(text.split(".")[1]) == 1:
        text += "0"
    return f"{text}{unit}" if unit in ("%", "元") or not unit else f"{text} {unit}"


def value_text(p: Param, value: Any) -> str:
    """One parameter value in words (tables: see ``table_rows``)."""
    if value is None or value == "":
        return "—（未设置）" if p.type != "table" else "—"
    if p.type == "bool" or isinstance(value, bool):
        return "是" if value else "否"
    if p.type == "choice":
        return p.choice_label(value)
    if p.type == "list" and isinstance(value, list):
        return "、".join(p.choice_label(v) for v in value) or "（无）"
    if p.type == "table" and isinstance(value, list):
        return "；".join(" ".join(cells) for cells in table_rows(p, value)[1]) or "（无）"
    if p.type in ("int", "decimal"):
        return number(value, p.unit)
    return f"{value}{' ' + p.unit if p.unit else ''}"


def table_rows(p: Param, value: Any) -> tuple[list[str], list[list[str]]]:
    columns = p.columns or {}
    headers = [c.title + (f"（{c.unit}）" if c.unit else "") for c in columns.values()]
    rows = []
    for row in value or []:
        if isinstance(row, dict):
            rows.append(
                [
                    value_text(c, row.get(k)) if row.get(k) not in (None, "") else "—"
                    for k, c in columns.items()
                ]
            )
    return headers, rows


def param_items(rule) -> list[dict]:
    """``[{"label", "text", "table": (headers, rows) or None}]`` for a rule's params."""
    params = rule.params or {}
    out = []
    for key, p in schema_for(rule).items():
        if key not in params and p.default is None:
            continue
        value = params.get(key, p.default)
        item = {"name": key, "label": p.title, "text": value_text(p, value), "table": None}
        if p.type == "table":
            item["table"] = table_rows(p, value)
        out.append(item)
    return out


def params_summary(rule) -> str:
    """All params on one line, for the version history."""
    return "；".join(f"{i['label']}：{i['text']}" for i in param_items(rule)) or "无参数"


def finding_value(value: Any, unit: str = "") -> str:
    """``Finding.expected`` / ``actual`` in words."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | decimal.Decimal):
        return number(value, unit)
    if isinstance(value, list | tuple | set):
        return "、".join(finding_value(v, unit) for v in value) or "—"
    if isinstance(value, dict):
        return "，".join(f"{k} {finding_value(v, unit)}" for k, v in value.items())
    return str(value)


PROCEDURES: dict[str, str] = {}


def register_procedures(names: dict[str, str]) -> None:
    """The app that runs procedures (一件事) names them by code, for rules that apply to a
    procedure's step (``applies_to = {procedure, step}``)."""
    PROCEDURES.update(names)


def applies_text(applies: dict | None) -> str:
    """``Rule.applies_to`` in words."""
    from dangjian.orgs.models import Org

    applies = applies or {}
    parts = []
    if applies.get("kinds"):
        labels = dict(Org.Kind.choices)
        parts.append("、".join(str(labels.get(k, k)) for k in applies["kinds"]))
    if applies.get("min_full_members") is not None:
        parts.append(f"直属正式党员不少于 {applies['min_full_members']} 人")
    if applies.get("max_full_members") is not None:
        parts.append(f"直属正式党员不多于 {applies['max_full_members']} 人")
    if applies.get("procedure"):
        name = PROCEDURES.get(applies["procedure"], "一件事")
        step = applies.get("step")
        parts.append(f"“{name}”流程" + (f"第 {step} 步" if step else ""))
    return "，".join(parts) or "全部党组织"


def label_findings(findings) -> list:
    """Set ``expected_text`` / ``actual_text`` on findings: numbers with the unit of their
    checker's ``min`` parameter ("至少 1 次" / "0 次"). One query (rule code → checker)."""
    from dangjian.standards.models import Rule

    findings = list(findings)
    codes = {f.rule_code for f in findings}
    checker_of = dict(Rule.objects.filter(code__in=codes).values_list("code", "checker").distinct())
    for f in findings:
        spec = CHECKERS.get(checker_of.get(f.rule_code) or "")
        low = spec.params.get("min") if spec else None
        unit = low.unit if low else ""
        expected = finding_value(f.expected, unit)
        if low is not None and isinstance(f.expected, int | float | decimal.Decimal):
            expected = f"至少 {expected}"
        f.expected_text = expected
        f.actual_text = finding_value(f.actual, unit)
    return findings


_SHORT_CUT_WORDS = ("一般", "应当", "每届", "每年", "每月", "每季度", "至少", "不少于", "不超过")


def _shorten(title: str, limit: int = 8) -> str:
    head = re.split("[：，；（、]", title)[0]
    cuts = [head.find(w) for w in _SHORT_CUT_WORDS if head.find(w) >= 2]
    if cuts:
        head = head[: min(cuts)]
    return head if len(head) <= limit else head[: limit - 1] + "…"


def short_titles(codes, titles: dict[str, str]) -> dict[str, str]:
    """A short title per rule code for column headers (the code goes in a tooltip): the
    Chinese label of the rule's ``kind`` parameter (meeting rules: "主题党日"), else its
    checker's title when only one column uses that checker, else the rule title cut at
    its first qualifier. One query."""
    from dangjian.standards.models import Rule

    latest: dict[str, Rule] = {}
    for rule in Rule.objects.filter(code__in=list(codes)).order_by("code", "-version"):
        latest.setdefault(rule.code, rule)
    checker_uses: dict[str, int] = {}
    for rule in latest.values():
        checker_uses[rule.checker] = checker_uses.get(rule.checker, 0) + 1
    out = {}
    for code in codes:
        rule = latest.get(code)
        spec = CHECKERS.get(rule.checker) if rule else None
        short = ""
        if spec and "kind" in spec.params and (rule.params or {}).get("kind"):
            short = spec.params["kind"].choice_label(rule.params["kind"])
        if not short and spec and checker_uses.get(rule.checker) == 1:
            head = _shorten(spec.title, limit=10)
            short = head if not head.endswith("…") else ""
        out[code] = short or _shorten(titles.get(code) or (rule.title if rule else code))
    return out
