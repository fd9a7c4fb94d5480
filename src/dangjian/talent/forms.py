"""Forms of the talent pages. They gather input; the services hold the rules. Choice lists
come from the gate (``org_tree().choices``, the member picker's ``reach`` source, courses and
classes ``visible_to`` the user)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from dangjian.core.forms import BootstrapMixin, DateInput
from dangjian.core.scope import org_tree
from dangjian.learning.models import Course, TrainingClass
from dangjian.members.pickers import MemberPickField
from dangjian.orgs.models import Position
from dangjian.talent.models import Assignment, Skill, Talent, Track
from dangjian.talent.selectors import SORTS
from dangjian.work.models import Initiative

STATUS_CHOICES = [
    ("admitted", "在库"),
    ("nominated", "待审核"),
    ("retired", "已退出"),
    ("declined", "未通过"),
    ("all", "全部"),
]


class PoolFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label="姓名/拼音/专长", required=False, max_length=50)
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.filter(is_active=True),
        to_field_name="name",
        label="技能",
        required=False,
        empty_label="全部技能",
    )
    org = forms.ModelChoiceField(
        queryset=None, label="组织", required=False, empty_label="全部组织"
    )
    availability = forms.ChoiceField(
        label="可用状态",
        required=False,
        choices=[("", "全部可用状态"), *Talent.Availability.choices],
    )
    status = forms.ChoiceField(label="状态", required=False, choices=STATUS_CHOICES)
    order = forms.ChoiceField(
        label="排序", required=False, choices=[(k, f"按{v[0]}") for k, v in SORTS.items()]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)


class NominateForm(BootstrapMixin, forms.Form):
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        label="技能",
    )
    tags = forms.CharField(
        label="其他专长", required=False, max_length=200, help_text="词表之外的专长，以顿号分隔"
    )
    reason = forms.CharField(label="提名理由", widget=forms.Textarea(attrs={"rows": 3}))
    consent_on = forms.DateField(
        label="本人书面同意日期",
        required=False,
        widget=DateInput(),
        help_text="已取得本人书面同意的填写；不填则由本人在手机端“我的”中确认",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"] = MemberPickField(source="reach", user=user, label="党员")
        self.order_fields(["member", "skills", "tags", "reason", "consent_on"])


class ReviewForm(BootstrapMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label="审核结果",
        choices=[("1", "同意入库"), ("0", "不同意")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="审核意见", required=False, max_length=500)


class ConfirmForm(BootstrapMixin, forms.Form):
    availability = forms.ChoiceField(label="可用状态", choices=Talent.Availability.choices)
    note = forms.CharField(label="说明", required=False, max_length=500)


class RetireForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label="退出原因", max_length=200)


class CertificateForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="证书名称", max_length=100)
    issuer = forms.CharField(label="发证机构", required=False, max_length=100)
    issued_on = forms.DateField(label="发证日期", required=False, widget=DateInput())
    expires_on = forms.DateField(label="有效期至", required=False, widget=DateInput())


class AssignmentForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Assignment.Kind.choices)
    initiative = forms.ModelChoiceField(
        queryset=None, label="融合项目", required=False, empty_label="（非融合项目）"
    )
    title = forms.CharField(label="任务", required=False, max_length=200)
    started_on = forms.DateField(label="开始日期", widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"started_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = (
            Initiative.objects.visible_to(user).select_related("org").order_by("-year", "-id")
        )


class CloseForm(BootstrapMixin, forms.Form):
    outcome = forms.CharField(label="完成情况", widget=forms.Textarea(attrs={"rows": 2}))


class TrackForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="设置组织")
    title = forms.CharField(label="专题名称", max_length=100)
    topic = forms.ChoiceField(label="方向", choices=Track.Topic.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    summary = forms.CharField(label="说明", required=False, max_length=500)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)
        for role, label in Position.Role.choices:
            self.fields[f"hours_{role}"] = forms.DecimalField(
                label=f"{label}应完成学时",
                required=False,
                min_value=0,
                max_digits=6,
                decimal_places=2,
            )

    def hours(self) -> dict:
        return {
            role: self.cleaned_data.get(f"hours_{role}")
            for role in Position.Role.values
            if self.cleaned_data.get(f"hours_{role}") is not None
        }


class TrackItemForm(BootstrapMixin, forms.Form):
    course = forms.ModelChoiceField(
        queryset=None, label="课程", required=False, empty_label="（不选）"
    )
    training = forms.ModelChoiceField(
        queryset=None, label="培训班", required=False, empty_label="（不选）"
    )

    def __init__(self, *args, user, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = (
            Course.objects.visible_to(user)
            .filter(status=Course.Status.PUBLISHED, year=year)
            .order_by("title")
        )
        self.fields["training"].queryset = (
            TrainingClass.objects.visible_to(user)
            .filter(starts_at__year=year)
            .order_by("starts_at")
        )


class StaffCountForm(BootstrapMixin, forms.Form):
    staff_count = forms.IntegerField(label="职工人数", min_value=1, max_value=1_000_000)
