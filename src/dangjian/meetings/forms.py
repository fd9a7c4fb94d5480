from django import forms
from django.utils import timezone

from dangjian.core.forms import BootstrapMixin, DateInput
from dangjian.meetings.models import Appraisal, Attendance, CriticismItem, Meeting
from dangjian.meetings.selectors import MEETING_ORG_KINDS
from dangjian.members.models import Member
from dangjian.members.pickers import MemberPickField
from dangjian.orgs.models import Org


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def branch_choices(user):
    return Org.objects.manageable_by(user).active().filter(kind__in=MEETING_ORG_KINDS)


def people_of(org):
    if org is None:
        return Member.objects.none()
    return Member.objects.on_rolls().party_members().in_subtree(org)


class MeetingForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="党组织")
    kind = forms.ChoiceField(choices=Meeting.Kind.choices, label="类型")
    topic = forms.CharField(max_length=200, label="主题")
    status = forms.ChoiceField(
        choices=[("planned", "计划召开"), ("held", "已召开（补录）")], label="状态"
    )
    planned_on = forms.DateField(required=False, label="计划日期", widget=DateInput())
    held_at = forms.DateTimeField(
        required=False,
        label="召开时间",
        widget=DateTimeInput(),
        help_text="签到时间默认为召开前30分钟至召开后4小时",
    )
    place = forms.CharField(max_length=200, required=False, label="地点")
    group = forms.ModelChoiceField(queryset=None, required=False, label="党小组（党小组会）")
    PEOPLE = {
        "host": "主持人/谈话人",
        "recorder": "记录人",
        "lecturer": "授课人（党课）",
        "counterpart": "谈话对象（谈心谈话）",
    }

    def __init__(self, *args, user, org=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = branch_choices(user)
        groups = Org.objects.manageable_by(user).active().filter(kind=Org.Kind.GROUP)
        self.fields["group"].queryset = groups.filter(parent=org) if org else groups.none()
        # The people come from the subtree of the org chosen in this form (the pickers refresh
        # their suggestions when the org changes); editing keeps the meeting's org.
        org_id = (
            self.data.get("org", "") if self.is_bound and not editing else org.pk if org else ""
        )
        for name, label in self.PEOPLE.items():
            self.fields[name] = MemberPickField(
                source="org_party",
                user=user,
                params={"org": org_id},
                include="" if editing else "#id_org",
                required=False,
                label=label,
            )
        if editing:
            for name in ("org", "kind", "status"):
                del self.fields[name]


ROLL_CHOICES = [
    (Attendance.Status.PRESENT.value, "出席"),
    (Attendance.Status.LEAVE.value, "请假"),
    (Attendance.Status.ABSENT.value, "缺席"),
]


class RecordForm(BootstrapMixin, forms.Form):
    """The recording screen: time and place, attendance (one choice per expected attendee,
    pre-filled, "全部出席" by default) and the minutes. ``roll`` is
    ``selectors.record_roll(meeting)``; rows with a fixed status get no field."""

    held_at = forms.DateTimeField(label="召开时间", widget=DateTimeInput())
    place = forms.CharField(max_length=200, required=False, label="地点")
    minutes = forms.CharField(
        label="会议记录",
        widget=forms.Textarea(attrs={"rows": 12, "data-minutes-editor": ""}),
        help_text="可使用段落、加粗、列表等简单格式；保存时自动清理不安全的内容",
    )
    resolutions = forms.CharField(
        required=False, label="决议事项", widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, roll=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.roll = list(roll)
        for row in self.roll:
            if row.fixed:
                continue
            self.fields[f"att_{row.member_id}"] = forms.ChoiceField(
                label=row.name,
                choices=ROLL_CHOICES,
                initial=row.initial,
                required=False,  # left out: the service's default (全部出席)
                error_messages={"invalid_choice": f"{row.name}：请选择出席、请假或缺席"},
                widget=forms.RadioSelect,
            )

    def roll_rows(self):
        """(row, bound field or None) for the template."""
        return [(row, None if row.fixed else self[f"att_{row.member_id}"]) for row in self.roll]

    def record_data(self) -> dict:
        """The arguments of ``services.meeting_record``."""
        data = {k: self.cleaned_data[k] for k in ("held_at", "place", "minutes", "resolutions")}
        data["attendance"] = {
            row.member_id: self.cleaned_data[f"att_{row.member_id}"]
            for row in self.roll
            if not row.fixed and self.cleaned_data.get(f"att_{row.member_id}")
        }
        return data


class VoteForm(BootstrapMixin, forms.Form):
    subject = forms.CharField(max_length=200, label="表决事项")
    votes_for = forms.IntegerField(min_value=0, label="赞成")
    votes_against = forms.IntegerField(min_value=0, initial=0, label="反对")
    abstain = forms.IntegerField(min_value=0, initial=0, label="弃权")
    written_opinions = forms.IntegerField(
        min_value=0,
        initial=0,
        label="会前书面意见",
        help_text="因故不能到会的有表决权党员会前提交的书面意见数，其表决意见计入上面的票数",
    )


class AttachmentForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="照片或 PDF")


class CriticismForm(BootstrapMixin, forms.Form):
    member = forms.ModelChoiceField(queryset=None, label="党员")
    kind = forms.ChoiceField(choices=CriticismItem.Kind.choices, label="类型")
    critic = forms.ModelChoiceField(queryset=None, required=False, label="提出人（相互批评）")
    content = forms.CharField(label="问题/意见", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = people_of(org)
        self.fields["critic"].queryset = people_of(org)


class ToRectificationForm(BootstrapMixin, forms.Form):
    item = forms.CharField(max_length=300, label="整改事项")
    deadline = forms.DateField(label="整改期限", widget=DateInput())


class PlanForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="党支部")
    year = forms.IntegerField(min_value=2000, max_value=2100, label="年度")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = branch_choices(user)
        self.fields["year"].initial = timezone.localdate().year


class SlotMoveForm(BootstrapMixin, forms.Form):
    planned_on = forms.DateField(label="计划日期", widget=DateInput())


class AppraisalOpenForm(PlanForm):
    pass


class SelfAssessForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label="自我评价", widget=forms.Textarea(attrs={"rows": 5}))


class FinalizeForm(BootstrapMixin, forms.Form):
    followup_deadline = forms.DateField(
        required=False, label="不合格党员限期改正期限", widget=DateInput()
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            self.fields[f"rating_{entry.member_id}"] = forms.ChoiceField(
                choices=[("", "—"), *Appraisal.Rating.choices],
                label=entry.member.name,
                initial=entry.final_rating,
            )
            self.fields[f"rating_{entry.member_id}"].widget.attrs["class"] = "form-select"

    def ratings(self) -> dict[int, str]:
        return {e.member_id: self.cleaned_data.get(f"rating_{e.member_id}") for e in self.entries}
