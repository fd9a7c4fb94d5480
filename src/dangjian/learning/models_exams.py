"""Question banks and exams (题库、试卷、答卷) and points (积分), issue 12 parts 6 and 7.

Imported at the end of ``learning.models`` so Django finds them; kept apart so the course
models stay short.

- A ``Question`` keeps its answer on the server: the paper a member gets (``Attempt.paper``)
  names questions and scores only; grading is ``exam_attempts.attempt_submit``.
- ``Exam`` draws a fixed list (``ExamItem``) or random questions by ``ExamRule``
  (category × kind × difficulty × count × score); each attempt freezes its own paper.
- ``PointRule`` is a view of the standards library's ``PNT-*`` rules (versioned, effective
  dates, edited in the library screens); ``PointEntry`` is the append-only ledger, once per
  (member, rule, source), a reversal a negative row pointing at what it reverses.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from dangjian.core.models import TimeStamped
from dangjian.core.scope import ScopedQuerySet
from dangjian.learning.base import MemberOwned, audience_q, user_ref
from dangjian.standards.models import Rule, RuleQuerySet


class QuestionBank(TimeStamped):
    """A bank of questions kept by an org (题库); staff of the org and above manage it."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所属组织"
    )
    title = models.CharField("题库名称", max_length=100)
    summary = models.CharField("说明", max_length=300, blank=True)
    created_by = user_ref("建立人")

    objects = ScopedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-id"]
        verbose_name = "题库"

    def __str__(self) -> str:
        return self.title


class Question(TimeStamped):
    """One question (试题). Options are lettered A, B, C …; ``answer`` holds the letters of
    the right options, or for a fill-in the accepted texts."""

    class Kind(models.TextChoices):
        SINGLE = "single", "单选题"
        MULTIPLE = "multiple", "多选题"
        TRUE_FALSE = "true_false", "判断题"
        FILL_IN = "fill_in", "填空题"

    class Difficulty(models.TextChoices):
        EASY = "easy", "容易"
        MEDIUM = "medium", "中等"
        HARD = "hard", "较难"

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField("题型", max_length=10, choices=Kind.choices)
    text = models.CharField("题干", max_length=1000)
    options = models.JSONField("选项", default=list, blank=True)
    answer = models.JSONField("答案", default=list)
    category = models.CharField("分类", max_length=50, blank=True)
    difficulty = models.CharField(
        "难度", max_length=10, choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    tags = models.CharField("标签", max_length=200, blank=True, help_text="以逗号分隔")
    explanation = models.CharField("解析", max_length=1000, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "bank__org__path"

    class Meta:
        ordering = ["bank", "id"]
        verbose_name = "试题"
        indexes = [
            models.Index(fields=["bank", "category", "kind", "difficulty"], name="learning_q_pool")
        ]

    def __str__(self) -> str:
        return self.text[:40]


class ExamQuerySet(ScopedQuerySet):
    def published_q(self, reach):
        """Published exams of the member's org or an org above it (as courses)."""
        return audience_q(reach.member_id)


class Exam(TimeStamped):
    """An exam (考试) for an org's subtree: a fixed paper or random rules, a time limit, a pass
    score, an attempt limit and an optional window; passing may complete a course's quiz."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    class Mode(models.TextChoices):
        FIXED = "fixed", "固定试题"
        RANDOM = "random", "随机组卷"

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="面向组织"
    )
    title = models.CharField("考试名称", max_length=100)
    mode = models.CharField("组卷方式", max_length=10, choices=Mode.choices, default=Mode.FIXED)
    bank = models.ForeignKey(
        QuestionBank,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exams",
        verbose_name="题库",
    )
    time_limit_min = models.PositiveSmallIntegerField("限时（分钟）", null=True, blank=True)
    pass_score = models.PositiveSmallIntegerField("及格分")
    attempts = models.PositiveSmallIntegerField("可考次数", default=1)
    opens_at = models.DateTimeField("开始时间", null=True, blank=True)
    closes_at = models.DateTimeField("截止时间", null=True, blank=True)
    course = models.ForeignKey(
        "learning.Course",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="通过后完成课程测验",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = user_ref("建立人")

    objects = ExamQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-id"]
        verbose_name = "考试"
        constraints = [
            models.CheckConstraint(
                condition=Q(attempts__gte=1),
                name="learning_exam_attempts_positive",
                violation_error_message="可考次数至少为 1",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True)
                | Q(opens_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="learning_exam_window",
                violation_error_message="截止时间须晚于开始时间",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ExamItem(models.Model):
    """A question of a fixed paper, with its score."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("序号", default=1)
    score = models.PositiveSmallIntegerField("分值")

    class Meta:
        ordering = ["exam", "position", "id"]
        verbose_name = "试卷试题"
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "question"],
                name="learning_exam_item_once",
                violation_error_message="该试题已在试卷中",
            )
        ]

    def __str__(self) -> str:
        return f"第 {self.position} 题（{self.score} 分）"


class ExamRule(models.Model):
    """A random draw: ``count`` questions of ``kind`` (and category, difficulty when given)
    from the exam's bank, each worth ``score``."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="rules")
    category = models.CharField("分类", max_length=50, blank=True)
    kind = models.CharField("题型", max_length=10, choices=Question.Kind.choices)
    difficulty = models.CharField(
        "难度", max_length=10, choices=Question.Difficulty.choices, blank=True
    )
    count = models.PositiveSmallIntegerField("题数")
    score = models.PositiveSmallIntegerField("每题分值")

    class Meta:
        ordering = ["exam", "id"]
        verbose_name = "抽题规则"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.count} 题 × {self.score} 分"


class Attempt(MemberOwned):
    """One sitting of a member at an exam (答卷). ``paper`` is the frozen list of
    ``{"question": id, "score": n}``; ``answers`` what the member saved so far."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="attempt_set")
    number = models.PositiveSmallIntegerField("第几次")
    paper = models.JSONField("试卷", default=list)
    answers = models.JSONField("作答", default=dict, blank=True)
    started_at = models.DateTimeField("开始时间")
    deadline_at = models.DateTimeField("限时截止", null=True, blank=True)
    saved_at = models.DateTimeField("最近保存", null=True, blank=True)
    submitted_at = models.DateTimeField("交卷时间", null=True, blank=True)
    late = models.BooleanField("超时按时限交卷", default=False)
    score = models.PositiveSmallIntegerField("得分", null=True, blank=True)
    total = models.PositiveSmallIntegerField("满分", default=0)
    passed = models.BooleanField("通过", null=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "答卷"
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "member", "number"],
                name="learning_attempt_number_once",
                violation_error_message="该次考试已开始",
            ),
            models.UniqueConstraint(
                fields=["exam", "member"],
                condition=Q(submitted_at__isnull=True),
                name="learning_one_open_attempt",
                violation_error_message="上一次考试尚未交卷",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None


# What a points rule may reward: verified deeds recorded by the platform, nothing else
# (no login, like, share or time online: RULES.md K, ANT-1 and ANT-2).
POINT_EVENTS = (
    ("course_completed", "学完课程"),
    ("exam_passed", "通过考试"),
)


class PointRuleQuerySet(RuleQuerySet):
    def points(self):
        return self.filter(code__startswith="PNT-")


class PointRule(Rule):
    """A points rule (积分规则): a ``PNT-*`` rule of the standards library, whose params say
    the ``event``, the ``points``, and the ``daily_cap`` and ``yearly_cap`` per member (0: no
    cap). Versioned with effective dates like every rule; loaded from
    ``learning/standards.toml``."""

    objects = PointRuleQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = "积分规则"

    @property
    def event(self) -> str:
        return str(self.params.get("event", ""))

    @property
    def points(self) -> int:
        return int(self.params.get("points", 0))

    @property
    def daily_cap(self) -> int:
        return int(self.params.get("daily_cap", 0) or 0)

    @property
    def yearly_cap(self) -> int:
        return int(self.params.get("yearly_cap", 0) or 0)


class PointEntry(MemberOwned):
    """One row of a member's points ledger (积分). Never changed or deleted: a correction is
    a reversal, a negative row naming the row it reverses."""

    year = models.PositiveSmallIntegerField("年度")
    awarded_on = models.DateField("记分日期")
    points = models.IntegerField("积分")
    title = models.CharField("事项", max_length=200)
    rule_code = models.CharField("依据规则", max_length=20)
    rule_version = models.PositiveIntegerField("规则版本")
    source_type = models.CharField("来源类型", max_length=50)
    source_id = models.PositiveBigIntegerField("来源编号")
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        verbose_name="冲销",
    )
    reason = models.CharField("冲销原因", max_length=200, blank=True)
    actor = user_ref("经办人")

    class Meta:
        ordering = ["-awarded_on", "-id"]
        verbose_name = "积分记录"
        indexes = [models.Index(fields=["member", "year"], name="learning_points_member_year")]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "rule_code", "source_type", "source_id"],
                condition=Q(reverses__isnull=True),
                name="learning_points_once_per_source",
                violation_error_message="该事项的积分已记入",
            ),
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(points__gt=0))
                | (Q(reverses__isnull=False) & Q(points__lt=0)),
                name="learning_points_sign",
                violation_error_message="积分为正；冲销为负",
            ),
        ]
