"""Assessment: the general rectification list (整改清单), reusable by any source record.

A rectification points at what it came from through a generic link (content type + object
id): a 组织生活会, a 民主评议 entry, later an inspection or an assessment score.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from dangjian.core.models import TimeStamped
from dangjian.core.scope import ScopedQuerySet


class RectificationQuerySet(ScopedQuerySet):
    def open(self):
        return self.exclude(status=Rectification.Status.VERIFIED)

    def for_source(self, obj):
        return self.filter(
            source_type=ContentType.objects.get_for_model(type(obj)), source_id=obj.pk
        )


class Rectification(TimeStamped):
    class Status(models.TextChoices):
        OPEN = "open", "整改中"
        SUBMITTED = "submitted", "待验收"
        VERIFIED = "verified", "已销号"

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="rectifications", verbose_name="党组织"
    )
    item = models.CharField("整改事项", max_length=300)
    detail = models.TextField("问题描述", blank=True)
    owner = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name="责任人",
    )
    deadline = models.DateField("整改期限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    evidence = models.TextField("整改情况", blank=True)
    evidence_file = models.FileField("佐证材料", upload_to="rectifications/%Y/", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="验收人",
    )
    verified_at = models.DateTimeField("验收时间", null=True, blank=True)
    verification_note = models.CharField("验收意见", max_length=300, blank=True)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField("来源", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = RectificationQuerySet.as_manager()
    scope_path = "org__path"
    scope_member = "owner"

    class Meta:
        ordering = ["status", "deadline", "id"]
        verbose_name = "整改事项"
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="rectification_source_idx"),
            models.Index(fields=["org", "status", "deadline"], name="rectification_org_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source_type__isnull=True, source_id__isnull=True)
                | Q(source_type__isnull=False, source_id__isnull=False),
                name="rectification_source_complete",
                violation_error_message="来源类型与来源编号须同时填写",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False),
                name="rectification_verified_has_time",
                violation_error_message="销号须记录验收时间",
            ),
        ]

    def __str__(self) -> str:
        return self.item

    def is_overdue(self, today) -> bool:
        return self.status != self.Status.VERIFIED and self.deadline < today


# Assessment schemes, indicators and scores (issue 13, parts 1-2).
from dangjian.assessment.schemes.models import Indicator, Scheme, Score  # noqa: E402, F401

# Supervision: inspections, duty reports, talks and accountability (issue 13, parts 3-5).
from dangjian.assessment.supervision.models import (  # noqa: E402, F401
    Accountability,
    DutyBallot,
    DutyReport,
    DutyVoter,
    Inspection,
    InspectionItem,
    InspectionTarget,
    InspectionVisit,
    Talk,
)
