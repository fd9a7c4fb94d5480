"""党内统计: the annual tables of an org as generated (``AnnualReport``), kept per year."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dangjian.core.models import TimeStamped
from dangjian.core.scope import ScopedQuerySet


class AnnualReport(TimeStamped):
    """The tables of one org's subtree for one year, as generated: figures and checks are kept
    as they came out, so a later change of the rolls does not rewrite a past year."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="党组织"
    )
    year = models.PositiveSmallIntegerField("年度")
    as_of = models.DateField("统计截止日期")
    figures = models.JSONField("统计数", default=dict)
    checks = models.JSONField("校核结果", default=list)
    passed = models.BooleanField("校核通过", default=False)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="生成人",
    )
    generated_at = models.DateTimeField("生成时间")
    times = models.PositiveIntegerField("生成次数", default=1)

    objects = ScopedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["org__path", "-year"]
        verbose_name = "党内统计年报"
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year"],
                name="annual_report_one_per_org_year",
                violation_error_message="该组织该年度的党内统计已生成",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year}年党内统计"
