"""Forms of the procedure pages. Choice lists go through the gate; rules stay in services."""

from __future__ import annotations

import datetime as dt

from django import forms

from dangjian.core.forms import BootstrapMixin, DateInput
from dangjian.development.models import Case
from dangjian.members.models import Member
from dangjian.orgs.models import Org, Position


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.org.name}）"


class MemberMultiChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_status_display()}）"


class CaseOpenForm(BootstrapMixin, forms.Form):
    member = MemberChoice(queryset=Member.objects.none(), label="入党申请人")
    opened_on = forms.DateField(label="立案日期", widget=DateInput(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        busy = Case.objects.of("development").open().values("member_id")
        self.fields["member"].queryset = (
            Member.objects.manageable_by(user)
            .on_rolls()
            .filter(status=Member.Status.APPLICANT)
            .exclude(pk__in=busy)
            .select_related("org")
        )


class TransferForm(BootstrapMixin, forms.Form):
    member = MemberChoice(queryset=Member.objects.none(), label="党员")
    applied_on = forms.DateField(label="申请日期", widget=DateInput(), initial=dt.date.today)
    to_org = forms.ModelChoiceField(
        queryset=Org.objects.none(), label="转入党支部（本系统内）", required=False
    )
    destination = forms.CharField(
        label="转往（系统外，填写接收单位党组织全称）", max_length=200, required=False
    )
    note = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            Member.objects.manageable_by(user).on_rolls().select_related("org")
        )
        # Any branch of the system may receive a member.
        self.fields["to_org"].queryset = Org.objects.active().filter(kind=Org.Kind.BRANCH)


class MyTransferForm(BootstrapMixin, forms.Form):
    to_org = forms.ModelChoiceField(
        queryset=Org.objects.active().filter(kind=Org.Kind.BRANCH),
        label="转入党支部（本系统内）",
        required=False,
    )
    destination = forms.CharField(label="或：转往系统外（接收党组织全称）", max_length=200,
                                  required=False)  # fmt: skip
    note = forms.CharField(label="原因（如工作调动）", max_length=500, required=False)


class ElectionOpenForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(queryset=Org.objects.none(), label="党组织")
    opened_on = forms.DateField(label="启动日期", widget=DateInput(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = (
            Org.objects.manageable_by(user).active().exclude(kind=Org.Kind.GROUP)
        )


class MaterialForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="材料名称")
    file = forms.FileField(label="文件（PDF、图片、Word、Excel）")

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, k) for k in kinds]


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


class ReviewForm(BootstrapMixin, forms.Form):
    reviewed_on = forms.DateField(label="考察日期", widget=DateInput())


class ExtendForm(BootstrapMixin, forms.Form):
    months = forms.IntegerField(label="延长月数", min_value=1)
    decided_on = forms.DateField(label="决定日期", widget=DateInput())
    reason = forms.CharField(label="原因", max_length=200)


ROLE_CHOICES = [(v, label) for v, label in Position.Role.choices if v != Position.Role.STAFF]


class StepForm(BootstrapMixin, forms.Form):
    """The form of one step: its date and note, plus the fields the step needs."""

    done_on = forms.DateField(label="办理日期", widget=DateInput())
    note = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args, case: Case, step, records: dict, user, correct=False, **kw):
        super().__init__(*args, **kw)
        self.case, self.step = case, step
        org = case.org
        full_members = (
            Member.objects.visible_to(user)
            .on_rolls()
            .filter(status=Member.Status.FULL, org__path__startswith=org.ancestor_paths()[0])
            .exclude(pk=case.member_id)
            .select_related("org")
        )
        for name in step.fields:
            if name in {"contacts", "sponsors"}:
                label = "培养联系人（正式党员）" if name == "contacts" else "入党介绍人（正式党员）"
                self.fields[name] = MemberMultiChoice(queryset=full_members, label=label)
            elif name == "reviews":
                self.fields[name] = forms.CharField(
                    label="补充考察日期（YYYY-MM-DD，多个用逗号分隔）", required=False
                )
            elif name in {"days", "hours"}:
                label = "培训天数" if name == "days" else "培训学时"
                self.fields[name] = forms.IntegerField(label=label, min_value=0, required=False)
            elif name in {"notice_start", "notice_end", "leaving_on", "term_start", "term_end"}:
                labels = {
                    "notice_start": "公示开始日期",
                    "notice_end": "公示结束日期",
                    "leaving_on": "预计离开工作单位日期（如有）",
                    "term_start": "任期开始日期",
                    "term_end": "任期届满日期",
                }
                self.fields[name] = forms.DateField(
                    label=labels[name],
                    widget=DateInput(),
                    required=name in {"notice_start", "notice_end", "term_end"},
                )
            elif name in {"voting_members", "present", "for", "against", "abstain"}:
                labels = {
                    "voting_members": "应到会有表决权人数",
                    "present": "实到会有表决权人数",
                    "for": "赞成",
                    "against": "反对",
                    "abstain": "弃权",
                }
                self.fields[name] = forms.IntegerField(
                    label=labels[name],
                    min_value=0,
                    required=name in {"voting_members", "present", "for"},
                )
            elif name == "meeting":
                from dangjian.meetings.models import Meeting

                self.fields[name] = forms.ModelChoiceField(
                    queryset=Meeting.objects.visible_to(user).filter(
                        org=org, kind=Meeting.Kind.GENERAL_MEETING
                    ),
                    label="对应的党员大会记录（可选）",
                    required=False,
                )
            elif name == "special_reason":
                self.fields[name] = forms.CharField(
                    label="超过正常审批期限的特殊情况说明", max_length=200, required=False
                )
            elif name == "group":
                self.fields[name] = forms.ModelChoiceField(
                    queryset=Org.objects.filter(parent=org, kind=Org.Kind.GROUP, dissolved_on=None),
                    label="编入党小组",
                    required=False,
                )
            elif name == "letter_number":
                self.fields[name] = forms.CharField(label="介绍信编号", max_length=60)
            elif name == "seats":
                self.fields[name] = forms.IntegerField(label="应选委员人数", min_value=1)
            elif name == "candidates":
                from dangjian.development.validations import election_eligible

                self.fields[name] = MemberMultiChoice(
                    queryset=election_eligible(org, dt.date.today()).select_related("org"),
                    label="候选人（本组织有被选举权的正式党员）",
                )
            elif name == "votes":
                ids = (
                    [int(x) for x in records[3].data.get("candidates", [])] if 3 in records else []
                )
                names = dict(Member.objects.filter(pk__in=ids).values_list("pk", "name"))
                for pk in ids:
                    self.fields[f"vote_{pk}"] = forms.IntegerField(
                        label=f"{names.get(pk, pk)} 得票", min_value=0
                    )
            elif name == "positions":
                elected = (
                    [int(x) for x in records[4].data.get("elected", [])] if 4 in records else []
                )
                names = dict(Member.objects.filter(pk__in=elected).values_list("pk", "name"))
                for pk in elected:
                    self.fields[f"role_{pk}"] = forms.ChoiceField(
                        label=f"{names.get(pk, pk)} 职务", choices=ROLE_CHOICES
                    )

    def step_data(self) -> dict:
        cd, data = self.cleaned_data, {}
        for name in self.step.fields:
            if name in {"contacts", "sponsors", "candidates"}:
                data[name] = [m.pk for m in cd.get(name) or []]
            elif name == "reviews":
                data[name] = [s.strip() for s in (cd.get(name) or "").split(",") if s.strip()]
            elif name in {"meeting", "group"}:
                data[name] = cd[name].pk if cd.get(name) else None
            elif name == "votes":
                data[name] = {
                    k.removeprefix("vote_"): v for k, v in cd.items() if k.startswith("vote_")
                }
            elif name == "positions":
                data[name] = [
                    {"member": int(k.removeprefix("role_")), "role": v}
                    for k, v in cd.items()
                    if k.startswith("role_")
                ]
            elif isinstance(cd.get(name), dt.date):
                data[name] = cd[name].isoformat()
            elif cd.get(name) is not None:
                data[name] = cd[name]
        return data


class EligibleForm(BootstrapMixin, forms.Form):
    LISTS = [("candidates", "本季度可确定为发展对象"), ("probation", "本月预备期满")]
    list = forms.ChoiceField(label="名单", choices=LISTS, required=False)
    org = forms.ModelChoiceField(queryset=Org.objects.none(), label="组织", required=False)
    on = forms.DateField(label="所在季度/月份中的任一日期", widget=DateInput(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = (
            Org.objects.manageable_by(user).active().exclude(kind=Org.Kind.GROUP)
        )
