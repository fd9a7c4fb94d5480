"""``{% load standards_tags %}{% open_findings_panel org %}``: the org's open compliance
findings (worst first), for the org page / branch home. One evaluation, set-based."""

from django import template

from dangjian.standards.engine import STATUS_CSS, STATUS_LABELS

register = template.Library()


@register.inclusion_tag("standards/_open_findings.html", takes_context=True)
def open_findings_panel(context, org, limit: int = 8):
    from dangjian.standards.selectors import open_findings

    request = context.get("request")
    user = getattr(request, "user", None)
    findings = open_findings(user, org) if user is not None else []
    return {"org": org, "findings": findings[:limit], "more": max(0, len(findings) - limit)}


@register.filter
def status_label(value: str) -> str:
    return STATUS_LABELS.get(value, value)


@register.filter
def status_css(value: str) -> str:
    return STATUS_CSS.get(value, "secondary")


@register.filter
def percent(value) -> str:
    """A rate as a percentage with one decimal, no trailing ".0": 93.8%, 100%."""
    if value is None:
        return "—"
    text = f"{value * 100:.1f}"
    return f"{text.removesuffix('.0')}%"


@register.filter
def heat(rate) -> str:
    """Background colour of a heat-map cell by rate."""
    if rate is None:
        return "#eef0f3"
    if rate >= 1:
        return "#cfead6"
    if rate >= 0.8:
        return "#e6f3c7"
    if rate >= 0.5:
        return "#fbe7b5"
    if rate >= 0.25:
        return "#f8c9a6"
    return "#f2a3a3"


@register.simple_tag
def rule_params(rule) -> list[dict]:
    """``{% rule_params rule as items %}``: each parameter with its label and value in
    words (tables as headers + rows)."""
    from dangjian.standards.params import param_items

    return param_items(rule)


@register.filter
def params_in_words(rule) -> str:
    from dangjian.standards.params import params_summary

    return params_summary(rule)


@register.filter
def in_words(value, unit: str = "") -> str:
    """A finding's expected/actual value in words (never a Python literal)."""
    from dangjian.standards.params import finding_value

    return finding_value(value, unit)
