"""Forms of the exam pages. They only gather input; ``exam_services`` validates the rules."""

from __future__ import annotations

from django import forms

from dangjian.core.forms import BootstrapMixin
from dangjian.core.scope import org_tree
from dangjian.learning.models import Course, Exam, Question, QuestionBank

ANY = [("", "不限")]


class BankForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="题库名称", max_length=100)
    org = forms.ModelChoiceField(queryset=None, label="所属组织")
    summary = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)


class QuestionForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="题型", choices=Question.Kind.choices)
    text = forms.CharField(label="题干", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    options = forms.CharField(
        label="选项",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="选择题每行一个选项，依次为 A、B、C…；判断题、填空题不填",
    )
    answer = forms.CharField(
        label="答案",
        max_length=300,
        help_text=(
            "选择题填字母（多选如 AC）；判断题填“对”或“错”；填空题填答案，多个可接受答案用“|”分隔"
        ),
    )
    category = forms.CharField(label="分类", max_length=50, required=False)
    difficulty = forms.ChoiceField(
        label="难度", choices=Question.Difficulty.choices, initial=Question.Difficulty.MEDIUM
    )
    tags = forms.CharField(label="标签", max_length=200, required=False, help_text="以逗号分隔")
    score = forms.IntegerField(
        label="本卷分值", min_value=1, max_value=100, required=False, help_text="加入试卷时的分值"
    )

    def spec(self) -> dict:
        d = self.cleaned_data
        answer = d["answer"].strip()
        if d["kind"] == Question.Kind.FILL_IN:
            answers = [a for a in answer.split("|") if a.strip()]
        elif d["kind"] == Question.Kind.TRUE_FALSE:
            answers = [answer]
        else:
            answers = [c for c in answer.replace(",", "").replace("，", "").replace(" ", "")]
        return {
            "kind": d["kind"],
            "text": d["text"],
            "options": [line.strip() for line in d["options"].splitlines() if line.strip()],
            "answer": answers,
            "category": d["category"],
            "difficulty": d["difficulty"],
            "tags": d["tags"],
        }


class ExamForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="考试名称", max_length=100)
    org = forms.ModelChoiceField(queryset=None, label="面向组织", help_text="含下级组织")
    mode = forms.ChoiceField(label="组卷方式", choices=Exam.Mode.choices)
    bank = forms.ModelChoiceField(
        queryset=None, label="题库", required=False, help_text="随机组卷必选；固定试题可不选"
    )
    pass_score = forms.IntegerField(label="及格分", min_value=0, max_value=10_000, initial=60)
    attempts = forms.IntegerField(label="可考次数", min_value=1, max_value=20, initial=2)
    time_limit_min = forms.IntegerField(
        label="限时（分钟）", min_value=1, max_value=600, required=False, help_text="不填为不限时"
    )
    opens_at = forms.DateTimeField(
        label="开始时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    closes_at = forms.DateTimeField(
        label="截止时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    course = forms.ModelChoiceField(
        queryset=None,
        label="关联课程",
        required=False,
        help_text="通过考试即完成该课程的测验课时，并按 LRN-4 另计学时",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)
        self.fields["bank"].queryset = QuestionBank.objects.manageable_by(user).order_by("-id")
        self.fields["course"].queryset = (
            Course.objects.manageable_by(user)
            .filter(status=Course.Status.PUBLISHED)
            .order_by("-year", "-id")
        )


class ExamEditForm(ExamForm):
    """A draft's settings: its org, mode and bank stay (the paper rests on them)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name in ("org", "mode", "bank"):
            del self.fields[name]

    @staticmethod
    def initial_of(exam: Exam) -> dict:
        return {
            "title": exam.title,
            "pass_score": exam.pass_score,
            "attempts": exam.attempts,
            "time_limit_min": exam.time_limit_min,
            "opens_at": exam.opens_at,
            "closes_at": exam.closes_at,
            "course": exam.course,
        }


class ExamRuleForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="题型", choices=Question.Kind.choices)
    category = forms.CharField(label="分类", max_length=50, required=False, help_text="不填为不限")
    difficulty = forms.ChoiceField(
        label="难度", choices=ANY + list(Question.Difficulty.choices), required=False
    )
    count = forms.IntegerField(label="题数", min_value=1, max_value=200)
    score = forms.IntegerField(label="每题分值", min_value=1, max_value=100)


class ListFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label="关键词", required=False)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *Exam.Status.choices]
    )


class QuestionFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label="关键词", required=False)
    kind = forms.ChoiceField(
        label="题型", required=False, choices=[("", "全部题型"), *Question.Kind.choices]
    )
