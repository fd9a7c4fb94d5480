"""Learning (学习教育): micro-courses and their lessons, server-measured study sessions and
progress, the study-hour ledger (学时) and EDU-6 exemptions.

Time credited is measured by the server (``learning.progress``); what a client sends is a
claim. Nothing here ranks people (RULES.md section K)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from dangjian.core.models import TimeStamped
from dangjian.core.scope import ScopedQuerySet
from dangjian.learning.base import MemberOwned, audience_q, user_ref


class CourseQuerySet(ScopedQuerySet):
    def published_q(self, reach):
        return audience_q(reach.member_id)

    def published(self):
        return self.filter(status=Course.Status.PUBLISHED)


class Course(TimeStamped):
    """A micro-course (微课堂) published to an org's subtree for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="面向组织"
    )
    title = models.CharField("课程名称", max_length=100)
    summary = models.CharField("简介", max_length=300, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    required = models.BooleanField("必修", default=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    reviewer = user_ref("审核发布人")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = user_ref("建立人")

    objects = CourseQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = "学习课程"
        indexes = [models.Index(fields=["org", "year"], name="learning_course_org_year")]

    def __str__(self) -> str:
        return self.title


class LessonQuerySet(ScopedQuerySet):
    def published_q(self, reach):
        return audience_q(reach.member_id, prefix="course__")


class Lesson(TimeStamped):
    """One lesson of a course: rich text, or a medium with its length."""

    class Kind(models.TextChoices):
        TEXT = "text", "图文"
        IMAGE = "image", "图片"
        AUDIO = "audio", "音频"
        VIDEO = "video", "视频"
        DOCUMENT = "document", "文档"
        QUIZ = "quiz", "小测验"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveSmallIntegerField("序号", default=1)
    title = models.CharField("课时名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    duration_s = models.PositiveIntegerField("时长（秒）", default=0)
    body = models.TextField("正文", blank=True)
    media = models.FileField("媒体文件", upload_to="learning/%Y/%m/", blank=True)
    media_type = models.CharField("文件类型", max_length=100, blank=True)

    objects = LessonQuerySet.as_manager()
    scope_path = "course__org__path"

    class Meta:
        ordering = ["course", "position", "id"]
        verbose_name = "课时"

    def __str__(self) -> str:
        return self.title

    @property
    def is_timed(self) -> bool:
        """Audio and video complete by position and credited time; others by dwell."""
        return self.kind in (self.Kind.AUDIO, self.Kind.VIDEO)


class StudySession(MemberOwned):
    """One sitting of one member at one lesson. At most one is active per member."""

    token = models.CharField(max_length=64, unique=True)
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="sessions")
    started_at = models.DateTimeField("开始时间")
    last_beat_at = models.DateTimeField("最近上报时间")
    position_s = models.FloatField("当前位置（秒）", default=0)
    credited_s = models.FloatField("本次计入（秒）", default=0)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "学习会话"
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(ended_at__isnull=True),
                name="learning_one_active_session",
                violation_error_message="同一党员同时只能有一个进行中的学习",
            )
        ]


class LessonProgress(MemberOwned):
    """A member's progress in a lesson, summed over sessions (学习进度)."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    credited_s = models.FloatField("计入时长（秒）", default=0)
    max_position_s = models.FloatField("最远位置（秒）", default=0)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "学习进度"
        constraints = [
            models.UniqueConstraint(
                fields=["member", "lesson"],
                name="learning_progress_once",
                violation_error_message="学习进度已存在",
            )
        ]


class StudyCredit(MemberOwned):
    """One row of the study-hour ledger (学时): hours a member earned in a year, where from
    and by which rule."""

    class Category(models.TextChoices):
        CONCENTRATED = "concentrated", "集中培训"
        ONLINE = "online", "网络学习"
        ORG_LIFE = "org_life", "组织生活"
        TRAINING_CLASS = "training_class", "培训班"

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已认定"

    year = models.PositiveSmallIntegerField("年度")
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    hours = models.DecimalField("学时", max_digits=6, decimal_places=2)
    title = models.CharField("事项", max_length=200)
    source_type = models.CharField("来源类型", max_length=50, blank=True)
    source_id = models.PositiveBigIntegerField("来源编号", null=True, blank=True)
    rule_code = models.CharField("依据规则", max_length=20, blank=True)
    rule_version = models.PositiveIntegerField("规则版本", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    approver = user_ref("认定人")
    approved_at = models.DateTimeField("认定时间", null=True, blank=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = "学时记录"
        indexes = [
            models.Index(fields=["member", "year"], name="learning_credit_member_year"),
            # Who earned hours from a course or class (a training track's progress).
            models.Index(fields=["source_type", "source_id"], name="learning_credit_source"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "source_type", "source_id"],
                condition=Q(source_id__isnull=False),
                name="learning_credit_once_per_source",
                violation_error_message="该事项的学时已记入",
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="learning_credit_hours_positive",
                violation_error_message="学时须大于 0",
            ),
        ]


class StudyExemption(MemberOwned):
    """EDU-6: an old, frail or sick member without a hard study-hour requirement for a
    year, with the reason and who decided."""

    year = models.PositiveSmallIntegerField("年度")
    reason = models.CharField("原因", max_length=200)
    approver = user_ref("批准人")

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = "学时豁免"
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="learning_exemption_once_a_year",
                violation_error_message="该党员本年度已登记豁免",
            )
        ]


# --- Training classes (培训班) and outside training records (issue 12, parts 3 and 5) ---


class TrainingQuerySet(ScopedQuerySet):
    def published_q(self, reach):
        """A member sees the classes they are on the list of."""
        if not reach.member_id:
            return Q(pk__in=[])
        return Q(
            pk__in=TrainingAttendance.objects.filter(member_id=reach.member_id).values(
                "training_id"
            )
        )


class TrainingClass(TimeStamped):
    """A training class a branch or committee runs (集中培训, 专题党课, 上级调训): plan,
    notice, sign-in as at a meeting, attendance, hours by LRN-5, absence limit LRN-3."""

    class Kind(models.TextChoices):
        CONCENTRATED = "concentrated", "集中培训"
        LECTURE = "lecture", "专题党课"
        DISPATCHED = "dispatched", "上级调训"

    class Status(models.TextChoices):
        PLANNED = "planned", "计划"
        NOTIFIED = "notified", "已通知"
        CANCELLED = "cancelled", "已取消"

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="举办组织"
    )
    title = models.CharField("培训班名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.CONCENTRATED)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="planned")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=200, blank=True)
    hours = models.DecimalField("学时", max_digits=6, decimal_places=2)
    notice = models.TextField("培训通知", blank=True)
    notified_at = models.DateTimeField("通知时间", null=True, blank=True)
    sign_in_code = models.CharField("签到码", max_length=6, blank=True)
    sign_in_token = models.CharField(max_length=40, blank=True, editable=False)
    sign_in_opens_at = models.DateTimeField("签到开始", null=True, blank=True)
    sign_in_closes_at = models.DateTimeField("签到截止", null=True, blank=True)
    rule_version = models.PositiveIntegerField("学时规则版本", null=True, blank=True)
    created_by = user_ref("建立人")

    objects = TrainingQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = "培训班"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="learning_training_ends_after_start",
                violation_error_message="结束时间须晚于开始时间",
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="learning_training_hours_positive",
                violation_error_message="学时须大于 0",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TrainingAttendance(MemberOwned):
    """A member on a training class's list: signed in (QR / code, as at meetings) or marked
    by the organizer, with the hours missed (LRN-3) and the hours credited (LRN-5)."""

    class Status(models.TextChoices):
        EXPECTED = "expected", "待参加"
        PRESENT = "present", "出席"
        LEAVE = "leave", "请假"
        ABSENT = "absent", "缺席"

    training = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(
        "出席情况", max_length=10, choices=Status.choices, default=Status.EXPECTED
    )
    channel = models.CharField("签到方式", max_length=10, blank=True)
    signed_at = models.DateTimeField("签到时间", null=True, blank=True)
    absent_hours = models.DecimalField("缺课学时", max_digits=6, decimal_places=2, default=0)
    credited_hours = models.DecimalField("认定学时", max_digits=6, decimal_places=2, default=0)

    class Meta:
        ordering = ["training", "member__org__path", "member__name", "id"]
        verbose_name = "培训班出勤"
        constraints = [
            models.UniqueConstraint(
                fields=["training", "member"],
                name="learning_training_attendance_once",
                violation_error_message="该党员已在培训班名单中",
            )
        ]


class TrainingSession(TimeStamped):
    """One session (课次) of a class that runs over several half-days: its own time and hours
    (LRN-5). A class with sessions takes attendance per session; the hours a member missed
    are the hours of the sessions they did not attend (LRN-3)."""

    training = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField("课次", max_length=100)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    hours = models.DecimalField("学时", max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = "培训课次"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="learning_session_ends_after_start",
                violation_error_message="结束时间须晚于开始时间",
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="learning_session_hours_positive",
                violation_error_message="学时须大于 0",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TrainingSessionAttendance(models.Model):
    """A member present at one session: signed in (QR / code) or ticked by the organizer.
    Absence is the lack of a row."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="presences")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name="党员"
    )
    channel = models.CharField("签到方式", max_length=10, blank=True)
    signed_at = models.DateTimeField("签到时间")

    class Meta:
        verbose_name = "课次出勤"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"],
                name="learning_session_presence_once",
                violation_error_message="该党员已登记本课次出勤",
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.member_id}"


class TrainingMaterialQuerySet(ScopedQuerySet):
    def published_q(self, reach):
        """A member sees the materials of the classes they are on the list of."""
        if not reach.member_id:
            return Q(pk__in=[])
        return Q(
            training_id__in=TrainingAttendance.objects.filter(member_id=reach.member_id).values(
                "training_id"
            )
        )


class TrainingMaterial(TimeStamped):
    """A file handed out at a training class (讲义、课件)."""

    training = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField("资料名称", max_length=100)
    file = models.FileField("文件", upload_to="learning/training/%Y/%m/")
    content_type = models.CharField("文件类型", max_length=100, blank=True)

    objects = TrainingMaterialQuerySet.as_manager()
    scope_path = "training__org__path"

    class Meta:
        ordering = ["training", "id"]
        verbose_name = "培训资料"


class OutsideRecord(MemberOwned):
    """Training a member took outside the platform (外出培训), filed with evidence and
    approved or rejected by the branch; approval writes the ledger row."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已认定"
        REJECTED = "rejected", "未认定"

    title = models.CharField("培训名称", max_length=100)
    organizer = models.CharField("举办单位", max_length=100)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    hours = models.DecimalField("申报学时", max_digits=6, decimal_places=2)
    evidence = models.FileField("证明材料", upload_to="learning/outside/%Y/%m/")
    evidence_type = models.CharField("文件类型", max_length=100, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="pending")
    approver = user_ref("审核人")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    reject_reason = models.CharField("未认定原因", max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "外出培训记录"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="learning_outside_dates_order",
                violation_error_message="结束日期不能早于开始日期",
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="learning_outside_hours_positive",
                violation_error_message="学时须大于 0",
            ),
        ]


# Question banks, exams and points (issue 12, parts 6 and 7): their own module.
from dangjian.learning.models_exams import (  # noqa: E402, F401
    Attempt,
    Exam,
    ExamItem,
    ExamRule,
    PointEntry,
    PointRule,
    Question,
    QuestionBank,
)
