"""Forms of the scheme designer and of scoring; choice lists from the gate."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from dangjian.assessment.schemes.models import Indicator, Scheme
from dangjian.core import metrics
from dangjian.core.forms import BootstrapMixin, DateInput
from dangjian.orgs.models import Org


class SchemeForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(
        queryset=None,
        label="考核组织",
        error_messages={"invalid_choice": "所选党组织不在您的管理范围内，请重新选择"},
    )
    title = forms.CharField(max_length=200, label="方案名称")
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100)
    target_kind = forms.ChoiceField(choices=Scheme.TargetKind.choices, label="考核对象")
    description = forms.CharField(
        required=False, label="说明", widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = (
            Org.objects.manageable_by(user).active().exclude(kind=Org.Kind.GROUP)
        )
        self.fields["year"].initial = timezone.localdate().year


class IndicatorForm(BootstrapMixin, forms.Form):
    code = forms.CharField(max_length=20, label="编号", help_text="如 A1、A1.1")
    title = forms.CharField(max_length=200, label="指标")
    method = forms.ChoiceField(choices=Indicator.Method.choices, label="评分方式")
    metric = forms.ChoiceField(
        required=False, label="平台指标（自动、问卷指标）", choices=[("", "—")]
    )
    max_score = forms.DecimalField(label="满分", min_value=0.01, max_value=10000, decimal_places=2)
    weight = forms.DecimalField(
        label="权重", initial=1, min_value=0.01, max_value=100, decimal_places=2
    )
    criteria = forms.CharField(
        required=False,
        label="评分标准",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="评分、核验材料和扣分项按此评分；佐证材料可选，不要求照片",
    )
    scoring_org = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="评分组织",
        empty_label="考核组织本身",
        error_messages={"invalid_choice": "所选党组织不在您的管理范围内，请重新选择"},
    )
    parent = forms.ChoiceField(required=False, label="上级指标", choices=[("", "—（一级指标）")])

    def __init__(self, *args, user, scheme: Scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "—"), *metrics.choices()]
        self.fields["scoring_org"].queryset = (
            Org.objects.visible_to(user).active().exclude(kind=Org.Kind.GROUP)
        )
        self.fields["parent"].choices = [
            ("", "—（一级指标）"),
            *[(i.code, f"{i.code} {i.title}") for i in scheme.indicators.order_by("sort", "id")],
        ]


class ScoreForm(BootstrapMixin, forms.Form):
    score = forms.DecimalField(label="得分", min_value=0, max_value=10000, decimal_places=2)
    comment = forms.CharField(
        required=False, label="评分说明", widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.CharField(
        required=False,
        label="佐证（可选）",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="可写明依据的记录或文件；不要求拍照留痕",
    )


class PublishForm(BootstrapMixin, forms.Form):
    effective_from = forms.DateField(required=False, label="生效日期", widget=DateInput())
