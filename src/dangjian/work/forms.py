"""Forms of the 党建+业务 pages. They gather input; the services hold the rules. Choice lists
come from the gate (``org_tree().choices``, the member picker's ``reach`` source)."""

from __future__ import annotations

from django import forms

from dangjian.core.forms import BootstrapMixin, DateInput
from dangjian.core.scope import org_tree
from dangjian.members.pickers import MemberPickField, MemberPickMultiField
from dangjian.work.models import Phase, Pledge, Task

INDICATOR_ROWS = 3


class FilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label="关键词", required=False)
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    org = forms.ModelChoiceField(
        queryset=None, label="组织", required=False, empty_label="全部组织"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)


class TaskFilterForm(FilterForm):
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *Task.Status.choices]
    )


class InitiativeForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="项目名称", max_length=200)
    org = forms.ModelChoiceField(queryset=None, label="责任党组织")
    unit = forms.CharField(label="业务部门", max_length=100, help_text="项目服务的业务处室或单位")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    goal = forms.CharField(label="目标", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)
        for i in range(INDICATOR_ROWS):
            req = {"required": False}
            self.fields[f"ind{i}_name"] = forms.CharField(
                label=f"指标{i + 1}", max_length=100, **req
            )
            self.fields[f"ind{i}_target"] = forms.DecimalField(
                label="目标值", max_digits=14, decimal_places=2, **req
            )
            self.fields[f"ind{i}_unit"] = forms.CharField(label="单位", max_length=20, **req)
            self.fields[f"ind{i}_owner"] = forms.CharField(label="数据责任人", max_length=50, **req)
        self.fields["members"] = MemberPickMultiField(
            source="reach", user=user, label="参与党员", required=False
        )

    def indicators(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {k: d.get(f"ind{i}_{k}") for k in ("name", "target", "unit", "owner")}
            for i in range(INDICATOR_ROWS)
            if d.get(f"ind{i}_name") or d.get(f"ind{i}_target") is not None
        ]


class AdvanceForm(BootstrapMixin, forms.Form):
    """What the current phase records, sent with the move to the next phase."""

    to = forms.ChoiceField(choices=Phase.choices, widget=forms.HiddenInput)
    progress = forms.CharField(
        label="推进情况", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    review = forms.CharField(
        label="书面检查评估", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    review_meeting = forms.ModelChoiceField(
        queryset=None, label="研究检查的会议", required=False, empty_label="（未开会研究）"
    )
    note = forms.CharField(label="说明", required=False, max_length=1000)

    def __init__(self, *args, initiative, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_meeting"].queryset = meetings
        self.fields["review_meeting"].label_from_instance = lambda m: (
            f"{m.held_at:%Y-%m-%d} {m.get_kind_display()}：{m.topic}"
        )
        phase = initiative.phase
        if phase != Phase.EXECUTE:
            del self.fields["progress"]
        if phase != Phase.REVIEW:
            del self.fields["review"], self.fields["review_meeting"]
        else:
            for ind in initiative.indicators.all():
                self.fields[f"actual_{ind.pk}"] = forms.DecimalField(
                    label=f"{ind.name}实际值（目标 {ind.target}{ind.unit}）",
                    max_digits=14,
                    decimal_places=2,
                    required=False,
                    initial=ind.actual,
                )

    def actuals(self) -> dict[int, object]:
        return {
            int(k.removeprefix("actual_")): v
            for k, v in self.cleaned_data.items()
            if k.startswith("actual_") and v is not None
        }


class TaskForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="任务", max_length=200)
    org = forms.ModelChoiceField(queryset=None, label="承办党组织", required=False)
    due = forms.DateField(label="完成时限", widget=DateInput())
    done_definition = forms.CharField(label="完成标准", max_length=500, required=False)

    def __init__(self, *args, user, top, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user).filter(path__startswith=top.path)
        self.fields["member"] = MemberPickField(
            source="reach", user=user, label="或承办党员", required=False
        )


class ProgressForm(BootstrapMixin, forms.Form):
    percent = forms.IntegerField(label="进度（%）", min_value=0, max_value=100)
    note = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 3}))


class CompleteForm(BootstrapMixin, forms.Form):
    outcome = forms.CharField(label="完成情况", widget=forms.Textarea(attrs={"rows": 3}))


class PlanForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    org = forms.ModelChoiceField(queryset=None, label="发布党组织")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    items = forms.CharField(
        label="工作要点",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="每行一条，格式：完成时限 要点内容，如“2026-06-30 开展党建与业务融合项目”",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user).exclude(kind__in=["branch", "group"])

    def clean_items(self) -> list[dict]:
        import datetime as dt

        rows = []
        for n, line in enumerate(self.cleaned_data["items"].splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            day, _, text = line.partition(" ")
            try:
                due = dt.date.fromisoformat(day)
            except ValueError:
                raise forms.ValidationError(
                    f"第 {n} 行应以完成时限开头（如 2026-06-30），再空一格写要点"
                ) from None
            rows.append({"due": due, "text": text.strip()})
        return rows


class FeedbackForm(BootstrapMixin, forms.Form):
    text = forms.CharField(
        label="落实情况",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="平台已有的数据已自动带出，只需补充平台不知道的情况",
    )


class PostForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label="类型", choices=[("vanguard", "党员先锋岗"), ("zone", "党员责任区")]
    )
    title = forms.CharField(label="名称", max_length=100)
    org = forms.ModelChoiceField(queryset=None, label="党组织")
    duties = forms.CharField(label="职责", max_length=500, required=False)
    started_on = forms.DateField(label="开始日期", widget=DateInput())
    ended_on = forms.DateField(label="结束日期", widget=DateInput(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)
        self.fields["holders"] = MemberPickMultiField(source="reach", user=user, label="党员")


class PledgeForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label="承诺事项", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["member"] = MemberPickField(source="reach", user=user, label="党员")
            self.order_fields(["member", "text"])


class FulfilForm(BootstrapMixin, forms.Form):
    result = forms.CharField(label="践诺情况", widget=forms.Textarea(attrs={"rows": 3}))
    rating = forms.ChoiceField(label="支部评定", choices=Pledge.Rating.choices)
