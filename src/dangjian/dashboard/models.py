"""The 驾驶舱's kept figures: one row per org, year and panel (``PanelFigure``), rebuilt by
the worker when a watched record changes and nightly, and read by every dashboard request;
``Rebuild`` records when a year was last rebuilt and whether it has gone stale since."""

from __future__ import annotations

from django.db import models

from dangjian.core.scope import ScopedQuerySet


class PanelFigure(models.Model):
    """The figures of one panel for one org's subtree in one year, as numbers (rates in
    percent, ``None`` for 缺项). Written only by ``services.figures_rebuild``."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.CASCADE, related_name="+", verbose_name="党组织"
    )
    year = models.PositiveSmallIntegerField("年度")
    panel = models.CharField("面板", max_length=40)
    figures = models.JSONField("数据", default=dict)

    objects = ScopedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        verbose_name = "驾驶舱数据"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "org", "panel"], name="panel_figure_one_per_org_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} {self.panel}"


class Rebuild(models.Model):
    """The last rebuild of a year's figures; ``stale_since`` is set when a watched record
    changed after it (the worker then rebuilds the year)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    built_at = models.DateTimeField("更新时间", null=True, blank=True)
    as_of = models.DateField("数据截止日期", null=True, blank=True)
    seconds = models.FloatField("用时（秒）", default=0)
    rows = models.PositiveIntegerField("数据行数", default=0)
    stale_since = models.DateTimeField("待更新（自）", null=True, blank=True)

    class Meta:
        verbose_name = "驾驶舱数据更新"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.built_at}"
