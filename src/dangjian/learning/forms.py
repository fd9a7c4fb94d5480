"""Forms of the learning pages. They only gather input; the services validate the rules."""

from __future__ import annotations

from django import forms

from dangjian.core.forms import BootstrapMixin
from dangjian.core.scope import org_tree
from dangjian.learning.models import Course, Lesson


class CourseForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="课程名称", max_length=100)
    org = forms.ModelChoiceField(
        queryset=None, label="面向组织", help_text="本组织及下级组织的党员均可学习"
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    required = forms.BooleanField(label="必修课程", required=False)
    summary = forms.CharField(label="简介", max_length=300, required=False)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)
        if editing:
            del self.fields["org"]


class LessonForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="课时名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=Lesson.Kind.choices)
    duration_s = forms.IntegerField(
        label="时长（秒）",
        min_value=0,
        max_value=6 * 3600,
        required=False,
        help_text="音频、视频必填；图文可不填",
    )
    body = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="可使用段落、标题、列表、加粗等格式；保存时自动清除不安全的内容",
    )
    media = forms.FileField(
        label="媒体文件",
        required=False,
        help_text="图片 PNG/JPEG、音频 WAV/MP3、视频 MP4/WebM、文档 PDF；按文件内容识别类型",
    )


class CourseFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label="关键词", required=False)
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *Course.Status.choices]
    )


class ExemptionForm(BootstrapMixin, forms.Form):
    member = forms.ModelChoiceField(queryset=None, label="党员")
    reason = forms.CharField(label="原因", max_length=200, help_text="如：年老体弱、长期患病")

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
