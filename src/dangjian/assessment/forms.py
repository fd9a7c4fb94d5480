from django import forms

from dangjian.core.forms import BootstrapMixin, DateInput
from dangjian.members.pickers import MemberPickField
from dangjian.orgs.models import Org


class RectificationForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(
        queryset=None,
        label="党组织",
        error_messages={"invalid_choice": "所选党组织不在您的管理范围内，请重新选择"},
    )
    item = forms.CharField(max_length=300, label="整改事项")
    deadline = forms.DateField(label="整改期限", widget=DateInput())
    detail = forms.CharField(
        required=False, label="问题描述", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = (
            Org.objects.manageable_by(user).active().exclude(kind=Org.Kind.GROUP)
        )
        # The owner comes from the subtree of the org chosen in this form (the picker
        # refreshes its suggestions when the org changes); an org out of reach offers none.
        org_id = self.data.get("org", "") if self.is_bound else getattr(org, "pk", "")
        self.fields["owner"] = MemberPickField(
            source="org", user=user, params={"org": org_id}, include="#id_org", label="责任人"
        )
        self.order_fields(["org", "owner", "item", "deadline", "detail"])


class SubmitForm(BootstrapMixin, forms.Form):
    evidence = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(required=False, label="佐证材料（图片或 PDF）")


class VerifyForm(BootstrapMixin, forms.Form):
    accepted = forms.TypedChoiceField(
        choices=[("1", "验收通过，销号"), ("0", "退回重新整改")],
        coerce=lambda v: v == "1",
        label="验收结论",
    )
    note = forms.CharField(max_length=300, required=False, label="验收意见")
