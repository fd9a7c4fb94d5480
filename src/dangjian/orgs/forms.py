from django import forms

from dangjian.core.forms import BootstrapMixin, DateInput
from dangjian.orgs.models import Org, Position, Unit


class OrgForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=50, required=False)
    kind = forms.ChoiceField(label="类型", choices=Org.Kind.choices)
    parent = forms.ModelChoiceField(label="上级组织", queryset=Org.objects.none(), required=False)
    unit = forms.ModelChoiceField(label="所在单位", queryset=Unit.objects.all(), required=False)
    sort = forms.IntegerField(label="排序", min_value=0, initial=0, required=False)
    established_on = forms.DateField(label="成立日期", required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            Org.objects.manageable_by(user).active().exclude(kind=Org.Kind.GROUP)
        )


class PositionForm(BootstrapMixin, forms.Form):
    role = forms.ChoiceField(label="职务", choices=Position.Role.choices)
    member = forms.ModelChoiceField(label="党员", queryset=None, required=False)
    username = forms.CharField(
        label="登录账号（可选）",
        max_length=150,
        required=False,
        help_text="填写已有账号的用户名，授予其管理本组织的权限",
    )
    started_on = forms.DateField(label="任职日期", required=False, widget=DateInput())

    def __init__(self, *args, org, user, **kwargs):
        super().__init__(*args, **kwargs)
        from dangjian.members.models import Member

        self.fields["member"].queryset = (
            Member.objects.manageable_by(user).on_rolls().in_subtree(org)
        )


class BoardForm(BootstrapMixin, forms.Form):
    term_start = forms.DateField(label="任期开始", widget=DateInput())
    term_end = forms.DateField(label="任期届满", widget=DateInput())
    elected_on = forms.DateField(label="选举日期", required=False, widget=DateInput())


class DissolveForm(BootstrapMixin, forms.Form):
    on = forms.DateField(label="撤销日期", widget=DateInput())
