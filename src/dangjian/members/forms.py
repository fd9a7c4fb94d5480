from django import forms

from dangjian.core.forms import BootstrapMixin, DateInput
from dangjian.members.models import Member
from dangjian.orgs.models import Org, Unit

DATE_FIELDS = [
    "birth_date",
    "applied_at",
    "activist_at",
    "candidate_at",
    "joined_at",
    "full_at",
    "lost_contact_since",
]


class MemberForm(BootstrapMixin, forms.Form):
    """Collects input; the rules are checked by members.services (errors mapped back here)."""

    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=Member.Gender.choices)
    ethnicity = forms.CharField(label="民族", max_length=20, initial="汉族")
    birth_date = forms.DateField(label="出生日期", widget=DateInput())
    id_number = forms.CharField(
        label="身份证号",
        max_length=18,
        required=False,
        help_text="18位，末位可为X；修改时留空表示不变",
    )
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    education = forms.ChoiceField(
        label="学历", choices=[("", "—"), *Member.Education.choices], required=False
    )
    unit = forms.ModelChoiceField(label="工作单位", queryset=Unit.objects.all(), required=False)
    job_title = forms.CharField(label="职务/职级", max_length=100, required=False)
    cadre_level = forms.ChoiceField(
        label="干部层级",
        choices=Member.CadreLevel.choices,
        required=False,
        help_text="用于干部教育培训学时检查（LRN-1、LRN-2）",
    )
    org = forms.ModelChoiceField(label="所在党组织", queryset=Org.objects.none())
    group = forms.ModelChoiceField(label="所在党小组", queryset=Org.objects.none(), required=False)
    status = forms.ChoiceField(label="人员类别", choices=Member.Status.choices)
    applied_at = forms.DateField(label="申请入党日期", required=False, widget=DateInput())
    activist_at = forms.DateField(label="确定积极分子日期", required=False, widget=DateInput())
    candidate_at = forms.DateField(label="确定发展对象日期", required=False, widget=DateInput())
    joined_at = forms.DateField(label="入党日期（预备）", required=False, widget=DateInput())
    full_at = forms.DateField(label="转正日期", required=False, widget=DateInput())
    is_retired = forms.BooleanField(label="离退休", required=False)
    is_mobile = forms.BooleanField(label="流动党员", required=False)
    is_lost_contact = forms.BooleanField(label="失联党员", required=False)
    lost_contact_since = forms.DateField(label="失联日期", required=False, widget=DateInput())
    voting_rights_suspended = forms.BooleanField(label="停止表决权", required=False)
    reason = forms.CharField(
        label="变动原因",
        max_length=200,
        required=False,
        help_text="修改人员类别或所在党组织时填写，记入变动记录",
    )

    def __init__(self, *args, user, instance: Member | None = None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                f: getattr(instance, f)
                for f in self.base_fields
                if f not in {"id_number", "reason", "org", "group", "unit"}
            } | {"org": instance.org_id, "group": instance.group_id, "unit": instance.unit_id}
        super().__init__(*args, **kwargs)
        orgs = Org.objects.manageable_by(user).active()
        self.fields["org"].queryset = orgs.exclude(kind=Org.Kind.GROUP)
        self.fields["group"].queryset = orgs.filter(kind=Org.Kind.GROUP)
        if instance is None:
            self.fields["id_number"].required = True
            self.fields["id_number"].help_text = "18位，末位可为X"
            del self.fields["reason"]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("reason", None)
        if self.instance is not None and not data.get("id_number"):
            data.pop("id_number", None)
        return data


class LeaveForm(BootstrapMixin, forms.Form):
    on = forms.DateField(label="日期", widget=DateInput())
    reason = forms.CharField(label="原因", max_length=200)


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")
