"""Forms of the opinion pages. They gather input; the services hold the rules. Org choices
come from the gate (``org_tree().choices``)."""

from __future__ import annotations

import re

from django import forms

from dangjian.core.forms import BootstrapMixin
from dangjian.core.scope import org_tree
from dangjian.opinion.models import Level, OpinionCase, OpinionItem, Sentiment

SPLIT = re.compile(r"[\s,，、;；]+")


def words_of(text: str) -> list[str]:
    return [w for w in SPLIT.split(text or "") if w]


def synonyms_of(text: str) -> dict[str, list[str]]:
    """Lines "预算=预决算、财政预算" → {"预算": ["预决算", "财政预算"]}."""
    out = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        word, _, rest = line.partition("=") if "=" in line else line.partition("＝")
        if word.strip():
            out[word.strip()] = words_of(rest)
    return out


class _OrgForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)


class ItemFilterForm(_OrgForm):
    q = forms.CharField(label="关键词", required=False, max_length=100)
    org = forms.ModelChoiceField(
        queryset=None, label="组织", required=False, empty_label="全部组织"
    )
    matched = forms.ChoiceField(
        label="命中",
        required=False,
        choices=[("", "全部信息"), ("1", "命中关注词"), ("0", "未命中")],
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *OpinionItem.Status.choices]
    )
    sentiment = forms.ChoiceField(
        label="情感倾向", required=False, choices=[("", "全部倾向"), *Sentiment.choices]
    )
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[("new", "最新发布"), ("old", "最早发布"), ("negative", "偏负面优先")],
    )


class CaseFilterForm(_OrgForm):
    q = forms.CharField(label="关键词", required=False, max_length=100)
    org = forms.ModelChoiceField(
        queryset=None, label="组织", required=False, empty_label="全部组织"
    )
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部状态"), *OpinionCase.Status.choices, ("late", "已逾期")],
    )
    level = forms.ChoiceField(
        label="等级", required=False, choices=[("", "全部等级"), *Level.choices]
    )
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[("due", "回应时限"), ("new", "最新立案"), ("level", "等级从高到低")],
    )


class ItemForm(_OrgForm):
    org = forms.ModelChoiceField(queryset=None, label="所属党组织")
    channel = forms.CharField(
        label="渠道", max_length=100, help_text="在哪里看到的：12345 热线、信访、群众来信、微信群……"
    )
    title = forms.CharField(label="标题", max_length=500)
    summary = forms.CharField(
        label="内容摘要", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    url = forms.CharField(label="原文链接", required=False, max_length=1000)


class CaseForm(BootstrapMixin, forms.Form):
    level = forms.ChoiceField(
        label="等级",
        choices=Level.choices,
        help_text="回应时限按等级计算；较大、重大舆情同时报告上级党组织",
    )
    analysis = forms.CharField(label="研判分析", widget=forms.Textarea(attrs={"rows": 4}))
    response_plan = forms.CharField(
        label="应对方案", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    responder = forms.CharField(label="回应责任人", required=False, max_length=100)


class AnswerForm(BootstrapMixin, forms.Form):
    answer = forms.CharField(
        label="回应情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="何时、通过什么渠道、作出了什么回应",
    )


class CloseForm(BootstrapMixin, forms.Form):
    closure = forms.CharField(label="办结说明", widget=forms.Textarea(attrs={"rows": 3}))


class SourceForm(_OrgForm):
    org = forms.ModelChoiceField(queryset=None, label="所属党组织")
    name = forms.CharField(label="来源名称", max_length=100)
    url = forms.CharField(
        label="订阅地址（RSS/Atom）", max_length=1000, help_text="以 http:// 或 https:// 开头"
    )


class KeywordSetForm(_OrgForm):
    org = forms.ModelChoiceField(queryset=None, label="所属党组织")
    name = forms.CharField(label="名称", max_length=100, required=False)
    words = forms.CharField(
        label="关注词", help_text="用空格、逗号或顿号分开，如：预算 财政 收费", max_length=3000
    )
    synonyms = forms.CharField(
        label="同义词",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一组：关注词=同义词、同义词，如：预算=预决算、财政预算",
        max_length=5000,
    )
    exclude = forms.CharField(
        label="排除词",
        required=False,
        help_text="含有这些词的信息不算命中，如：招聘",
        max_length=3000,
    )
    active = forms.BooleanField(label="启用", required=False, initial=True)
