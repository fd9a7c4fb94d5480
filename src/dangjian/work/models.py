"""党建+业务 (party work and the agency's business as one): joint initiatives (融合项目) that
move through plan → deploy → execute → review, the tasks they send down, the committee's
annual key points of party work (党建工作要点) broken into tasks per branch with one feedback
per branch and item, vanguard posts and responsibility zones (党员先锋岗 / 党员责任区) and the
members' yearly pledges (承诺践诺, EDU-7).

Nothing here ranks people (RULES.md section K): a pledge is rated by the branch, never
scored against other members."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangjian.core.models import TimeStamped
from dangjian.core.scope import ScopedQuerySet


def user_ref(label: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


def org_ref(label: str) -> models.ForeignKey:
    return models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=label
    )


class Phase(models.TextChoices):
    PLAN = "plan", "谋划"
    DEPLOY = "deploy", "部署"
    EXECUTE = "execute", "落实"
    REVIEW = "review", "检查"
    DONE = "done", "已完成"


# The order a joint initiative moves in; none may be skipped.
PHASE_ORDER = [Phase.PLAN, Phase.DEPLOY, Phase.EXECUTE, Phase.REVIEW, Phase.DONE]


class InitiativeQuerySet(ScopedQuerySet):
    def published_q(self, reach):
        """Members see the initiatives they take part in."""
        if not reach.member_id:
            return Q(pk__in=[])
        through = Initiative.members.through
        return Q(pk__in=through.objects.filter(member_id=reach.member_id).values("initiative_id"))


class Initiative(TimeStamped):
    """A joint initiative (融合项目) of a party org and the business department it serves."""

    org = org_ref("责任党组织")
    unit = models.CharField("业务部门", max_length=100)
    title = models.CharField("项目名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    goal = models.TextField("目标", blank=True)
    phase = models.CharField("阶段", max_length=10, choices=Phase.choices, default=Phase.PLAN)
    progress = models.TextField("推进情况", blank=True)
    review = models.TextField("检查评估", blank=True)
    review_meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="检查会议",
    )
    completed_on = models.DateField("完成日期", null=True, blank=True)
    members = models.ManyToManyField(
        "members.Member", blank=True, related_name="+", verbose_name="参与党员"
    )
    created_by = user_ref("建立人")

    objects = InitiativeQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = "融合项目"
        indexes = [models.Index(fields=["org", "year"], name="work_initiative_org_year")]

    def __str__(self) -> str:
        return self.title

    @property
    def next_phase(self) -> str | None:
        i = PHASE_ORDER.index(self.phase)
        return PHASE_ORDER[i + 1] if i + 1 < len(PHASE_ORDER) else None

    @property
    def next_phase_label(self) -> str:
        nxt = self.next_phase
        return Phase(nxt).label if nxt else ""


class Indicator(models.Model):
    """A business indicator the initiative should move: target, actual, unit, owner."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField("指标", max_length=100)
    target = models.DecimalField("目标值", max_digits=14, decimal_places=2)
    actual = models.DecimalField("实际值", max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField("单位", max_length=20, blank=True)
    owner = models.CharField("责任人", max_length=50, blank=True)

    class Meta:
        ordering = ["initiative", "id"]
        verbose_name = "业务指标"

    def __str__(self) -> str:
        return self.name


class PhaseChange(models.Model):
    """One step of an initiative's timeline (the audit log keeps the same with its
    before/after; this is what the detail page reads)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="timeline")
    from_phase = models.CharField("原阶段", max_length=10, choices=Phase.choices)
    to_phase = models.CharField("新阶段", max_length=10, choices=Phase.choices)
    note = models.TextField("记录", blank=True)
    at = models.DateTimeField("时间")
    by_name = models.CharField("操作人", max_length=50, blank=True)

    class Meta:
        ordering = ["initiative", "at", "id"]
        verbose_name = "阶段记录"

    def __str__(self) -> str:
        return f"{self.get_from_phase_display()} → {self.get_to_phase_display()}"


class InitiativeAttachment(TimeStamped):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField("文件名", max_length=200)
    file = models.FileField("文件", upload_to="work/%Y/%m/")
    content_type = models.CharField("文件类型", max_length=100, blank=True)

    class Meta:
        ordering = ["initiative", "id"]
        verbose_name = "项目附件"

    def __str__(self) -> str:
        return self.name


class WorkPlan(TimeStamped):
    """A committee's annual key points of party work (党建工作要点), published to its
    subtree."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    org = org_ref("发布党组织")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = user_ref("建立人")

    objects = ScopedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = "党建工作要点"
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year"],
                name="work_plan_once_a_year",
                violation_error_message="该组织本年度已有党建工作要点",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PlanItem(models.Model):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField("序号")
    text = models.CharField("工作要点", max_length=500)
    due = models.DateField("完成时限")

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = "工作要点条目"

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class TaskQuerySet(ScopedQuerySet):
    def overdue(self, today: dt.date):
        return self.exclude(status=Task.Status.DONE).filter(due__lt=today)

    def with_status(self, status: str, today: dt.date):
        """``status`` as the API and the lists say it: overdue is open past its due date."""
        if status == Task.Status.OVERDUE:
            return self.overdue(today)
        if status in (Task.Status.OPEN, Task.Status.IN_PROGRESS):
            return self.filter(status=status, due__gte=today)
        return self.filter(status=status)


class Task(TimeStamped):
    """A piece of work sent down from an initiative or a key-point item, to an org (``org``)
    or to a named member (then ``org`` is the member's org). Who reaches the org — or the
    member himself — may report on it."""

    class Status(models.TextChoices):
        OPEN = "open", "未开始"
        IN_PROGRESS = "in_progress", "进行中"
        DONE = "done", "已完成"
        OVERDUE = "overdue", "已逾期"  # shown, never stored: open past its due date

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    plan_item = models.ForeignKey(
        PlanItem, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    org = org_ref("承办党组织")
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承办党员",
    )
    assigner_org = org_ref("交办党组织")
    title = models.CharField("任务", max_length=200)
    done_definition = models.CharField("完成标准", max_length=500, blank=True)
    due = models.DateField("完成时限")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.OPEN)
    percent = models.PositiveSmallIntegerField("进度（%）", default=0)
    outcome = models.TextField("完成情况", blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    escalated_on = models.DateField("逾期上报日期", null=True, blank=True)
    created_by = user_ref("交办人")

    objects = TaskQuerySet.as_manager()
    scope_path = "org__path"
    scope_member = "member"

    class Meta:
        ordering = ["due", "id"]
        verbose_name = "任务"
        indexes = [
            models.Index(fields=["org", "due"], name="work_task_org_due"),
            # The workbench: the earliest deadlines first, cut before anything is joined.
            models.Index(fields=["due", "id"], name="work_task_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(initiative__isnull=False) ^ Q(plan_item__isnull=False),
                name="work_task_one_source",
                violation_error_message="任务须来自一个融合项目或一条工作要点",
            ),
            models.CheckConstraint(
                condition=Q(percent__lte=100),
                name="work_task_percent_max_100",
                violation_error_message="进度不能超过 100%",
            ),
            models.UniqueConstraint(
                fields=["plan_item", "org"],
                condition=Q(plan_item__isnull=False),
                name="work_task_item_once_per_org",
                violation_error_message="该工作要点已分解到该组织",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def state(self, today: dt.date | None = None) -> str:
        today = today or dt.date.today()
        if self.status != self.Status.DONE and self.due < today:
            return self.Status.OVERDUE
        return self.status

    @property
    def state_now(self) -> str:
        from django.utils import timezone

        return self.state(timezone.localdate())

    @property
    def state_label(self) -> str:
        return self.Status(self.state_now).label

    @property
    def member_name(self) -> str | None:
        return self.member.name if self.member_id else None

    @property
    def on_time(self) -> bool:
        return self.completed_on is not None and self.completed_on <= self.due

    @property
    def source_title(self) -> str:
        if self.initiative_id:
            return self.initiative.title
        return self.plan_item.text if self.plan_item_id else ""


class TaskNote(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notes")
    percent = models.PositiveSmallIntegerField("进度（%）")
    note = models.TextField("进展")
    at = models.DateTimeField("时间")
    by_name = models.CharField("报告人", max_length=50, blank=True)

    class Meta:
        ordering = ["task", "-at", "-id"]
        verbose_name = "任务进展"

    def __str__(self) -> str:
        return f"{self.percent}%"


class Feedback(TimeStamped):
    """A branch's one feedback on a key-point item: what the platform knew when it was
    filed (``facts``, pre-filled, never typed again) and what the branch adds."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="feedback")
    org = org_ref("反馈党组织")
    facts = models.JSONField("平台已有数据", default=dict)
    text = models.TextField("落实情况")
    filed_by = user_ref("填报人")

    objects = ScopedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["item", "org"]
        verbose_name = "工作要点反馈"
        constraints = [
            models.UniqueConstraint(
                fields=["item", "org"],
                name="work_feedback_once",
                violation_error_message="该组织已反馈过该条工作要点",
            )
        ]


class HeldPostQuerySet(ScopedQuerySet):
    def published_q(self, reach):
        """A member sees the posts and zones he holds."""
        if not reach.member_id:
            return Q(pk__in=[])
        through = self.model.holders.through
        col = f"{self.model._meta.model_name}_id"
        return Q(pk__in=through.objects.filter(member_id=reach.member_id).values(col))


class HeldPost(TimeStamped):
    org = org_ref("党组织")
    title = models.CharField("名称", max_length=100)
    duties = models.CharField("职责", max_length=500, blank=True)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)

    objects = HeldPostQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        abstract = True
        ordering = ["org", "title"]

    def __str__(self) -> str:
        return self.title


class VanguardPost(HeldPost):
    """党员先锋岗 (党员示范岗): a post a member holds in the business work."""

    holders = models.ManyToManyField("members.Member", related_name="+", verbose_name="岗位党员")

    class Meta(HeldPost.Meta):
        verbose_name = "党员先锋岗"


class ResponsibilityZone(HeldPost):
    """党员责任区: an area of the work that members answer for."""

    holders = models.ManyToManyField("members.Member", related_name="+", verbose_name="责任党员")

    class Meta(HeldPost.Meta):
        verbose_name = "党员责任区"


class Pledge(TimeStamped):
    """A member's yearly pledge (承诺) and its fulfilment (践诺), rated by the branch."""

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", "优秀"
        GOOD = "good", "良好"
        FAIR = "fair", "一般"
        POOR = "poor", "较差"

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="+", verbose_name="党员"
    )
    year = models.PositiveSmallIntegerField("年度")
    text = models.TextField("承诺事项")
    result = models.TextField("践诺情况", blank=True)
    rating = models.CharField("评定", max_length=10, choices=Rating.choices, blank=True)
    rated_on = models.DateField("评定日期", null=True, blank=True)
    rated_by = user_ref("评定人")

    objects = ScopedQuerySet.as_manager()
    scope_path = "member__org__path"
    scope_member = "member"

    class Meta:
        ordering = ["-year", "member"]
        verbose_name = "承诺践诺"
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="work_pledge_once_a_year",
                violation_error_message="该党员本年度已作出承诺",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年承诺"
