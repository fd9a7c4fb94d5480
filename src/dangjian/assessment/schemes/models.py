"""Assessment schemes (考核方案): an indicator tree per assessing org and year, and the scores
of its targets. Imported by ``assessment/models.py`` so Django finds the models.

A scheme is versioned like a standard: it is drafted, published with the date it takes
effect, revised into a new version (the old one is superseded from the new one's date) and
closed at the end of the year, when the automatic values are frozen with that date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from dangjian.core.models import TimeStamped
from dangjian.core.scope import ScopedQuerySet, lineage, reach_q

TARGET_KINDS = (
    ("branch", "党支部"),
    ("general_branch", "党总支"),
    ("committee", "党委"),
)


class SchemeQuerySet(ScopedQuerySet):
    def published_q(self, reach):
        # The managers of an org that scores an indicator see the scheme they score in; the
        # managers of an org under a published scheme's org see the scheme they are assessed by
        # (their own rows only: ``results.limit_to_reach``).
        if not reach.paths:
            return Q(pk__in=[])
        scoring = Indicator.objects.filter(reach_q("scoring_org__path", reach.paths))
        above = {p for path in reach.paths for p in lineage(path)}
        assessed = Q(org__path__in=above, status__in=["published", "closed"])
        return Q(pk__in=scoring.values("scheme_id")) | assessed


class ScoreQuerySet(ScopedQuerySet):
    def published_q(self, reach):
        # The managers of the org that scores an indicator reach its scores (to review).
        if not reach.paths:
            return Q(pk__in=[])
        return reach_q("indicator__scoring_org__path", reach.paths)


class Scheme(TimeStamped):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        SUPERSEDED = "superseded", "已被新版本替代"
        CLOSED = "closed", "已结束"

    class TargetKind(models.TextChoices):
        BRANCH = TARGET_KINDS[0]
        GENERAL_BRANCH = TARGET_KINDS[1]
        COMMITTEE = TARGET_KINDS[2]

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="考核组织"
    )
    title = models.CharField("方案名称", max_length=200)
    year = models.PositiveSmallIntegerField("考核年度")
    target_kind = models.CharField("考核对象", max_length=20, choices=TargetKind.choices)
    version = models.PositiveSmallIntegerField("版本", default=1)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name="修订自",
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default="draft")
    effective_from = models.DateField("生效日期", null=True, blank=True)
    effective_to = models.DateField("失效日期", null=True, blank=True)
    closed_on = models.DateField("结束日期（自动取值冻结日）", null=True, blank=True)
    bands = models.JSONField("等次划分", default=list, blank=True)
    description = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = SchemeQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-year", "org", "target_kind", "-version"]
        verbose_name = "考核方案"
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "target_kind", "version"],
                name="scheme_unique_version",
                violation_error_message="本组织本年度已有该版本的考核方案",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=False, effective_to__gte=F("effective_from")),
                name="scheme_effective_range",
                violation_error_message="失效日期不能早于生效日期",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.year}年，第{self.version}版）"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Indicator(models.Model):
    """One node of a scheme's indicator tree. A node with children is a heading; the leaves
    are scored. ``weight`` multiplies the leaf's score in the total."""

    class Method(models.TextChoices):
        AUTO = "auto", "自动（平台数据）"
        MANUAL = "manual", "评分（按标准）"
        EVIDENCE = "evidence", "核验材料评分"
        SURVEY = "survey", "问卷满意度"
        DEDUCTION = "deduction", "扣分项"

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField("编号", max_length=20)
    title = models.CharField("指标", max_length=200)
    weight = models.DecimalField("权重", max_digits=6, decimal_places=2, default=1)
    max_score = models.DecimalField("满分", max_digits=7, decimal_places=2)
    method = models.CharField("评分方式", max_length=10, choices=Method.choices)
    metric = models.CharField("平台指标", max_length=80, blank=True)
    mapping = models.JSONField("取值换算", default=dict, blank=True)
    criteria = models.TextField("评分标准", blank=True)
    scoring_org = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="评分组织",
    )
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "sort", "id"]
        verbose_name = "考核指标"
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                name="indicator_unique_code",
                violation_error_message="同一方案中指标编号不能重复",
            ),
            models.CheckConstraint(
                condition=Q(max_score__gt=0),
                name="indicator_max_positive",
                violation_error_message="满分须大于0",
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="indicator_weight_positive",
                violation_error_message="权重须大于0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_automatic(self) -> bool:
        return self.method in (self.Method.AUTO, self.Method.SURVEY)


class Score(TimeStamped):
    """A target's score on one indicator: a manual score (with its scorer and reviewer) or an
    automatic value frozen when the scheme closed. A missing score (缺项) is no row."""

    class Status(models.TextChoices):
        AUTO = "auto", "自动取值"
        SCORED = "scored", "已评分"
        REVIEWED = "reviewed", "已复核"
        MISSING = "missing", "缺项"

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="scores")
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="考核对象"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    score = models.DecimalField("得分", max_digits=7, decimal_places=2)
    value = models.DecimalField("取值", max_digits=12, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    source_url = models.CharField("数据来源", max_length=300, blank=True)
    frozen_on = models.DateField("冻结日期", null=True, blank=True)
    comment = models.TextField("评分说明", blank=True)
    evidence = models.TextField("佐证（可选）", blank=True)
    scorer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="评分人",
    )
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="复核人",
    )
    reviewed_at = models.DateTimeField("复核时间", null=True, blank=True)
    review_note = models.CharField("复核意见", max_length=300, blank=True)

    objects = ScoreQuerySet.as_manager()
    scope_path = "scheme__org__path"

    class Meta:
        ordering = ["scheme", "indicator", "org"]
        verbose_name = "考核得分"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "org"],
                name="score_unique_target",
                violation_error_message="该对象的这项指标已有得分",
            ),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | ~Q(reviewer=F("scorer")),
                name="score_reviewer_not_scorer",
                violation_error_message="评分人与复核人须为不同的人",
            ),
            models.CheckConstraint(
                condition=~Q(status="missing"),
                name="score_missing_not_stored",
                violation_error_message="缺项不保存为得分",
            ),
        ]
        indexes = [models.Index(fields=["scheme", "org"], name="score_scheme_org_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.org_id} {self.score}"
