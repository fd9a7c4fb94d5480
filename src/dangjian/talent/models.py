"""人才库 and 培训 for party-affairs staff (issue 16, parts 1 and 2).

- ``Skill``: the managed vocabulary of skills (网络技术, 信息安全, 新媒体 …).
- ``Talent``: one member's place in the talent pool (人才库): nominated by their org, reviewed
  by the org above, re-confirmed every year or retired. Personal data is minimal: the member
  record holds the person; a talent adds skills, free tags, certificates and the member's
  consent (个人信息保护法). The training record is read from learning, never retyped (ANT-4).
- ``Certificate``: a certificate with its expiry; ``Assignment``: what a talent was assigned
  to (a joint initiative of work, publicity work, the opinion watch) and what they did.
- ``Track``: a training track for party-affairs staff (培训专题): learning courses and training
  classes (``TrackItem``) with the hours required per role (``TrackHours``).

Nothing here ranks people (RULES.md section K)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangjian.core.models import TimeStamped
from dangjian.core.scope import ScopedQuerySet, lineage
from dangjian.orgs.models import Position


def user_ref(label: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


class Skill(models.Model):
    """One word of the managed skill vocabulary (not org-owned: one list for the platform)."""

    name = models.CharField("技能", max_length=30, unique=True)
    sort = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = "技能"

    def __str__(self) -> str:
        return self.name


class Talent(TimeStamped):
    class Status(models.TextChoices):
        NOMINATED = "nominated", "待审核"
        ADMITTED = "admitted", "在库"
        DECLINED = "declined", "未通过"
        RETIRED = "retired", "已退出"

    class Availability(models.TextChoices):
        AVAILABLE = "available", "可承担任务"
        LIMITED = "limited", "时间有限"
        UNAVAILABLE = "unavailable", "暂不可用"

    class Consent(models.TextChoices):
        MEMBER = "member", "本人在平台确认"
        WRITTEN = "written", "书面同意（提名组织登记）"

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name="党员"
    )
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="提名组织"
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.NOMINATED
    )
    skills = models.ManyToManyField(Skill, related_name="talents", verbose_name="技能")
    tags = models.CharField("其他专长", max_length=200, blank=True, help_text="以顿号分隔")
    reason = models.TextField("提名理由")
    availability = models.CharField(
        "可用状态", max_length=12, choices=Availability.choices, default=Availability.AVAILABLE
    )
    consent_on = models.DateField("本人同意日期", null=True, blank=True)
    consent_by = models.CharField("同意方式", max_length=10, choices=Consent.choices, blank=True)
    nominated_by = user_ref("提名人")
    reviewed_by = user_ref("审核人")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=500, blank=True)
    confirmed_on = models.DateField("最近复核日期", null=True, blank=True)
    retired_on = models.DateField("退出日期", null=True, blank=True)
    retire_reason = models.CharField("退出原因", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "member__org__path"
    scope_member = "member"

    class Meta:
        ordering = ["member__name_pinyin", "id"]
        verbose_name = "人才"
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status__in=["nominated", "admitted"]),
                name="talent_one_open_per_member",
                violation_error_message="该党员已被提名或已在人才库中",
            )
        ]
        indexes = [models.Index(fields=["status", "availability"], name="talent_status_idx")]

    def __str__(self) -> str:
        return f"人才库：{self.member}"

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split("、") if t]


class Certificate(TimeStamped):
    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="certificates")
    name = models.CharField("证书名称", max_length=100)
    issuer = models.CharField("发证机构", max_length=100, blank=True)
    issued_on = models.DateField("发证日期", null=True, blank=True)
    expires_on = models.DateField("有效期至", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "talent__member__org__path"
    scope_member = "talent__member"

    class Meta:
        ordering = ["talent", "expires_on", "id"]
        verbose_name = "证书"
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="talent_certificate_dates",
                violation_error_message="有效期不能早于发证日期",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Assignment(TimeStamped):
    class Kind(models.TextChoices):
        INITIATIVE = "initiative", "融合项目"
        PUBLICITY = "publicity", "宣传工作"
        OPINION = "opinion", "舆情研判"
        OTHER = "other", "其他任务"

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="assignments")
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="安排组织"
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    initiative = models.ForeignKey(
        "work.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="融合项目",
    )
    title = models.CharField("任务", max_length=200)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    outcome = models.TextField("完成情况", blank=True)
    assigned_by = user_ref("安排人")

    objects = ScopedQuerySet.as_manager()
    scope_path = "talent__member__org__path"
    scope_member = "talent__member"

    class Meta:
        ordering = ["talent", "-started_on", "-id"]
        verbose_name = "人才任务"

    def __str__(self) -> str:
        return self.title


class TrackQuerySet(ScopedQuerySet):
    def published_q(self, reach):
        """Party-affairs staff see the tracks set by the orgs above them (they are trained by
        them); the gate's subtree part gives the tracks of their own orgs."""
        paths = {p for path in reach.paths for p in lineage(path)}
        return Q(org__path__in=sorted(paths)) if paths else Q(pk__in=[])


class Track(TimeStamped):
    """A training track for party-affairs staff (培训专题)."""

    class Topic(models.TextChoices):
        NETWORK = "network", "网络技术"
        SECURITY = "security", "信息安全"
        NEW_MEDIA = "new_media", "新媒体"
        OPINION = "opinion", "舆情研判"
        OTHER = "other", "其他"

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="设置组织"
    )
    title = models.CharField("专题名称", max_length=100)
    topic = models.CharField("方向", max_length=12, choices=Topic.choices)
    year = models.PositiveSmallIntegerField("年度")
    summary = models.CharField("说明", max_length=500, blank=True)
    created_by = user_ref("建立人")

    objects = TrackQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = "培训专题"
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "title"],
                name="talent_track_unique_title",
                violation_error_message="该组织本年度已有同名培训专题",
            )
        ]

    def __str__(self) -> str:
        return self.title


class TrackItem(models.Model):
    """A learning course or a training class that counts towards a track."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="items")
    course = models.ForeignKey(
        "learning.Course",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="课程",
    )
    training = models.ForeignKey(
        "learning.TrainingClass",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="培训班",
    )

    class Meta:
        ordering = ["track", "id"]
        verbose_name = "专题内容"
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False, training__isnull=True)
                | Q(course__isnull=True, training__isnull=False),
                name="talent_track_item_one_source",
                violation_error_message="每项内容须是一门课程或一个培训班",
            ),
            models.UniqueConstraint(
                fields=["track", "course"],
                name="talent_track_course_once",
                violation_error_message="该课程已在专题中",
            ),
            models.UniqueConstraint(
                fields=["track", "training"],
                name="talent_track_training_once",
                violation_error_message="该培训班已在专题中",
            ),
        ]

    def __str__(self) -> str:
        return str(self.course or self.training)


class TrackHours(models.Model):
    """The hours a track requires of the holders of one role (书记、组织委员、党务工作者 …)."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="hours")
    role = models.CharField("职务", max_length=20, choices=Position.Role.choices)
    hours = models.DecimalField("应完成学时", max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["track", "role"]
        verbose_name = "专题学时要求"
        constraints = [
            models.UniqueConstraint(
                fields=["track", "role"],
                name="talent_track_role_once",
                violation_error_message="该职务的学时要求已设置",
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="talent_track_hours_positive",
                violation_error_message="学时须大于 0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.hours} 学时"
