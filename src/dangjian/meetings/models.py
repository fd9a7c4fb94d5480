"""Organizational life: meetings (三会一课, 主题党日, 组织生活会, 谈心谈话), attendance, votes,
the annual plan, criticism at the 组织生活会 and the yearly 民主评议党员 (Appraisal)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangjian.core.models import TimeStamped
from dangjian.core.scope import ScopedQuerySet, reach_of


def _branch_of(member_id: int):
    """The org (and party group) of a party member on the rolls: none for anyone else."""
    from dangjian.members.models import Member

    return Member.objects.filter(pk=member_id).on_rolls().party_members()


def need_to_know_q(member_id: int | None, *, record: bool, prefix: str = "") -> Q:
    """The one rule for a member who does not manage the meeting's org (docs/meetings.md).

    The meeting itself (time, place, topic) is seen by its expected attendees (an
    attendance row), by the people named in it (host, recorder, lecturer, counterpart), by
    the party members of the branch for the kinds open to the branch (general meetings,
    lectures, theme days) and by the members of the group for its group meetings.
    Its record (minutes, resolutions, votes, attachments, attendance counts) is read by all
    of them, except that a 谈心谈话's record is read only by its two parties (host and
    counterpart). ``prefix`` applies the rule to a row related to the meeting
    (``"meeting__"``).
    """
    if not member_id:
        return Q(pk__in=[])

    def f(**kw) -> Q:
        return Q(**{prefix + k: v for k, v in kw.items()})

    parties = f(host_id=member_id) | f(counterpart_id=member_id)
    if record:
        # A heart talk's record: its two parties only.
        talk = f(kind=Meeting.Kind.HEART_TALK)
        return (talk & parties) | (~talk & need_to_know_q(member_id, record=False, prefix=prefix))
    branch = _branch_of(member_id)
    return (
        parties
        | f(lecturer_id=member_id)
        | f(recorder_id=member_id)
        | f(pk__in=Attendance.objects.filter(member_id=member_id).values("meeting_id"))
        | f(kind__in=Meeting.OPEN_TO_BRANCH, org_id__in=branch.values("org_id"))
        | f(
            kind=Meeting.Kind.GROUP_MEETING,
            group_id__in=branch.filter(group__isnull=False).values("group_id"),
        )
    )


class MeetingQuerySet(ScopedQuerySet):
    def held(self):
        return self.filter(status=Meeting.Status.HELD)

    def published_q(self, reach):
        """What a member sees beyond the orgs they manage: by need to know."""
        return need_to_know_q(reach.member_id, record=False)

    def record_visible_to(self, user) -> MeetingQuerySet:
        """Meetings whose record (minutes, resolutions, votes, attachments) ``user`` reads:
        every meeting the user manages, and by need to know the member's own."""
        reach = reach_of(user)
        if reach.everything:
            return self.all()
        return self.manageable_by(user) | self.filter(need_to_know_q(reach.member_id, record=True))


class MeetingRecordQuerySet(ScopedQuerySet):
    """Rows that are part of a meeting's record: shown to members who read the record."""

    def published_q(self, reach):
        return need_to_know_q(reach.member_id, record=True, prefix="meeting__")


class Meeting(TimeStamped):
    class Kind(models.TextChoices):
        GENERAL_MEETING = "general_meeting", "支部党员大会"
        BOARD_MEETING = "board_meeting", "支部委员会会议"
        GROUP_MEETING = "group_meeting", "党小组会"
        PARTY_LECTURE = "party_lecture", "党课"
        THEME_DAY = "theme_day", "主题党日"
        LIFE_MEETING = "life_meeting", "组织生活会"
        HEART_TALK = "heart_talk", "谈心谈话"

    # Kinds whose meeting and record the party members of the branch see (need to know).
    OPEN_TO_BRANCH = (Kind.GENERAL_MEETING, Kind.PARTY_LECTURE, Kind.THEME_DAY)

    class Status(models.TextChoices):
        PLANNED = "planned", "计划"
        HELD = "held", "已召开"
        CANCELLED = "cancelled", "已取消"

    class Quality(models.TextChoices):
        UNCHECKED = "", "未检查"
        OK = "ok", "正常"
        SHORT = "short", "记录过短"
        SIMILAR = "similar", "与其他记录高度相似"

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="meetings", verbose_name="党组织"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    topic = models.CharField("主题", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PLANNED)
    planned_on = models.DateField("计划日期", null=True, blank=True)
    held_at = models.DateTimeField("召开时间", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    group = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_meetings",
        verbose_name="党小组",
    )
    host = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="主持人",
    )
    recorder = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="记录人",
    )
    lecturer = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="授课人",
    )
    counterpart = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="谈话对象",
    )
    minutes = models.TextField("会议记录", blank=True)
    minutes_text = models.TextField("会议记录（纯文本）", blank=True, editable=False)
    minutes_digest = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    resolutions = models.TextField("决议事项", blank=True)
    quality = models.CharField(
        "记录质量", max_length=10, choices=Quality.choices, blank=True, default=""
    )
    similar_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="相似记录",
    )
    similarity = models.FloatField("相似度", null=True, blank=True)
    sign_in_code = models.CharField("签到码", max_length=6, blank=True)
    sign_in_token = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    sign_in_opens_at = models.DateTimeField("签到开始", null=True, blank=True)
    sign_in_closes_at = models.DateTimeField("签到截止", null=True, blank=True)
    notice_sent_at = models.DateTimeField("通知时间", null=True, blank=True)
    backfilled = models.BooleanField("补录", default=False)
    slot = models.ForeignKey(
        "meetings.PlanSlot",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name="年度计划项",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = MeetingQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-held_at", "-planned_on", "-id"]
        verbose_name = "会议"
        indexes = [
            models.Index(fields=["org", "kind", "status", "held_at"], name="meeting_check_idx"),
            # The workbench: planned meetings by day, held meetings of the month.
            models.Index(fields=["status", "planned_on", "id"], name="meeting_planned_day_idx"),
            models.Index(fields=["status", "held_at"], name="meeting_held_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="held") | Q(held_at__isnull=False),
                name="meeting_held_has_time",
                violation_error_message="已召开的会议须填写召开时间",
            ),
            models.CheckConstraint(
                condition=Q(sign_in_opens_at__isnull=True)
                | Q(sign_in_closes_at__isnull=True)
                | Q(sign_in_closes_at__gt=models.F("sign_in_opens_at")),
                name="meeting_sign_in_window_order",
                violation_error_message="签到截止时间须晚于签到开始时间",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.topic}"

    @property
    def when(self):
        return self.held_at or self.planned_on


class Attendance(models.Model):
    class Status(models.TextChoices):
        EXPECTED = "expected", "待参加"
        PRESENT = "present", "出席"
        LEAVE = "leave", "请假"
        ABSENT = "absent", "缺席"
        MADE_UP = "made_up", "已补学"

    class Channel(models.TextChoices):
        NONE = "", "—"
        QR = "qr", "扫码签到"
        CODE = "code", "签到码"
        SECRETARY = "secretary", "书记登记"
        API = "api", "接口"

    class Leave(models.TextChoices):
        NONE = "", "—"
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="attendances", verbose_name="党员"
    )
    status = models.CharField(
        "出席情况", max_length=10, choices=Status.choices, default=Status.EXPECTED
    )
    channel = models.CharField("签到方式", max_length=10, choices=Channel.choices, blank=True)
    signed_at = models.DateTimeField("签到时间", null=True, blank=True)
    leave_reason = models.CharField("请假事由", max_length=200, blank=True)
    leave_status = models.CharField("请假审批", max_length=10, choices=Leave.choices, blank=True)
    leave_decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    makeup_note = models.TextField("补学情况", blank=True)
    made_up_at = models.DateTimeField("补学时间", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "meeting__org__path"
    scope_member = "member"

    class Meta:
        ordering = ["meeting", "member__name_pinyin"]
        verbose_name = "出席记录"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="attendance_once_per_member",
                violation_error_message="该党员在本次会议已有出席记录",
            )
        ]
        indexes = [
            models.Index(fields=["member", "status"], name="attendance_member_idx"),
            # The workbench's open leave requests (few among all attendance rows).
            models.Index(fields=["leave_status"], name="attendance_leave_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.member} {self.get_status_display()}"


class MeetingAttachment(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to="meetings/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=50)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingRecordQuerySet.as_manager()
    scope_path = "meeting__org__path"

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "会议附件"

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Vote(models.Model):
    """A vote on one resolution at a general meeting, judged by the rule (MTG-2's params)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    subject = models.CharField("表决事项", max_length=200)
    votes_for = models.PositiveIntegerField("赞成")
    votes_against = models.PositiveIntegerField("反对", default=0)
    abstain = models.PositiveIntegerField("弃权", default=0)
    written_opinions = models.PositiveIntegerField("会前书面意见", default=0)
    voting_members = models.PositiveIntegerField("应到会有表决权人数")
    present_voting = models.PositiveIntegerField("实到有表决权人数")
    quorum = models.BooleanField("达到法定人数")
    passed = models.BooleanField("通过")
    quorum_needed = models.PositiveIntegerField()
    pass_needed = models.PositiveIntegerField()
    explanation = models.TextField("计算过程")
    rule_code = models.CharField("依据规则", max_length=20)
    rule_version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = MeetingRecordQuerySet.as_manager()
    scope_path = "meeting__org__path"

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "表决"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "subject"],
                name="vote_once_per_subject",
                violation_error_message="该事项已表决",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject}：{'通过' if self.passed else '未通过'}"


class CriticismItem(models.Model):
    """批评与自我批评 at a 组织生活会: one item about one member."""

    class Kind(models.TextChoices):
        SELF = "self", "自我批评"
        PEER = "peer", "相互批评"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="criticisms")
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="+", verbose_name="党员"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    critic = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提出人",
    )
    content = models.TextField("问题/意见")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "meeting__org__path"
    scope_member = "member"

    class Meta:
        ordering = ["member", "id"]
        verbose_name = "批评与自我批评"

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()}"


class PlanSlot(models.Model):
    """One required meeting (or the yearly appraisal) in a branch's annual plan."""

    class Kind(models.TextChoices):
        GENERAL_MEETING = "general_meeting", "支部党员大会"
        BOARD_MEETING = "board_meeting", "支部委员会会议"
        GROUP_MEETING = "group_meeting", "党小组会"
        PARTY_LECTURE = "party_lecture", "党课"
        THEME_DAY = "theme_day", "主题党日"
        LIFE_MEETING = "life_meeting", "组织生活会"
        HEART_TALK = "heart_talk", "谈心谈话"
        APPRAISAL = "appraisal", "民主评议党员"

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.CASCADE, related_name="plan_slots", verbose_name="党组织"
    )
    group = models.ForeignKey(
        "orgs.Org",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="党小组",
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    period = models.CharField("周期", max_length=10)  # "2026-03", "2026-Q1", "2026"
    period_start = models.DateField("周期开始")
    due_on = models.DateField("应完成日期")
    sequence = models.PositiveSmallIntegerField("序号", default=1)
    planned_on = models.DateField("计划日期")
    rule_code = models.CharField("依据规则", max_length=20)
    rule_version = models.PositiveIntegerField()
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["org", "planned_on", "kind", "sequence"]
        verbose_name = "年度计划项"
        constraints = [
            models.UniqueConstraint(
                fields=["org", "kind", "period", "sequence"],
                condition=Q(group__isnull=True),
                name="planslot_unique_branch",
            ),
            models.UniqueConstraint(
                fields=["group", "kind", "period", "sequence"],
                condition=Q(group__isnull=False),
                name="planslot_unique_group",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("period_start")),
                name="planslot_due_in_period",
                violation_error_message="应完成日期不能早于周期开始",
            ),
        ]
        indexes = [models.Index(fields=["org", "year"], name="planslot_org_year_idx")]

    def __str__(self) -> str:
        return f"{self.org} {self.period} {self.get_kind_display()}"


class Appraisal(TimeStamped):
    """民主评议党员: one round per branch per year."""

    class Status(models.TextChoices):
        OPEN = "open", "评议中"
        FINALIZED = "finalized", "已完成"

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", "优秀"
        QUALIFIED = "qualified", "合格"
        BASIC = "basically_qualified", "基本合格"
        UNQUALIFIED = "unqualified", "不合格"

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="appraisals", verbose_name="党支部"
    )
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="评议会议",
    )
    finalized_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-year", "org"]
        verbose_name = "民主评议"
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year"],
                name="appraisal_once_per_year",
                violation_error_message="该支部本年度已开展民主评议",
            )
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year} 年度民主评议党员"


class AppraisalEntry(models.Model):
    """One member in an appraisal: self-assessment and the board's final rating."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="entries")
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="+", verbose_name="党员"
    )
    self_assessment = models.TextField("自我评价", blank=True)
    final_rating = models.CharField(
        "评定等次", max_length=20, choices=Appraisal.Rating.choices, blank=True
    )
    board_note = models.CharField("组织意见", max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "appraisal__org__path"
    scope_member = "member"

    class Meta:
        ordering = ["appraisal", "member__name_pinyin"]
        verbose_name = "评议对象"
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "member"], name="appraisal_entry_once_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appraisal} {self.member}"


class AppraisalRating(models.Model):
    """互评: one member's rating of another."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    ratee = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    rating = models.CharField("等次", max_length=20, choices=Appraisal.Rating.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "appraisal__org__path"
    scope_member = "rater"

    class Meta:
        verbose_name = "互评"
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "rater", "ratee"],
                name="appraisal_rating_once",
                violation_error_message="已评议过该党员",
            ),
            models.CheckConstraint(
                condition=~Q(rater=models.F("ratee")),
                name="appraisal_rating_not_self",
                violation_error_message="互评不能评自己",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rater} → {self.ratee}: {self.get_rating_display()}"
