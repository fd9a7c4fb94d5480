"""Forms of the procedure pages. Choice lists go through the gate; rules stay in services."""

from __future__ import annotations

import datetime as dt

from django import forms

from dangjian.core.forms import BootstrapMixin, DateInput
from dangjian.development.models import Case
from dangjian.development.stepdata import form_spec
from dangjian.development.steps import ElectionStep
from dangjian.members.models import Member
from dangjian.members.pickers import MemberPickField, MemberPickMultiField
from dangjian.orgs.models import Org, Position


class CaseOpenForm(BootstrapMixin, forms.Form):
    opened_on = forms.DateField(label="立案日期", widget=DateInput(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"] = MemberPickField(
            source="development.applicants", user=user, label="入党申请人"
        )
        self.order_fields(["member", "opened_on"])


class TransferForm(BootstrapMixin, forms.Form):
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
        self.fields["member"] = MemberPickField(source="reach", user=user, label="党员")
        self.order_fields(["member", "applied_on", "to_org", "destination", "note"])
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


# Choice lists of step fields (``choices`` in stepdata), each through the gate: members
# through a picker source (development/pickers.py), the rest as a select.
def _general_meetings(case: Case, user):
    from dangjian.meetings.models import Meeting

    return Meeting.objects.visible_to(user).filter(org=case.org, kind=Meeting.Kind.GENERAL_MEETING)


def _groups(case: Case, user):
    return Org.objects.filter(parent=case.org, kind=Org.Kind.GROUP, dissolved_on=None)


MEMBER_SOURCES = {
    "full_members": "development.full_members",
    "eligible": "development.eligible",
}
SELECTS = {"general_meetings": _general_meetings, "groups": _groups}


def _ids_of(record, key: str) -> list[int]:
    return [int(x) for x in record.data.get(key, [])] if record is not None else []


class StepForm(BootstrapMixin, forms.Form):
    """The form of one step: its date and note, plus the fields of the step's schema
    (``stepdata.form_spec``: labels, units, required, limits and choice lists)."""

    done_on = forms.DateField(label="办理日期", widget=DateInput())
    note = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args, case: Case, step, records, user, correct=False, **kw):
        super().__init__(*args, **kw)
        self.case, self.step = case, step
        self.spec = form_spec(step.validation)
        for item in self.spec:
            self._add(item, case, records, user)

    def _add(self, item: dict, case: Case, records, user) -> None:
        name, label, required = item["name"], item["label"], item["required"]
        if item["choices"] in MEMBER_SOURCES:
            self.fields[name] = MemberPickMultiField(
                source=MEMBER_SOURCES[item["choices"]],
                user=user,
                params={"case": case.pk},
                label=label,
            )
        elif item["choices"]:
            self.fields[name] = forms.ModelChoiceField(
                queryset=SELECTS[item["choices"]](case, user), label=label, required=False
            )
        elif item["widget"] == "dates":
            self.fields[name] = forms.CharField(label=label, required=False)
        elif item["widget"] == "per_candidate":
            ids = _ids_of(records.of(ElectionStep.CANDIDATES), "candidates")
            names = dict(Member.objects.filter(pk__in=ids).values_list("pk", "name"))
            for pk in ids:
                self.fields[f"vote_{pk}"] = forms.IntegerField(
                    label=f"{names.get(pk, pk)} 得票", min_value=0
                )
        elif item["widget"] == "per_elected":
            elected = _ids_of(records.of(ElectionStep.VOTE), "elected")
            names = dict(Member.objects.filter(pk__in=elected).values_list("pk", "name"))
            for pk in elected:
                self.fields[f"role_{pk}"] = forms.ChoiceField(
                    label=f"{names.get(pk, pk)} 职务", choices=ROLE_CHOICES
                )
        elif item["type"] is int:
            self.fields[name] = forms.IntegerField(
                label=label, min_value=item["min_value"], required=required
            )
        elif item["type"] is dt.date:
            self.fields[name] = forms.DateField(label=label, widget=DateInput(), required=required)
        else:
            self.fields[name] = forms.CharField(
                label=label, max_length=item["max_length"], required=required
            )

    def add_reason(self) -> None:
        """The correction's reason (更正原因), for the superior's correction page."""
        self.fields["reason"] = forms.CharField(label="更正原因", max_length=200)

    @staticmethod
    def initial_of(step, record) -> dict:
        """A recorded step as the form's initial values (the inverse of ``step_data``)."""
        data, initial = record.data or {}, {"done_on": record.done_on, "note": record.note}
        for item in form_spec(step.validation):
            name, value = item["name"], data.get(item["name"])
            if value is None:
                continue
            if item["widget"] == "dates":
                initial[name] = ", ".join(value)
            elif item["widget"] == "per_candidate":
                initial |= {f"vote_{pk}": votes for pk, votes in value.items()}
            elif item["widget"] == "per_elected":
                initial |= {f"role_{row['member']}": row["role"] for row in value}
            else:
                initial[name] = value
        return initial

    def step_data(self) -> dict:
        """The cleaned form as the step's data (the shape the schema parses)."""
        cd, data = self.cleaned_data, {}
        for item in self.spec:
            name = item["name"]
            if item["widget"] == "dates":
                data[name] = [s.strip() for s in (cd.get(name) or "").split(",") if s.strip()]
            elif item["widget"] == "per_candidate":
                data[name] = {
                    k.removeprefix("vote_"): v for k, v in cd.items() if k.startswith("vote_")
                }
            elif item["widget"] == "per_elected":
                data[name] = [
                    {"member": int(k.removeprefix("role_")), "role": v}
                    for k, v in cd.items()
                    if k.startswith("role_")
                ]
            elif item["choices"] in MEMBER_SOURCES:
                data[name] = [m.pk for m in cd.get(name) or []]
            elif item["choices"]:
                data[name] = cd[name].pk if cd.get(name) else None
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
