"""Procedures (一件事) and their cases: membership development, transfers, elections.

A ``Procedure`` is a versioned template of ordered ``ProcedureStep``s (a stable code, who
acts, which materials are needed, which rules bound the dates, which named validation runs
and so which fields the step asks for). A
``Case`` is one run of a procedure for a member or an org; each recorded step is a
``CaseStep`` with its date, actor, data and ``Material``s. The step definitions live in
the database, so a case keeps the template version it was opened under.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangjian.core.models import TimeStamped
from dangjian.core.scope import Reach, ScopedQuerySet, reach_of, reach_q


class Procedure(TimeStamped):
    class Code(models.TextChoices):
        DEVELOPMENT = "development", "发展党员"
        TRANSFER = "transfer", "组织关系转接"
        ELECTION = "election", "换届选举"

    code = models.CharField("流程", max_length=20, choices=Code.choices)
    version = models.PositiveIntegerField("版本", default=1)
    title = models.CharField("名称", max_length=100)
    digest = models.CharField(max_length=64, editable=False)
    is_current = models.BooleanField("现行版本", default=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = "流程模板"
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="procedure_unique_version"),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(is_current=True),
                name="procedure_one_current",
                violation_error_message="每个流程只能有一个现行版本",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class ProcedureStep(models.Model):
    class Actor(models.TextChoices):
        BRANCH = "branch", "党支部"
        SUPERIOR = "superior", "上级党委"
        RECEIVER = "receiver", "接收方党组织"
        MEMBER = "member", "本人或党支部"

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField("步骤")  # the place in the order (display)
    code = models.CharField("步骤代码", max_length=40, blank=True)  # stable: steps.py
    stage = models.PositiveSmallIntegerField("阶段", default=1)
    stage_name = models.CharField("阶段名称", max_length=40, blank=True)
    name = models.CharField("名称", max_length=60)
    actor = models.CharField("办理主体", max_length=10, choices=Actor.choices)
    materials = models.JSONField("必备材料", default=list, blank=True)
    rules = models.JSONField("适用规则", default=list, blank=True)
    windows = models.JSONField("时限", default=list, blank=True)
    validation = models.CharField("专项校验", max_length=40, blank=True)
    help = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["procedure", "number"]
        verbose_name = "流程步骤"
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_step_unique"),
            models.UniqueConstraint(
                fields=["procedure", "code"],
                condition=~Q(code=""),
                name="procedure_step_code_unique",
                violation_error_message="同一流程的步骤代码不能重复",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class CaseQuerySet(ScopedQuerySet):
    """A transfer is visible to, and handled by, both the sending and the receiving subtree."""

    def _target_q(self, reach: Reach) -> Q:
        return reach_q("target_org__path", reach.paths)

    def visible_to(self, user) -> CaseQuerySet:
        reach = reach_of(user)
        if reach.everything:
            return self.all()
        q = reach_q("org__path", reach.paths) | self._target_q(reach)
        if reach.member_id:
            q |= Q(member_id=reach.member_id)
        return self.filter(q)

    def manageable_by(self, user) -> CaseQuerySet:
        reach = reach_of(user)
        if reach.everything:
            return self.all()
        return self.filter(reach_q("org__path", reach.paths) | self._target_q(reach))

    def open(self) -> CaseQuerySet:
        return self.filter(status=Case.Status.OPEN)

    def of(self, code: str) -> CaseQuerySet:
        return self.filter(procedure__code=code)


class Case(TimeStamped):
    class Status(models.TextChoices):
        OPEN = "open", "办理中"
        DONE = "done", "已办结"
        RETURNED = "returned", "已退回"
        CANCELLED = "cancelled", "已终止"

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="cases")
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="cases", verbose_name="办理组织"
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="党员",
    )
    target_org = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_cases",
        verbose_name="接收党组织",
    )
    target_name = models.CharField("转往（系统外）", max_length=200, blank=True)
    board = models.ForeignKey(
        "orgs.Board",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="election_cases",
        verbose_name="本届班子",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    current_step = models.PositiveSmallIntegerField("当前步骤", default=1)
    opened_on = models.DateField("立案日期")
    closed_on = models.DateField("办结日期", null=True, blank=True)
    next_earliest_on = models.DateField("当前步骤最早日期", null=True, blank=True)
    next_due_on = models.DateField("当前步骤最迟日期", null=True, blank=True, db_index=True)
    next_due_rule = models.CharField("期限依据", max_length=20, blank=True)
    data = models.JSONField("案卷数据", default=dict, blank=True)
    close_reason = models.CharField("终止/退回原因", max_length=200, blank=True)

    objects = CaseQuerySet.as_manager()
    scope_path = "org__path"
    scope_member = "member"

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = "案卷"
        indexes = [models.Index(fields=["status", "next_due_on"], name="case_due_idx")]

    def __str__(self) -> str:
        subject = self.member.name if self.member_id else self.org.name
        return f"{self.procedure.get_code_display()}：{subject}"

    @property
    def code(self) -> str:
        return self.procedure.code


class CaseStep(TimeStamped):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="records")
    number = models.PositiveSmallIntegerField("步骤")
    done_on = models.DateField("办理日期")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="经办人",
    )
    actor_name = models.CharField("经办人", max_length=150, blank=True)
    data = models.JSONField("内容", default=dict, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    corrections = models.JSONField("更正记录", default=list, blank=True)

    class Meta:
        ordering = ["case", "number"]
        verbose_name = "步骤记录"
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="case_step_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.number} {self.done_on}"


def material_path(instance: Material, filename: str) -> str:
    return f"development/{instance.case_id}/{instance.step}/{filename}"


class Material(TimeStamped):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    step = models.PositiveSmallIntegerField("步骤")
    kind = models.CharField("材料名称", max_length=60)
    file = models.FileField("文件", upload_to=material_path, max_length=255)
    filename = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField("校验值", max_length=64, editable=False, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="上传人",
    )

    class Meta:
        ordering = ["case", "step", "id"]
        verbose_name = "材料"

    def __str__(self) -> str:
        return f"{self.kind}（{self.filename}）"
