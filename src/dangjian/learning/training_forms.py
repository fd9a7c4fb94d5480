"""Forms of the training-class and outside-record pages. They only gather input; the
services (``learning.trainings``) validate the rules."""

from __future__ import annotations

from django import forms

from dangjian.core.forms import BootstrapMixin
from dangjian.core.scope import org_tree
from dangjian.learning.models import TrainingAttendance, TrainingClass

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TrainingForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="培训班名称", max_length=100)
    org = forms.ModelChoiceField(queryset=None, label="举办组织")
    kind = forms.ChoiceField(label="类型", choices=TrainingClass.Kind.choices)
    starts_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    ends_at = forms.DateTimeField(label="结束时间", widget=DATETIME)
    hours = forms.DecimalField(
        label="学时",
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text="按 LRN-5：每小时 1 学时，半天 4 学时，一天 8 学时",
    )
    place = forms.CharField(label="地点", max_length=200, required=False)
    notice = forms.CharField(
        label="培训通知", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)


class AttendanceForm(BootstrapMixin, forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label="出勤",
        choices=[c for c in TrainingAttendance.Status.choices if c[0] != "expected"],
    )
    absent_hours = forms.DecimalField(
        label="缺课学时", min_value=0, max_digits=6, decimal_places=2, required=False
    )


class SessionForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="课次", max_length=100, help_text="如“第一天上午”")
    starts_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    ends_at = forms.DateTimeField(label="结束时间", widget=DATETIME)
    hours = forms.DecimalField(
        label="学时", min_value=0, max_digits=6, decimal_places=2, help_text="半天 4 学时"
    )


class MaterialForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="资料名称", max_length=100)
    file = forms.FileField(label="文件", help_text="PDF、图片、Word 或 PPT")


class SignInForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label="签到码", max_length=6, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)


class OutsideRecordForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="培训名称", max_length=100)
    organizer = forms.CharField(label="举办单位", max_length=100)
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE)
    hours = forms.DecimalField(
        label="申报学时", min_value=0, max_digits=6, decimal_places=2, help_text="每天最多 8 学时"
    )
    evidence = forms.FileField(label="证明材料", help_text="结业证书、通知或签到表的照片或 PDF")


class DecisionForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label="未认定原因", max_length=200, required=False)
