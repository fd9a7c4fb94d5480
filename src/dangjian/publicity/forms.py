"""Forms of the publicity pages. They gather input; the services hold the rules. Choice
lists come from the gate (``org_tree().choices``, the member picker's ``reach`` source)."""

from __future__ import annotations

from django import forms

from dangjian.core.forms import BootstrapMixin, DateInput
from dangjian.core.scope import org_tree
from dangjian.members.pickers import MemberPickField, MemberPickMultiField
from dangjian.publicity.models import Article, DisclosureItem, Notice, Scope, Status

SORTS = [("-date", "最新在前"), ("date", "最早在前"), ("title", "按标题")]


class FilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label="关键词", required=False)
    org = forms.ModelChoiceField(
        queryset=None, label="组织", required=False, empty_label="全部组织"
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *Status.choices]
    )
    sort = forms.ChoiceField(label="排序", required=False, choices=SORTS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)


class NoticeFilterForm(FilterForm):
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部"), ("current", "有效"), ("expired", "已过期"), ("withdrawn", "已撤回")],
    )


class _Scoped(BootstrapMixin, forms.Form):
    """Org, scope (DSC-2) and the named people when the scope is 指定人员."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)
        self.fields["people"] = MemberPickMultiField(
            source="reach", user=user, label="指定人员（公开范围为指定人员时）", required=False
        )


class ArticleForm(_Scoped):
    title = forms.CharField(label="标题", max_length=200)
    org = forms.ModelChoiceField(queryset=None, label="发布组织")
    category = forms.ChoiceField(label="栏目", choices=Article.Category.choices)
    scope = forms.ChoiceField(label="公开范围", choices=Scope.choices, initial=Scope.ORG)
    summary = forms.CharField(label="摘要", max_length=300, required=False)
    body = forms.CharField(
        label="正文",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="可直接粘贴文字，或使用段落、标题、加粗、列表、表格、链接；脚本和样式会被清除。",
    )
    cover = forms.FileField(
        label="封面图", required=False, help_text="JPG、PNG、GIF 或 WebP，按文件内容识别"
    )


class RoleModelForm(_Scoped):
    title = forms.CharField(label="标题", max_length=200)
    org = forms.ModelChoiceField(queryset=None, label="发布组织")
    honour = forms.CharField(label="荣誉称号", max_length=100, required=False)
    scope = forms.ChoiceField(label="公开范围", choices=Scope.choices, initial=Scope.ORG)
    consent_on = forms.DateField(label="本人同意公开日期", widget=DateInput())
    consent_note = forms.CharField(
        label="同意方式", max_length=200, initial="本人书面同意", help_text="如：本人书面同意"
    )
    deeds = forms.CharField(label="先进事迹", widget=forms.Textarea(attrs={"rows": 12}))
    photo = forms.FileField(label="照片", required=False, help_text="按文件内容识别图片格式")

    def __init__(self, *args, user, with_member=True, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if with_member:
            self.fields["member"] = MemberPickField(source="reach", user=user, label="党员")
            self.order_fields(["member"])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [data] if data else []


class NoticeForm(_Scoped):
    title = forms.CharField(label="标题", max_length=200)
    org = forms.ModelChoiceField(queryset=None, label="发布组织")
    audience = forms.ChoiceField(label="发送范围", choices=Notice.Audience.choices)
    expires_on = forms.DateField(label="有效期至", required=False, widget=DateInput())
    pinned = forms.BooleanField(label="置顶", required=False)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 10}))
    attachments = MultipleFileField(
        label="附件",
        required=False,
        help_text="PDF、图片、Word、Excel，最多 10 个",
    )


class DisclosureForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="党组织")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    scope = forms.ChoiceField(
        label="公开范围",
        choices=[c for c in Scope.choices if c[0] != Scope.PEOPLE],
        initial=Scope.ORG,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)


class ItemForm(BootstrapMixin, forms.Form):
    item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label="类别", choices=DisclosureItem.Kind.choices, initial=DisclosureItem.Kind.OTHER
    )
    title = forms.CharField(label="事项", max_length=200)
    content = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 5}))


STEPS = [
    ("submit", "提交审核"),
    ("review", "审核"),
    ("approve", "审批发布"),
    ("withdraw", "撤回"),
    ("reopen", "重新编辑"),
]


class StepForm(BootstrapMixin, forms.Form):
    step = forms.ChoiceField(choices=STEPS, widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label="审核结论",
        required=False,
        coerce=lambda v: v == "1",
        choices=[("1", "通过"), ("0", "退回修改")],
        initial="1",
    )
    secrecy_checked = forms.BooleanField(label="已通过保密审查", required=False)
    note = forms.CharField(label="意见", max_length=500, required=False)
    reason = forms.CharField(label="撤回原因", max_length=500, required=False)
