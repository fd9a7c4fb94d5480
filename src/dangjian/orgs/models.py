"""The organization tree (materialized path), units, boards and positions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangjian.core.models import TimeStamped
from dangjian.core.scope import ScopedQuerySet

PATH_STEP = 8  # each level of ``Org.path`` is the zero-padded id plus "/"


class Unit(TimeStamped):
    """单位: the government body an org sits in."""

    name = models.CharField("单位名称", max_length=100, unique=True)
    code = models.CharField("统一社会信用代码/编码", max_length=40, blank=True)
    # SUP-6 (机关条例 第三十条): full-time party-affairs staff against the agency's staff.
    staff_count = models.PositiveIntegerField("职工人数", null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "单位"

    def __str__(self) -> str:
        return self.name


class OrgQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(dissolved_on__isnull=True)

    def published_q(self, reach):
        # A plain member sees the branch and the group they belong to.
        if reach.member_id:
            from dangjian.members.models import Member

            own = Member.objects.filter(pk=reach.member_id)
            return Q(pk__in=own.values("org_id")) | Q(pk__in=own.values("group_id"))
        return Q(pk__in=[])


class Org(TimeStamped):
    class Kind(models.TextChoices):
        WORK_COMMITTEE = "work_committee", "机关工委"
        COMMITTEE = "committee", "党委"
        GENERAL_BRANCH = "general_branch", "党总支"
        BRANCH = "branch", "党支部"
        GROUP = "group", "党小组"

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级组织",
    )
    path = models.CharField("路径", max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orgs",
        verbose_name="所在单位",
    )
    sort = models.PositiveIntegerField("排序", default=0)
    established_on = models.DateField("成立日期", null=True, blank=True)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)

    objects = OrgQuerySet.as_manager()
    scope_path = "path"

    class Meta:
        ordering = ["path"]
        verbose_name = "党组织"
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(kind="work_committee"),
                name="org_only_work_committee_is_root",
                violation_error_message="只有机关工委可以没有上级组织",
            ),
        ]
        # The pickers over a province offer the committees (a few hundred of 80,000 orgs):
        # read by kind, in path order, not by scanning every org.
        indexes = [models.Index(fields=["kind", "path"], name="org_kind_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None

    def ancestor_paths(self) -> list[str]:
        return [self.path[: i + PATH_STEP] for i in range(0, len(self.path), PATH_STEP)]

    def ancestors(self):
        """Ancestors from the root down, excluding self: one query."""
        return Org.objects.filter(path__in=self.ancestor_paths()[:-1]).order_by("depth")


# Which kinds may sit under which: the tree's shape.
ALLOWED_PARENTS: dict[str, set[str]] = {
    Org.Kind.WORK_COMMITTEE: set(),
    Org.Kind.COMMITTEE: {Org.Kind.WORK_COMMITTEE, Org.Kind.COMMITTEE},
    Org.Kind.GENERAL_BRANCH: {Org.Kind.WORK_COMMITTEE, Org.Kind.COMMITTEE},
    Org.Kind.BRANCH: {Org.Kind.WORK_COMMITTEE, Org.Kind.COMMITTEE, Org.Kind.GENERAL_BRANCH},
    Org.Kind.GROUP: {Org.Kind.BRANCH},
}


class Board(TimeStamped):
    """支部委员会（班子）: one elected term of an org's board."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="boards")
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期届满")
    elected_on = models.DateField("选举日期", null=True, blank=True)
    is_current = models.BooleanField("本届", default=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["org", "-term_start"]
        verbose_name = "班子"
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")),
                name="board_term_end_after_start",
                violation_error_message="任期届满日期须晚于任期开始日期",
            ),
            models.UniqueConstraint(
                fields=["org"],
                condition=Q(is_current=True),
                name="board_one_current_per_org",
                violation_error_message="每个组织只能有一届现任班子",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.term_start:%Y}—{self.term_end:%Y} 届"


class PositionQuerySet(ScopedQuerySet):
    def active(self, on: dt.date | None = None):
        on = on or dt.date.today()
        return self.filter(Q(started_on__isnull=True) | Q(started_on__lte=on)).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=on)
        )


class Position(TimeStamped):
    """A person's role in an org: a board seat and/or the user's access to that subtree."""

    class Role(models.TextChoices):
        SECRETARY = "secretary", "书记"
        DEPUTY_SECRETARY = "deputy_secretary", "副书记"
        ORGANIZER = "organizer", "组织委员"
        PUBLICITY = "publicity", "宣传委员"
        DISCIPLINE = "discipline", "纪检委员"
        STAFF = "staff", "党务工作者"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="positions")
    role = models.CharField("职务", max_length=20, choices=Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name="账号",
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name="党员",
    )
    board = models.ForeignKey(
        Board,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name="所属届次",
    )
    started_on = models.DateField("任职日期", null=True, blank=True)
    ended_on = models.DateField("离任日期", null=True, blank=True)
    # SUP-6: a full-time party-affairs post (专职党务工作人员), counted against the unit's staff.
    full_time = models.BooleanField("专职", default=False)

    objects = PositionQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["org", "role"]
        verbose_name = "职务"
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(member__isnull=False),
                name="position_has_holder",
                violation_error_message="职务须对应一个账号或一名党员",
            ),
        ]
        indexes = [models.Index(fields=["user", "ended_on"], name="position_user_idx")]

    def __str__(self) -> str:
        holder = self.member or self.user
        return f"{self.org} {self.get_role_display()} {holder}"

    @property
    def is_board_seat(self) -> bool:
        return self.role != self.Role.STAFF
