"""Forms of the dues pages. They only gather input; the services validate the rules."""

from __future__ import annotations

import datetime as dt

from django import forms

from dangjian.core.errors import DomainError
from dangjian.core.forms import BootstrapMixin, DateInput
from dangjian.dues.models import Category, DuesPayment, DuesProfile
from dangjian.dues.rates import month_label, parse_month


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.CharField):
    """A month as ``YYYY-MM`` (the browser's month picker), cleaned to its first day."""

    widget = MonthInput

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_month(value)
        except DomainError as exc:
            raise forms.ValidationError(exc.message)

    def prepare_value(self, value):
        return month_label(value) if isinstance(value, dt.date) else value


class SheetFilterForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(queryset=None, required=False, label="党组织", empty_label=None)
    month = MonthField(required=False, label="月份")

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class PaymentForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        choices=DuesPayment.Kind.choices, initial=DuesPayment.Kind.REGULAR, label="类型"
    )
    months = forms.MultipleChoiceField(
        required=False,
        label="所交月份",
        widget=forms.CheckboxSelectMultiple,
        help_text="可一次交纳多个月（经支部同意按季度交纳，或补交）",
    )
    paid_on = forms.DateField(label="交纳日期", widget=DateInput())
    method = forms.ChoiceField(choices=DuesPayment.Method.choices, label="交纳方式")
    amount = forms.CharField(
        required=False,
        label="金额（元）",
        help_text="按月交纳时可不填（按应交自动计算）；自愿多交时必填",
    )
    reference = forms.CharField(required=False, max_length=100, label="转账/线上流水号")
    receipt_no = forms.CharField(required=False, max_length=50, label="收据号")
    proxy_payer = forms.CharField(required=False, max_length=50, label="代交人（委托他人代交时）")
    proxy_consent = forms.BooleanField(required=False, label="已经党支部同意代交")
    note = forms.CharField(required=False, max_length=200, label="备注")

    def __init__(self, *args, month_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"].choices = month_choices
        self.fields["months"].widget.attrs["class"] = "form-check-input"


class ProfileForm(BootstrapMixin, forms.Form):
    category = forms.ChoiceField(choices=Category.choices, label="党员类别")
    effective_month = MonthField(label="起始月份")
    base_source = forms.ChoiceField(
        choices=DuesProfile.BaseSource.choices,
        initial=DuesProfile.BaseSource.DIRECT,
        label="基数来源",
        widget=forms.RadioSelect,
    )
    base = forms.CharField(
        required=False,
        label="交纳基数（元/月）",
        help_text="直接填写时：在职党员为税后工资收入，离退休党员为基本退休费",
    )
    income_tax = forms.CharField(required=False, label="个人所得税（元/月）")
    farmer_amount = forms.CharField(required=False, label="农民党员月交额（元）")
    adjustment = forms.ChoiceField(
        choices=DuesProfile.Adjustment.choices, initial="none", label="少交/免交"
    )
    adjusted_amount = forms.CharField(required=False, label="核准月交额（少交时）")
    branch_decided_on = forms.DateField(required=False, label="支部研究日期", widget=DateInput())
    approved_on = forms.DateField(required=False, label="上级党委批准日期", widget=DateInput())
    approval_ref = forms.CharField(required=False, max_length=200, label="批准文件/记录")
    note = forms.CharField(required=False, max_length=200, label="备注")

    def __init__(self, *args, included: list[str], excluded: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.included, self.excluded = included, excluded
        self.fields["base_source"].widget.attrs["class"] = "form-check-input"
        for i, name in enumerate(included):
            self.fields[f"inc_{i}"] = forms.CharField(
                required=False, label=f"{name}（计入）", widget=forms.TextInput()
            )
        for i, name in enumerate(excluded):
            self.fields[f"exc_{i}"] = forms.CharField(
                required=False, label=f"{name}（不计入）", widget=forms.TextInput()
            )
        for name, field in self.fields.items():
            if name.startswith(("inc_", "exc_")):
                field.widget.attrs["class"] = "form-control"

    def components(self) -> list[dict]:
        data = self.cleaned_data
        items = []
        for prefix, names in (("inc", self.included), ("exc", self.excluded)):
            for i, name in enumerate(names):
                value = (data.get(f"{prefix}_{i}") or "").strip()
                if value:
                    items.append({"name": name, "amount": value})
        return items

    def component_fields(self):
        return [self[name] for name in self.fields if name.startswith(("inc_", "exc_"))]

    def main_fields(self):
        return [self[name] for name in self.fields if not name.startswith(("inc_", "exc_"))]


class VoidForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(max_length=200, label="作废原因")


class DisclosureForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="党支部")
    year = forms.IntegerField(label="年度", min_value=2000)
    usage = forms.CharField(
        label="党费使用情况",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="例如：按规定全额上缴上级党委；下拨经费用于党员教育培训……",
    )

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
