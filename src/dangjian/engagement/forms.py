"""Forms of the consultation and survey pages. They gather input; the services hold the
rules. Org choice lists come from the gate (``org_tree().choices``) for staff; the public
forms offer every org still in being (anyone may ask any org)."""

from __future__ import annotations

import re

from django import forms

from dangjian.core.forms import BootstrapMixin, DateInput
from dangjian.core.scope import org_tree
from dangjian.engagement.models import RATING_MAX, Consultation, Survey, Topic
from dangjian.orgs.models import Org

KIND_WORDS = {
    "单选": "single",
    "多选": "multiple",
    "填空": "text",
    "评分": "rating",
    "矩阵": "matrix",
}
LINE = re.compile(r"^\s*[\[【]\s*(?P<kind>\S+?)\s*[\]】]\s*(?P<rest>.+)$")
SEP = re.compile(r"\s*[/／]\s*")
WORDS_OF_KIND = {kind: word for word, kind in KIND_WORDS.items()}


def question_lines(questions) -> str:
    """A survey's questions as the lines ``SurveyForm.clean_questions`` reads back (the
    edit form of a draft)."""
    lines = []
    for q in questions:
        line = f"[{WORDS_OF_KIND[q.kind]}] {q.text}"
        if q.options:
            line += "：" + " / ".join(q.options)
        if q.rows:
            line += " | " + " / ".join(q.rows)
        lines.append(line)
    return "\n".join(lines)


class ConsultationFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=100)
    org = forms.ModelChoiceField(
        queryset=None, label="组织", required=False, empty_label="全部组织"
    )
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部状态"), *Consultation.Status.choices, ("late", "逾期未答复")],
    )
    kind = forms.ChoiceField(
        label="类别", required=False, choices=[("", "全部类别"), *Consultation.Kind.choices]
    )
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[
            ("due", "答复时限（近到远）"),
            ("-due", "答复时限（远到近）"),
            ("new", "提交时间（新到旧）"),
            ("old", "提交时间（旧到新）"),
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)


class SurveyFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=100)
    org = forms.ModelChoiceField(
        queryset=None, label="组织", required=False, empty_label="全部组织"
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *Survey.Status.choices]
    )
    sort = forms.ChoiceField(
        label="排序", required=False, choices=[("new", "发起时间（新到旧）"), ("title", "标题")]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)


class AskForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="类别", choices=Consultation.Kind.choices, initial="question")
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.filter(active=True).select_related("org"),
        label="咨询事项",
        required=False,
        empty_label="（不选，由我选择受理党组织）",
        help_text="选择事项后自动转给负责该事项的党组织",
    )
    org = forms.ModelChoiceField(
        queryset=Org.objects.filter(dissolved_on__isnull=True).order_by("path"),
        label="受理党组织",
        required=False,
        empty_label="（按咨询事项转办）",
    )
    question = forms.CharField(
        label="内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    contact = forms.CharField(
        label="联系方式",
        max_length=100,
        required=False,
        help_text="可不填：提交后凭查询码查看答复",
    )
    faq_consent = forms.BooleanField(
        label="同意答复后公开为常见问题（不公开姓名和联系方式）", required=False
    )

    def __init__(self, *args, member_org=None, **kwargs):
        super().__init__(*args, **kwargs)
        if member_org is not None:
            self.fields["org"].initial = member_org.pk
            self.fields.pop("contact")


class ReplyForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label="答复", max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))


class RatingForm(BootstrapMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label="满意度",
        coerce=int,
        choices=[(n, f"{n} 星") for n in range(RATING_MAX, 0, -1)],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="评价意见", max_length=300, required=False)


class TrackForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label="查询码", max_length=30)


class TopicForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="咨询事项", max_length=60)
    org = forms.ModelChoiceField(queryset=None, label="受理党组织")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)


class SurveyForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    org = forms.ModelChoiceField(queryset=None, label="发起党组织")
    intro = forms.CharField(
        label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    audience = forms.ChoiceField(label="对象", choices=Survey.Audience.choices)
    anonymous = forms.BooleanField(
        label="匿名（答卷与答卷人互不关联）", required=False, initial=True
    )
    satisfaction = forms.BooleanField(
        label="满意度测评（评分题的平均分计入考核指标）", required=False
    )
    opens_on = forms.DateField(label="开始日期", required=False, widget=DateInput)
    closes_on = forms.DateField(label="截止日期", required=False, widget=DateInput)
    questions = forms.CharField(
        label="题目",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "每行一题，题型写在方括号里，选项用“/”分隔：[单选] 总体评价：满意 / 基本满意 / 不满意；"
            "[多选] …；[填空] 意见和建议；[评分] 服务满意度；[矩阵] 各项评价：好 / 一般 / 差 | "
            "三会一课 / 党费收缴（竖线后为矩阵的行）"
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)

    def clean_questions(self) -> list[dict]:
        """The lines as question dicts for ``survey_create``; a line that cannot be read is
        an error naming it."""
        out, bad = [], []
        for n, line in enumerate(self.cleaned_data["questions"].splitlines(), 1):
            if not line.strip():
                continue
            m = LINE.match(line)
            kind = KIND_WORDS.get(m.group("kind")) if m else None
            if kind is None:
                bad.append(str(n))
                continue
            rest = m.group("rest")
            row = {"kind": kind, "text": rest.strip()}
            if kind in ("single", "multiple", "matrix"):
                parts = re.match(r"(?P<head>.+?)[:：](?P<tail>.*)$", rest)
                if parts is None:
                    bad.append(str(n))
                    continue
                opts, _, rows = parts.group("tail").partition("|")
                row["text"] = parts.group("head").strip()
                row["options"] = [o for o in SEP.split(opts.strip()) if o]
                if kind == "matrix":
                    row["rows"] = [r for r in SEP.split(rows.strip()) if r]
            if kind == "text":
                row["required"] = False
            out.append(row)
        if bad:
            raise forms.ValidationError(f"第 {'、'.join(bad)} 行格式不正确，请参照下方示例")
        return out


class TokensForm(BootstrapMixin, forms.Form):
    count = forms.IntegerField(label="口令数量", min_value=1, max_value=2000, initial=50)
