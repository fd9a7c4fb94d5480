"""The standards library: regulations and local rules (versioned), and their machine rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangjian.core.models import TimeStamped


class Standard(TimeStamped):
    """A regulation, a local rule, or a procedure (一件事) document."""

    class Category(models.TextChoices):
        REGULATION = "regulation", "党内法规"
        LOCAL = "local", "本地制度"
        PROCEDURE = "procedure", "一件事流程"

    class Status(models.TextChoices):
        IN_FORCE = "in_force", "现行有效"
        SUPERSEDED = "superseded", "已废止/被替代"
        DRAFT = "draft", "草案"

    code = models.CharField("简称代码", max_length=40, unique=True)
    title = models.CharField("标题", max_length=200)
    short_name = models.CharField("简称", max_length=40)
    issuer = models.CharField("制定机关", max_length=100, blank=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    version = models.CharField("版本", max_length=40, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.IN_FORCE
    )
    summary = models.TextField("摘要", blank=True)

    class Meta:
        ordering = ["category", "code"]
        verbose_name = "标准"

    def __str__(self) -> str:
        return self.title


class Article(models.Model):
    """One article (条) of a standard, with its text."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="articles")
    number = models.CharField("条款", max_length=40)  # e.g. "第十一条", "第五章"
    text = models.TextField("条文", blank=True)
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["standard", "sort", "id"]
        verbose_name = "条款"
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="article_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.standard.short_name} {self.number}"


class RuleQuerySet(models.QuerySet):
    def in_force(self, on):
        """Versions in force on date ``on`` (one per code)."""
        return self.filter(effective_from__lte=on).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=on)
        )

    def current(self):
        return self.filter(effective_to__isnull=True)


class Rule(TimeStamped):
    """One machine-checkable requirement, versioned: an edit makes a new version.

    ``checker`` names a function registered in an app's ``rules.py``; ``params`` holds the
    numbers, validated against that checker's declared schema. A version runs from
    ``effective_from`` up to (not including) ``effective_to``; where versions overlap on a
    date, the highest version in force that day wins (``selectors.rule_in_force``).
    """

    class Verification(models.TextChoices):
        V = "V", "条文原文"
        P = "P", "数字确认、条款待核"
        L = "L", "地方惯例/默认值，可调整"

    class Severity(models.TextChoices):
        INFO = "info", "提示"
        WARNING = "warning", "警告"
        VIOLATION = "violation", "违规"

    code = models.CharField("规则编号", max_length=20, db_index=True)
    version = models.PositiveIntegerField("版本", default=1)
    title = models.CharField("规则", max_length=200)
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="rules")
    article = models.CharField("条款", max_length=60, blank=True)
    verification = models.CharField("核实状态", max_length=1, choices=Verification.choices)
    checker = models.CharField("检查器", max_length=60, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    applies_to = models.JSONField("适用范围", default=dict, blank=True)
    severity = models.CharField(
        "严重程度", max_length=10, choices=Severity.choices, default=Severity.VIOLATION
    )
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    enabled = models.BooleanField("启用", default=True)
    description = models.TextField("说明", blank=True)
    change_reason = models.CharField("修改原因", max_length=200, blank=True)
    is_local_edit = models.BooleanField("本地修改", default=False)
    source_digest = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RuleQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = "规则"
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="rule_unique_version"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gt=models.F("effective_from")),
                name="rule_effective_range",
                violation_error_message="失效日期须晚于生效日期",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version} {self.title}"


class KeptFinding(models.Model):
    """One evaluated finding kept for the pages (the heat map, the board, the workbench):
    per year evaluated, rule, org, period (and member). Written in bulk by
    ``standards.kept.store`` (an upsert, then the rows it did not write are deleted), so
    the pages read a table instead of evaluating every rule."""

    year = models.PositiveSmallIntegerField("评估年度")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    # The branch the finding counts for on the heat map (a group's: its branch; empty for
    # committees and general branches, whose own findings are listed apart).
    branch = models.ForeignKey(
        "orgs.Org", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rule_code = models.CharField("规则编号", max_length=20)
    rule_version = models.PositiveIntegerField("版本")
    rule_title = models.CharField("规则", max_length=200)
    citation = models.CharField("依据", max_length=200, blank=True)
    severity = models.CharField("严重程度", max_length=10, blank=True)
    period = models.CharField("期间", max_length=10)
    member_id = models.PositiveIntegerField("党员", default=0)  # 0: a finding about the org
    member_name = models.CharField("党员姓名", max_length=100, blank=True)
    status = models.CharField("状态", max_length=10)
    expected = models.JSONField("应达到", null=True, blank=True)
    actual = models.JSONField("实际", null=True, blank=True)
    message = models.TextField("说明", blank=True)
    link = models.CharField("办理链接", max_length=300, blank=True)
    due_on = models.DateField("截止日期", null=True, blank=True)
    org_name = models.CharField("组织名称", max_length=200, blank=True)
    evaluated_at = models.DateTimeField("评估时间")

    class Meta:
        verbose_name = "评估结果"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "org", "rule_code", "period", "member_id"],
                name="kept_finding_unique",
            )
        ]
        indexes = [
            models.Index(fields=["year", "branch", "rule_code", "status"]),
            # The workbench's rows of some statuses (and the findings of the chosen rows).
            models.Index(
                fields=["year", "status", "rule_code", "org", "member_id"],
                name="kept_finding_rows",
            ),
            # The workbench's worst rows: the earliest deadlines first, the status read
            # from the index (PostgreSQL does not match a partial index on two statuses).
            models.Index(fields=["year", "due_on", "status"], name="kept_finding_due"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_code} {self.org_name} {self.period} {self.status}"


class KeptCount(models.Model):
    """The kept findings of an org's branches counted per rule and status: the heat map's
    summary, written by ``standards.kept.store`` with the findings. An org's row covers
    every branch of its subtree (groups folded into their branch), so a heat-map row is
    read, not aggregated. ``rule_code`` empty: ``n`` is the number of branches counted."""

    year = models.PositiveSmallIntegerField("评估年度")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    rule_code = models.CharField("规则编号", max_length=20, blank=True)
    status = models.CharField("状态", max_length=10, blank=True)
    n = models.PositiveIntegerField("数量")

    class Meta:
        verbose_name = "评估结果汇总"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "org", "rule_code", "status"], name="kept_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.org_id} {self.rule_code} {self.status} {self.n}"


class KeptOpenCount(models.Model):
    """The workbench's rows among one org's own kept findings: the (rule, member) pairs of
    that org with a late finding (overdue or violation) and with a due one. Written by
    ``standards.kept.store`` with the findings; a subtree's rows are the sum of its orgs'
    (a row belongs to one org), so the workbench of a whole province reads a sum instead
    of counting distinct rows among millions of findings."""

    year = models.PositiveSmallIntegerField("评估年度")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    late = models.PositiveIntegerField("逾期或未达标")
    due = models.PositiveIntegerField("即将到期")

    class Meta:
        verbose_name = "待办汇总"
        constraints = [
            models.UniqueConstraint(fields=["year", "org"], name="kept_open_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.org_id} {self.late}/{self.due}"


class Evaluation(models.Model):
    """When the findings of an org's subtree for a year were last evaluated and kept."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("评估年度")
    evaluated_at = models.DateTimeField("评估时间")

    class Meta:
        verbose_name = "合规评估"
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="evaluation_unique_org_year")
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} {self.evaluated_at:%Y-%m-%d %H:%M}"


class StaleMark(models.Model):
    """The facts behind the findings of an org's subtree for a year changed (a meeting held,
    a payment recorded, a member moved): its kept findings of that year wait for the worker
    to re-evaluate them."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("评估年度")
    # False: only the org's own findings (an org above a member who joined, moved or left:
    # the member counts of its subtree changed, not the findings below it).
    whole = models.BooleanField("整个下级范围", default=True)
    marked_at = models.DateTimeField("标记时间", auto_now=True)

    class Meta:
        verbose_name = "待重新评估"
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="stale_mark_unique_org_year")
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} {self.marked_at:%Y-%m-%d %H:%M}"
