"""Member records and their history."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangjian.core.models import TimeStamped
from dangjian.core.scope import ScopedQuerySet


class MemberQuerySet(ScopedQuerySet):
    def on_rolls(self):
        return self.filter(left_on__isnull=True)

    def party_members(self):
        """Full and probationary members (not those still on the path to membership)."""
        return self.filter(status__in=[Member.Status.FULL, Member.Status.PROBATIONARY])


class Member(TimeStamped):
    class Gender(models.TextChoices):
        MALE = "male", "男"
        FEMALE = "female", "女"

    class Status(models.TextChoices):
        APPLICANT = "applicant", "入党申请人"
        ACTIVIST = "activist", "入党积极分子"
        CANDIDATE = "candidate", "发展对象"
        PROBATIONARY = "probationary", "预备党员"
        FULL = "full", "正式党员"

    class Education(models.TextChoices):
        POSTGRADUATE = "postgraduate", "研究生"
        UNIVERSITY = "university", "大学本科"
        COLLEGE = "college", "大学专科"
        SECONDARY = "secondary", "中专/高中"
        BASIC = "basic", "初中及以下"

    class CadreLevel(models.TextChoices):
        """For the cadre-training rules: LRN-1 (乡科级 and 一级主任科员 and below, yearly) and
        LRN-2 (县处级 and 四级调研员 and above, every five years)."""

        NONE = "", "非干部/未填写"
        SECTION = "section", "乡科级及以下（含一级主任科员及以下）"
        COUNTY = "county", "县处级及以上（含四级调研员及以上）"

    name = models.CharField("姓名", max_length=50)
    name_pinyin = models.CharField("姓名拼音", max_length=200, db_index=True, editable=False)
    name_initials = models.CharField("拼音首字母", max_length=50, db_index=True, editable=False)
    gender = models.CharField("性别", max_length=6, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    birth_date = models.DateField("出生日期")
    id_number_encrypted = models.TextField("身份证号（密文）", editable=False)
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField("身份证号", max_length=18, editable=False, db_index=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    education = models.CharField("学历", max_length=20, choices=Education.choices, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="工作单位",
    )
    job_title = models.CharField("职务/职级", max_length=100, blank=True)
    cadre_level = models.CharField(
        "干部层级", max_length=10, choices=CadreLevel.choices, blank=True, default=""
    )
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="members", verbose_name="所在党组织"
    )
    group = models.ForeignKey(
        "orgs.Org",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_members",
        verbose_name="所在党小组",
    )
    status = models.CharField("人员类别", max_length=20, choices=Status.choices)
    applied_at = models.DateField("申请入党日期", null=True, blank=True)
    activist_at = models.DateField("确定积极分子日期", null=True, blank=True)
    candidate_at = models.DateField("确定发展对象日期", null=True, blank=True)
    joined_at = models.DateField("入党日期（预备）", null=True, blank=True)
    full_at = models.DateField("转正日期", null=True, blank=True)
    is_retired = models.BooleanField("离退休", default=False)
    is_mobile = models.BooleanField("流动党员", default=False)
    is_lost_contact = models.BooleanField("失联党员", default=False)
    lost_contact_since = models.DateField("失联日期", null=True, blank=True)
    voting_rights_suspended = models.BooleanField("停止表决权", default=False)
    left_on = models.DateField("出党/转出日期", null=True, blank=True)
    left_reason = models.CharField("出党/转出原因", max_length=200, blank=True)

    objects = MemberQuerySet.as_manager()
    scope_path = "org__path"
    scope_member = "pk"

    class Meta:
        ordering = ["name_pinyin", "id"]
        verbose_name = "党员"
        indexes = [
            models.Index(fields=["org", "status"], name="member_org_status_idx"),
            # Read from the index alone, without touching the wide rows of a city's 50,000
            # members: the roll's count ("on the rolls, in these orgs, of this status") and
            # the two halves of a pinyin search (``selectors.NameSearch``).
            models.Index(fields=["org", "left_on", "status"], name="member_org_rolls_idx"),
            models.Index(
                fields=["name_initials", "name_pinyin", "left_on", "org"],
                name="member_initials_idx",
            ),
            models.Index(fields=["name_pinyin", "left_on", "org"], name="member_pinyin_idx"),
            models.Index(fields=["name", "name_pinyin", "left_on", "org"], name="member_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(full_at__isnull=True)
                | Q(joined_at__isnull=True)
                | Q(full_at__gte=models.F("joined_at")),
                name="member_full_after_joined",
                violation_error_message="转正日期不能早于入党日期",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def party_age(self) -> int | None:
        """党龄: whole years since becoming a full member."""
        return years_between(self.full_at, dt.date.today()) if self.full_at else None

    @property
    def age(self) -> int:
        return years_between(self.birth_date, dt.date.today())

    @property
    def phone_masked(self) -> str:
        from dangjian.core.masking import mask_phone

        return mask_phone(self.phone)


def years_between(start: dt.date, end: dt.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


class MemberEvent(models.Model):
    """History of a member: every status change and org change, with date, reason, actor."""

    class Kind(models.TextChoices):
        CREATED = "created", "建档"
        STATUS = "status", "身份变化"
        ORG = "org", "组织关系变化"
        LEFT = "left", "出党/转出"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    on = models.DateField("日期")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    from_org = models.ForeignKey(
        "orgs.Org", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_org = models.ForeignKey(
        "orgs.Org", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField("原因", max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "member__org__path"
    scope_member = "member"

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = "党员变动记录"

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()} {self.on}"

    @property
    def from_status_label(self) -> str:
        return Member.Status(self.from_status).label if self.from_status else ""

    @property
    def to_status_label(self) -> str:
        return Member.Status(self.to_status).label if self.to_status else ""
