"""Consultation, suggestions and feedback (线上咨询、意见建议、投诉反馈) and surveys (网上调查).

One ``Consultation`` model carries the three kinds of message a member or anyone from the
public sends to the party organization: they are routed, answered, tracked by code and rated
the same way (ANT-5), so they share one table, one workflow and one reply deadline rule
(ENG-1). ``Topic`` is a subject an org answers for (routing by subject).

Anonymous surveys are kept the way a ballot box is: ``SurveyResponse`` holds the survey and
the answers only (a random UUID key, no time, no person); ``SurveyVoter`` is the roll of who
has answered (survey and user, nothing else) and ``SurveyToken`` the one-time tokens of a
public link (survey, token digest, used or not). No column or join links a response to a
person or a token. A named (not anonymous) survey records its respondent on the response.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangjian.core.models import TimeStamped
from dangjian.core.scope import ScopedQuerySet, lineage

RATING_MAX = 5  # the satisfaction and rating-question scale: 1 to 5 stars (a UI choice)


class Topic(TimeStamped):
    """A subject an org answers for: a question on it is routed to that org."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="受理党组织"
    )
    name = models.CharField("咨询事项", max_length=60)
    active = models.BooleanField("受理中", default=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "咨询事项"
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="engagement_topic_unique",
                violation_error_message="该事项已存在",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ConsultationQuerySet(ScopedQuerySet):
    def faq(self):
        return self.filter(faq_published=True, status=Consultation.Status.ANSWERED)


class Consultation(TimeStamped):
    """A question, a suggestion or a complaint, its routing, reply and rating."""

    class Kind(models.TextChoices):
        QUESTION = "question", "咨询"
        SUGGESTION = "suggestion", "意见建议"
        COMPLAINT = "complaint", "投诉反馈"

    class Channel(models.TextChoices):
        MEMBER = "member", "党员（登录）"
        PUBLIC = "public", "公众（门户）"

    class Status(models.TextChoices):
        OPEN = "open", "待答复"
        ANSWERED = "answered", "已答复"

    code = models.CharField("查询码", max_length=20, unique=True, editable=False)
    kind = models.CharField("类别", max_length=12, choices=Kind.choices, default=Kind.QUESTION)
    channel = models.CharField("来源", max_length=8, choices=Channel.choices)
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="受理党组织"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="咨询事项"
    )
    question = models.TextField("内容")
    contact = models.CharField("联系方式", max_length=100, blank=True)
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提问人",
    )
    faq_consent = models.BooleanField("同意公开为常见问题", default=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    due_on = models.DateField("答复时限")
    reply = models.TextField("答复", blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复人",
    )
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("满意度", null=True, blank=True)
    rating_note = models.CharField("评价意见", max_length=300, blank=True)
    faq_published = models.BooleanField("已公开为常见问题", default=False)
    client_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    objects = ConsultationQuerySet.as_manager()
    scope_path = "org__path"
    scope_member = "asker__member"  # a member sees what they asked themselves

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "咨询与反馈"
        indexes = [models.Index(fields=["status", "due_on"], name="engagement_cons_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=RATING_MAX),
                name="engagement_cons_rating_range",
                violation_error_message="满意度应为1至5星",
            ),
            models.CheckConstraint(
                condition=Q(faq_published=False) | Q(faq_consent=True),
                name="engagement_faq_needs_consent",
                violation_error_message="提问人未同意公开，不能公开为常见问题",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"

    @property
    def short(self) -> str:
        text = self.question.strip().replace("\n", " ")
        return text if len(text) <= 40 else text[:40] + "…"


class SurveyQuerySet(ScopedQuerySet):
    def published_q(self, reach):
        """A member sees the open or closed surveys of their org and the orgs above it."""
        if not reach.member_id:
            return Q(pk__in=[])
        from dangjian.members.models import Member

        path = Member.objects.filter(pk=reach.member_id).values_list("org__path", flat=True)
        paths = lineage(path.first() or "")
        if not paths:
            return Q(pk__in=[])
        return Q(org__path__in=paths, audience=Survey.Audience.SUBTREE) & ~Q(
            status=Survey.Status.DRAFT
        )


class Survey(TimeStamped):
    """A survey or poll of an org: for its subtree's members or by public link."""

    class Audience(models.TextChoices):
        SUBTREE = "subtree", "本组织及下级党员"
        PUBLIC = "public", "公开链接（一次性口令）"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        OPEN = "open", "进行中"
        CLOSED = "closed", "已结束"

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="发起党组织"
    )
    title = models.CharField("标题", max_length=200)
    intro = models.TextField("说明", blank=True)
    anonymous = models.BooleanField("匿名", default=True)
    audience = models.CharField(
        "对象", max_length=10, choices=Audience.choices, default=Audience.SUBTREE
    )
    satisfaction = models.BooleanField("满意度测评", default=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_on = models.DateField("开始日期", null=True, blank=True)
    closes_on = models.DateField("截止日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = SurveyQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "网上调查"
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(closes_on__gte=models.F("opens_on")),
                name="engagement_survey_dates",
                violation_error_message="截止日期不能早于开始日期",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "单选"
        MULTIPLE = "multiple", "多选"
        TEXT = "text", "填空"
        RATING = "rating", "评分"
        MATRIX = "matrix", "矩阵单选"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField("题号")
    kind = models.CharField("题型", max_length=10, choices=Kind.choices)
    text = models.CharField("题目", max_length=300)
    options = models.JSONField("选项", default=list, blank=True)
    rows = models.JSONField("矩阵行", default=list, blank=True)
    required = models.BooleanField("必答", default=True)

    class Meta:
        ordering = ["survey", "number"]
        verbose_name = "题目"
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "number"],
                name="engagement_question_number",
                violation_error_message="题号重复",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class SurveyResponse(models.Model):
    """One filled-in survey. For an anonymous survey: the survey and the answers, nothing
    else (random key, no time, no person)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField("答案")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答卷人（实名调查）",
    )

    class Meta:
        verbose_name = "答卷"

    def __str__(self) -> str:
        return "答卷"


class SurveyVoter(models.Model):
    """The roll of who has answered a survey: no answers, no link to a response."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="voters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "已答卷人员"
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                name="engagement_voter_once",
                violation_error_message="您已参加过该调查",
            )
        ]

    def __str__(self) -> str:
        return "已答卷"


class SurveyToken(models.Model):
    """A one-time token of a public survey link; only its SHA-256 is kept."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField("已使用", default=False)

    class Meta:
        verbose_name = "一次性口令"

    def __str__(self) -> str:
        return "口令"
