"""Supervision (issue 13, parts 3-5): inspection campaigns (督查), duty reports (述职评议)
and talks (提醒谈话 / 约谈 / 函询) with accountability decisions (问责).

Problems found on site and commitments made in a talk become items of the rectification
list (``Rectification``, with this record as their source), so they are followed up where
every other problem is.

Ballots of a duty report are kept the way a ballot box is: ``DutyBallot`` holds only the
report and the rating (a random UUID key, no time, no person); ``DutyVoter`` is the roll of
who has voted (report and user, nothing else). No column or join links the two.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangjian.core.models import TimeStamped
from dangjian.core.scope import ScopedQuerySet, lineage


class Inspection(TimeStamped):
    """One inspection campaign (督查) of an org over the branches of its subtree."""

    class Targets(models.TextChoices):
        BRANCHES = "branches", "下属全部党支部"

    class Status(models.TextChoices):
        OPEN = "open", "进行中"
        CLOSED = "closed", "已结束"

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="inspections", verbose_name="组织单位"
    )
    title = models.CharField("督查名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    basis = models.TextField("督查依据", blank=True)
    scope = models.CharField("督查范围", max_length=300, blank=True)
    starts_on = models.DateField("开始日期", null=True, blank=True)
    ends_on = models.DateField("结束日期", null=True, blank=True)
    targets_kind = models.CharField(
        "督查对象", max_length=20, choices=Targets.choices, default=Targets.BRANCHES
    )
    onsite_cap = models.PositiveIntegerField("现场督查次数上限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = "督查"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="inspection_period_order",
                violation_error_message="结束日期不能早于开始日期",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def coverage(self) -> dict[str, int]:
        """Targets inspected / all targets (from ``selectors.with_coverage`` when annotated)."""
        if not hasattr(self, "n_targets"):
            self.n_targets = self.targets.count()
            self.n_inspected = self.visits.count()
        return {"targets": self.n_targets, "inspected": self.n_inspected}

    @property
    def coverage_rate(self):
        c = self.coverage
        return c["inspected"] / c["targets"] if c["targets"] else None


class InspectionTarget(models.Model):
    """An org the campaign must cover; coverage is targets with a visit / all targets."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="targets")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "督查对象"
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "org"],
                name="inspection_target_unique",
                violation_error_message="该党组织已是本次督查的对象",
            )
        ]

    def __str__(self) -> str:
        return f"督查对象 {self.org_id}"


class InspectionItem(models.Model):
    """A checklist line: an exception the compliance engine kept for a target (inspectors
    visit only exceptions), or a free item of the campaign (``org`` empty: every target)."""

    class Source(models.TextChoices):
        RULE = "rule", "合规检查"
        FREE = "free", "自定事项"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="items")
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    rule_code = models.CharField("规则编号", max_length=20, blank=True)
    text = models.CharField("检查事项", max_length=300)
    finding_status = models.CharField("合规状态", max_length=10, blank=True)

    class Meta:
        ordering = ["org_id", "rule_code", "id"]
        verbose_name = "督查清单事项"

    def __str__(self) -> str:
        return self.text


class InspectionVisit(TimeStamped):
    """The inspection of one target: on site (counted against the campaign's cap) or from
    the records on the platform (书面检查)."""

    class Kind(models.TextChoices):
        ON_SITE = "on_site", "现场督查"
        DESK = "desk", "书面检查（查阅平台记录）"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="visits")
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="督查对象"
    )
    on = models.DateField("督查日期")
    kind = models.CharField("方式", max_length=10, choices=Kind.choices, default=Kind.ON_SITE)
    note = models.TextField("督查情况", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = "督查记录"
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "org"],
                name="inspection_visit_once",
                violation_error_message="本次督查已登记过该党组织",
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspection.title}（{self.on:%Y-%m-%d}）"


class DutyReportQuerySet(ScopedQuerySet):
    def published_q(self, reach):
        """A member sees the duty reports of the orgs above and at their own (to rate)."""
        if not reach.member_id:
            return Q(pk__in=[])
        from dangjian.members.models import Member

        path = Member.objects.filter(pk=reach.member_id).values_list("org__path", flat=True)
        path = path.first() or ""
        paths = lineage(path)
        return Q(org__path__in=paths) if paths else Q(pk__in=[])


class DutyReport(TimeStamped):
    """A secretary's annual report on duties (述职, SUP-2) and its appraisal."""

    class Rating(models.TextChoices):
        GOOD = "good", "好"
        FAIR = "fair", "较好"
        AVERAGE = "average", "一般"
        POOR = "poor", "差"

    class Status(models.TextChoices):
        OPEN = "open", "评议中"
        CLOSED = "closed", "评议结束"

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="duty_reports", verbose_name="党组织"
    )
    year = models.PositiveSmallIntegerField("年度")
    reporter = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name="述职人"
    )
    text = models.TextField("述职报告")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    comment = models.TextField("上级党组织点评", blank=True)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    commented_at = models.DateTimeField("点评时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = DutyReportQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-year", "org__path"]
        verbose_name = "述职评议"
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "reporter"],
                name="duty_report_once_a_year",
                violation_error_message="该书记本年度的述职报告已登记",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年度述职"


class DutyBallot(models.Model):
    """One rating in the ballot box: the report and the rating, nothing that names the
    rater (random key, no time)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(DutyReport, on_delete=models.CASCADE, related_name="ballots")
    rating = models.CharField("评议等次", max_length=10, choices=DutyReport.Rating.choices)

    class Meta:
        verbose_name = "评议票"

    def __str__(self) -> str:
        return self.get_rating_display()


class DutyVoter(models.Model):
    """The roll of who has voted on a report: no rating, no link to a ballot."""

    report = models.ForeignKey(DutyReport, on_delete=models.CASCADE, related_name="voters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "已评议人员"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user"],
                name="duty_voter_once",
                violation_error_message="您已评议过该述职报告",
            )
        ]

    def __str__(self) -> str:
        return "已评议"


class Talk(TimeStamped):
    """A 提醒谈话, 约谈 or 函询 (SUP-4). Confidential: visible to the org that held it and
    the orgs above it, never to peers or to the member's branch-mates."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "提醒谈话"
        INTERVIEW = "interview", "约谈"
        INQUIRY = "inquiry", "函询"

    kind = models.CharField("方式", max_length=10, choices=Kind.choices)
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="talks", verbose_name="组织单位"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name="谈话对象"
    )
    reason = models.TextField("事由")
    on = models.DateField("日期")
    record = models.TextField("谈话记录", blank=True)
    findings = models.ManyToManyField(
        "assessment.Rectification", blank=True, related_name="+", verbose_name="相关问题"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = "谈话函询"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.on:%Y-%m-%d}）"


class Accountability(TimeStamped):
    """An accountability decision (问责), confidential as talks are."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="组织单位"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name="问责对象"
    )
    talk = models.ForeignKey(
        Talk, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    decision = models.CharField("问责决定", max_length=300)
    basis = models.TextField("依据")
    decided_on = models.DateField("决定日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = "问责"

    def __str__(self) -> str:
        return self.decision
