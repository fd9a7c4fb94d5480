"""Forms of the standards pages: the period picker and the rule editor (its parameter
fields come from the checker's declared schema)."""

from __future__ import annotations

import json

from django import forms

from dangjian.core.forms import BootstrapMixin, DateInput
from dangjian.orgs.models import Org
from dangjian.standards.models import Rule
from dangjian.standards.registry import CHECKERS, Param


class PeriodForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=1900, max_value=2999, required=False)
    quarter = forms.TypedChoiceField(
        label="季度",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "全年"), *[(q, f"第{q}季度") for q in range(1, 5)]],
    )
    month = forms.TypedChoiceField(
        label="月份",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *[(m, f"{m}月") for m in range(1, 13)]],
    )

    def clean(self):
        data = super().clean()
        if data.get("quarter") and data.get("month"):
            raise forms.ValidationError("季度和月份只能选择其一")
        return data


def _field_for(name: str, p: Param) -> forms.Field:
    label = f"{p.help or name}（{name}）"
    common = {"label": label, "required": p.required and p.default is None}
    if p.type == "int":
        return forms.IntegerField(
            min_value=None if p.min is None else int(p.min),
            max_value=None if p.max is None else int(p.max),
            **common,
        )
    if p.type == "decimal":
        return forms.DecimalField(**common)
    if p.type == "bool":
        return forms.BooleanField(label=label, required=False)
    if p.type == "choice":
        choices = [(c, c) for c in (p.choices or ())]
        if not common["required"]:
            choices = [("", "—"), *choices]
        return forms.ChoiceField(choices=choices, **common)
    if p.type == "date":
        return forms.DateField(widget=DateInput(), **common)
    if p.type in ("list", "table"):
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 3}), help_text="JSON 列表", **common
        )
    return forms.CharField(**common)


class RuleEditForm(BootstrapMixin, forms.Form):
    """Editing makes a new version from ``effective_from``; the old one stays."""

    effective_from = forms.DateField(label="新版本生效日期", widget=DateInput())
    change_reason = forms.CharField(label="修改原因/依据", max_length=200)
    title = forms.CharField(label="规则名称", max_length=200)
    severity = forms.ChoiceField(label="严重程度", choices=Rule.Severity.choices)
    enabled = forms.BooleanField(label="启用自动检查", required=False)
    kinds = forms.MultipleChoiceField(
        label="适用组织类型", choices=Org.Kind.choices, required=False
    )
    min_full_members = forms.IntegerField(
        label="适用条件：正式党员不少于", min_value=0, required=False
    )

    def __init__(self, *args, rule: Rule, **kwargs):
        applies = rule.applies_to or {}
        initial = {
            "title": rule.title,
            "severity": rule.severity,
            "enabled": rule.enabled,
            "kinds": applies.get("kinds", []),
            "min_full_members": applies.get("min_full_members"),
        }
        self.rule = rule
        self.spec = CHECKERS.get(rule.checker)
        params = rule.params or {}
        if self.spec:
            for name in self.spec.params:
                value = params.get(name)
                if isinstance(value, list | dict):
                    value = json.dumps(value, ensure_ascii=False)
                initial[f"p_{name}"] = value
        else:
            initial["params_json"] = json.dumps(params, ensure_ascii=False, indent=1)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if self.spec:
            for name, p in self.spec.params.items():
                self.fields[f"p_{name}"] = _field_for(name, p)
        else:
            self.fields["params_json"] = forms.CharField(
                label="参数（JSON）", widget=forms.Textarea(attrs={"rows": 6}), required=False
            )
        # BootstrapMixin styled the static fields; style the parameter fields too.
        for field in self.fields.values():
            widget = field.widget
            if "class" not in widget.attrs:
                css = (
                    "form-check-input"
                    if isinstance(widget, forms.CheckboxInput)
                    else "form-select"
                    if isinstance(widget, forms.Select)
                    else "form-control"
                )
                widget.attrs["class"] = css

    def clean(self):
        data = super().clean()
        params = {}
        if self.spec:
            for name, p in self.spec.params.items():
                value = data.get(f"p_{name}")
                if value in ("", None):
                    continue
                if p.type in ("list", "table"):
                    try:
                        value = json.loads(value)
                    except ValueError:
                        self.add_error(f"p_{name}", "JSON 格式错误")
                        continue
                if p.type == "decimal":
                    value = str(value)
                if p.type == "date":
                    value = value.isoformat()
                params[name] = value
        else:
            text = (data.get("params_json") or "").strip() or "{}"
            try:
                params = json.loads(text)
            except ValueError:
                self.add_error("params_json", "JSON 格式错误")
            if not isinstance(params, dict):
                self.add_error("params_json", "参数应为 JSON 对象")
        applies = {
            k: v
            for k, v in (self.rule.applies_to or {}).items()
            if k not in ("kinds", "min_full_members")
        }
        if data.get("kinds"):
            applies["kinds"] = list(data["kinds"])
        if data.get("min_full_members") is not None:
            applies["min_full_members"] = data["min_full_members"]
        data["params"] = params
        data["applies_to"] = applies
        return data
