"""Forms of the standards pages: the period picker and the rule editor (its parameter
fields come from the checker's declared schema)."""

from __future__ import annotations

import decimal

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from dangjian.core.forms import BootstrapMixin, DateInput
from dangjian.orgs.models import Org
from dangjian.standards.models import Rule
from dangjian.standards.params import schema_for
from dangjian.standards.registry import Param


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


def _plain(d: decimal.Decimal) -> str:
    d = d.normalize()
    if d == d.to_integral_value():
        d = d.quantize(decimal.Decimal(1))
    return f"{d:f}"


def to_display(p: Param, value):
    """A stored value as the form shows it (percentages ×100, tables row by row)."""
    if value is None:
        return None
    if p.type == "table":
        cols = p.columns or {}
        return [
            {k: to_display(cols.get(k, Param("str")), v) for k, v in row.items()}
            for row in value
            if isinstance(row, dict)
        ]
    if p.type == "list" and not p.choices:
        return "\n".join(str(v) for v in value)
    if p.unit == "%" and p.type == "decimal":
        return _plain(decimal.Decimal(str(value)) * 100)
    return value


def from_display(p: Param, value):
    """A cleaned form value as stored in ``Rule.params``."""
    if p.type == "decimal":
        d = decimal.Decimal(str(value))
        return _plain(d / 100 if p.unit == "%" else d)
    if p.type == "date":
        return value.isoformat()
    return value


def _label(p: Param, name: str) -> str:
    unit = "" if not p.unit or p.type == "table" else f"（{p.unit}）"
    return f"{p.title or name}{unit}"


class TableWidget(forms.Widget):
    """An editable table: one row per item, one input per column, a 删除 box per row and
    blank rows to add (the form shows two more blank rows after each save)."""

    extra = 2

    def __init__(self, columns: dict[str, Param], attrs=None):
        super().__init__(attrs)
        self.columns = columns

    def value_from_datadict(self, data, files, name):
        try:
            count = min(int(data.get(f"{name}-rows", 0) or 0), 200)
        except ValueError:
            count = 0
        rows = []
        for i in range(count):
            if data.get(f"{name}-{i}-delete"):
                continue
            row = {k: (data.get(f"{name}-{i}-{k}") or "").strip() for k in self.columns}
            if any(row.values()):
                rows.append(row)
        return rows

    def render(self, name, value, attrs=None, renderer=None):
        rows = list(value or []) + [{} for _ in range(self.extra)]
        head = format_html_join(
            "", '<th scope="col">{}</th>', ((_label(c, k),) for k, c in self.columns.items())
        )
        body = []
        for i, row in enumerate(rows):
            cells = format_html_join(
                "",
                '<td><input type="text" inputmode="decimal" class="form-control form-control-sm"'
                ' name="{}-{}-{}" value="{}" aria-label="第{}行 {}"></td>',
                (
                    (name, i, k, "" if row.get(k) is None else row.get(k), i + 1, c.title)
                    for k, c in self.columns.items()
                ),
            )
            body.append(
                format_html(
                    '<tr>{}<td class="text-center"><input type="checkbox"'
                    ' class="form-check-input" name="{}-{}-delete"'
                    ' aria-label="删除第{}行"></td></tr>',
                    cells,
                    name,
                    i,
                    i + 1,
                )
            )
        return format_html(
            '<div class="table-responsive"><table class="table table-sm align-middle mb-1'
            ' dj-param-table" id="id_{}"><thead><tr>{}<th scope="col" class="text-center">'
            "删除</th></tr></thead><tbody>{}</tbody></table></div>"
            '<input type="hidden" name="{}-rows" value="{}">',
            name,
            head,
            mark_safe("".join(body)),  # the rows were built with format_html
            name,
            len(rows),
        )


class TableField(forms.Field):
    def __init__(self, *, columns: dict[str, Param], **kwargs):
        self.columns = columns
        kwargs.setdefault("widget", TableWidget(columns))
        super().__init__(**kwargs)

    def clean(self, value):
        rows = value or []
        if self.required and not rows:
            raise forms.ValidationError("至少填写一行")
        out, errors = [], []
        for n, row in enumerate(rows, start=1):
            item = {}
            for key, p in self.columns.items():
                text = row.get(key, "")
                if text == "":
                    if p.required:
                        errors.append(f"第{n}行：{p.title}不能为空")
                    continue
                try:
                    if p.type == "int":
                        item[key] = int(text)
                    elif p.type == "decimal":
                        number = decimal.Decimal(text)
                        low = None if p.min is None else decimal.Decimal(str(p.min))
                        high = None if p.max is None else decimal.Decimal(str(p.max))
                        stored = decimal.Decimal(from_display(p, number))
                        if (low is not None and stored < low) or (
                            high is not None and stored > high
                        ):
                            errors.append(f"第{n}行：{p.title}超出范围")
                            continue
                        item[key] = from_display(p, number)
                    else:
                        item[key] = text
                except (ValueError, decimal.InvalidOperation):
                    errors.append(f"第{n}行：{p.title}应为数字")
            out.append(item)
        if errors:
            raise forms.ValidationError(errors)
        return out


def _field_for(name: str, p: Param) -> forms.Field:
    label = _label(p, name)
    hint = []
    if p.min is not None and p.max is not None:
        hint.append(f"{p.min:g}–{p.max:g}{p.unit if p.unit != '%' else ''}")
    common = {
        "label": label,
        "required": p.required and p.default is None,
        "help_text": "；".join(hint),
    }
    if p.type == "int":
        return forms.IntegerField(
            min_value=None if p.min is None else int(p.min),
            max_value=None if p.max is None else int(p.max),
            **common,
        )
    if p.type == "decimal":
        return forms.DecimalField(**common)
    if p.type == "bool":
        return forms.BooleanField(label=label, required=False, help_text=common["help_text"])
    if p.type == "choice":
        choices = [(c, p.choice_label(c)) for c in (p.choices or ())]
        if not common["required"]:
            choices = [("", "—"), *choices]
        return forms.ChoiceField(choices=choices, **common)
    if p.type == "date":
        return forms.DateField(widget=DateInput(), **common)
    if p.type == "list" and p.choices:
        return forms.MultipleChoiceField(
            choices=[(c, p.choice_label(c)) for c in p.choices],
            widget=forms.CheckboxSelectMultiple(attrs={"class": "dj-param-checks"}),
            **{**common, "required": False},
        )
    if p.type == "list":
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}),
            **{**common, "help_text": "每行一项"},
        )
    if p.type == "table":
        return TableField(columns=p.columns or {}, **common)
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
        # Every rule gets labelled fields: from its checker's schema, or (rules read
        # directly by modules) from the parameter vocabulary.
        self.schema = schema_for(rule)
        params = rule.params or {}
        for name, p in self.schema.items():
            initial[f"p_{name}"] = to_display(p, params.get(name, p.default))
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for name, p in self.schema.items():
            self.fields[f"p_{name}"] = _field_for(name, p)
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
        for name, p in self.schema.items():
            value = data.get(f"p_{name}")
            if value in ("", None) and p.type not in ("list", "table", "bool"):
                continue
            if p.type == "list" and not p.choices:
                value = [line.strip() for line in (value or "").splitlines() if line.strip()]
            elif p.type == "list":
                value = list(value or [])
            elif p.type == "table":
                value = value or []
            params[name] = from_display(p, value)
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
