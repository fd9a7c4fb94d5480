"""Forms of the supervision pages; choices come from the gate, rules stay in services."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from dangjian.assessment.supervision.models import DutyReport, InspectionVisit, Talk
from dangjian.core.forms import BootstrapMixin, DateInput
from dangjian.members.pickers import MemberPickField
from dangjian.orgs.models import Org

ORG_ERRORS = {"invalid_choice": "所选党组织不在您的管理范围内，请重新选择"}


def _orgs(user, kinds=None):
    qs = Org.objects.manageable_by(user).active().exclude(kind=Org.Kind.GROUP)
    return qs.filter(kind__in=kinds) if kinds else qs


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class InspectionForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="组织单位", error_messages=ORG_ERRORS)
    title = forms.CharField(max_length=200, label="督查名称")
    year = forms.IntegerField(min_value=2000, max_value=2100, label="年度")
    starts_on = forms.DateField(required=False, label="开始日期", widget=DateInput())
    ends_on = forms.DateField(required=False, label="结束日期", widget=DateInput())
    scope = forms.CharField(max_length=300, required=False, label="督查范围")
    basis = forms.CharField(
        required=False, label="督查依据", widget=forms.Textarea(attrs={"rows": 2})
    )
    items = forms.CharField(
        required=False,
        label="自定检查事项",
        help_text="每行一项。合规检查发现的问题会自动列入清单，无需重复填写。",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = _orgs(user).exclude(kind=Org.Kind.BRANCH)

    def clean_items(self):
        return _lines(self.cleaned_data["items"])


class VisitForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(
        queryset=None,
        label="督查对象",
        error_messages={"invalid_choice": "该党组织不是本次督查的对象或已登记"},
    )
    on = forms.DateField(label="督查日期", widget=DateInput())
    kind = forms.ChoiceField(choices=InspectionVisit.Kind.choices, label="方式")
    note = forms.CharField(
        required=False, label="督查情况", widget=forms.Textarea(attrs={"rows": 2})
    )
    findings = forms.CharField(
        required=False,
        label="发现的问题",
        help_text="每行一条，每条列入该组织的整改清单，责任人为该组织书记。",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deadline = forms.DateField(required=False, label="整改期限", widget=DateInput())

    def __init__(self, *args, inspection, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = Org.objects.filter(
            pk__in=inspection.targets.values("org_id")
        ).exclude(pk__in=inspection.visits.values("org_id"))

    def clean(self):
        data = super().clean()
        data["findings"] = _lines(data.get("findings", ""))
        if data["findings"] and not data.get("deadline"):
            self.add_error("deadline", "有问题时请填写整改期限")
        return data


class DutyReportForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="党组织", error_messages=ORG_ERRORS)
    year = forms.IntegerField(min_value=2000, max_value=2100, label="年度")
    text = forms.CharField(label="述职报告", widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = _orgs(user)
        org_id = self.data.get("org", "") if self.is_bound else ""
        self.fields["reporter"] = MemberPickField(
            source="org", user=user, params={"org": org_id}, include="#id_org", label="述职书记"
        )
        self.order_fields(["org", "reporter", "year", "text"])


class BallotForm(BootstrapMixin, forms.Form):
    rating = forms.ChoiceField(
        choices=DutyReport.Rating.choices, widget=forms.RadioSelect, label="评议等次"
    )


class CommentForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(label="点评意见", widget=forms.Textarea(attrs={"rows": 3}))


class TalkForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(choices=Talk.Kind.choices, label="方式")
    org = forms.ModelChoiceField(queryset=None, label="组织单位", error_messages=ORG_ERRORS)
    on = forms.DateField(label="日期", widget=DateInput())
    reason = forms.CharField(label="事由", widget=forms.Textarea(attrs={"rows": 2}))
    record = forms.CharField(
        required=False, label="谈话记录", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = _orgs(user)
        org_id = self.data.get("org", "") if self.is_bound else ""
        self.fields["member"] = MemberPickField(
            source="org", user=user, params={"org": org_id}, include="#id_org", label="谈话对象"
        )
        self.order_fields(["kind", "org", "member", "on", "reason", "record"])


class CommitmentForm(BootstrapMixin, forms.Form):
    item = forms.CharField(max_length=300, label="承诺事项")
    deadline = forms.DateField(label="完成期限", widget=DateInput())


class AccountabilityForm(BootstrapMixin, forms.Form):
    decision = forms.CharField(max_length=300, label="问责决定")
    basis = forms.CharField(label="依据", widget=forms.Textarea(attrs={"rows": 2}))
    decided_on = forms.DateField(label="决定日期", widget=DateInput())
