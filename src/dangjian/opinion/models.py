"""舆情研判 (public-opinion watch): the feeds an org watches (``OpinionSource``), the words it
watches for (``KeywordSet``, with synonyms and exclusion words), the items fetched or entered
by hand (``OpinionItem``, with the words that matched and a sentiment estimate) and the case
an item is taken up as (``OpinionCase``, 研判: level, analysis, response plan, who answers, the
reply deadline by level from the standards library, closure).

Nothing here counts people's clicks or ranks anyone (RULES.md section K)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dangjian.core.models import TimeStamped
from dangjian.core.scope import ScopedQuerySet


def _user(label: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


def _org(label: str) -> models.ForeignKey:
    return models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=label
    )


class OpinionSource(TimeStamped):
    """An RSS/Atom feed an org watches. Added by admins only (services.source_create)."""

    org = _org("所属党组织")
    name = models.CharField("来源名称", max_length=100)
    url = models.URLField("订阅地址", max_length=1000)
    active = models.BooleanField("启用", default=True)
    # Conditional requests: what the server said last time.
    etag = models.CharField("ETag", max_length=300, blank=True)
    last_modified = models.CharField("Last-Modified", max_length=100, blank=True)
    last_fetched_at = models.DateTimeField("最近抓取", null=True, blank=True)
    last_result = models.CharField("最近结果", max_length=300, blank=True)
    last_ok = models.BooleanField("最近抓取成功", default=True)
    created_by = _user("添加人")

    objects = ScopedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["org__path", "name", "id"]
        verbose_name = "舆情来源"
        constraints = [
            models.UniqueConstraint(
                fields=["org", "url"],
                name="opinion_source_once_per_org",
                violation_error_message="该组织已添加此订阅地址",
            )
        ]

    def __str__(self) -> str:
        return self.name


class KeywordSet(TimeStamped):
    """Words an org watches for. ``synonyms`` maps a word to other words that count as it
    (预算 → 预决算); an item containing any ``exclude`` word does not match this set."""

    org = _org("所属党组织")
    name = models.CharField("名称", max_length=100)
    words = models.JSONField("关注词", default=list)
    synonyms = models.JSONField("同义词", default=dict, blank=True)
    exclude = models.JSONField("排除词", default=list, blank=True)
    active = models.BooleanField("启用", default=True)
    created_by = _user("建立人")

    objects = ScopedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["org__path", "name", "id"]
        verbose_name = "关注词组"

    def __str__(self) -> str:
        return self.name

    @property
    def synonym_lines(self) -> list[str]:
        return [f"{w}：{'、'.join(s)}" for w, s in (self.synonyms or {}).items()]


class Sentiment(models.TextChoices):
    POSITIVE = "positive", "偏正面"
    NEUTRAL = "neutral", "中性"
    NEGATIVE = "negative", "偏负面"


class OpinionItem(TimeStamped):
    """One piece of public opinion: fetched from a source or entered by hand (``channel``
    names where it was seen: 12345 热线, 信访, 微信群 …). Unique per org by URL and by
    content hash, so fetching a feed again adds nothing."""

    class Status(models.TextChoices):
        NEW = "new", "待研判"
        CASE = "case", "已立案研判"
        DISMISSED = "dismissed", "无需处置"

    org = _org("所属党组织")
    source = models.ForeignKey(
        OpinionSource,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name="来源",
    )
    channel = models.CharField("渠道", max_length=100, blank=True)
    title = models.CharField("标题", max_length=500)
    summary = models.TextField("摘要", blank=True)
    url = models.CharField("原文链接", max_length=1000, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    content_hash = models.CharField("内容摘要值", max_length=64)
    matched = models.BooleanField("命中关注词", default=False)
    matched_words = models.JSONField("命中词", default=list, blank=True)
    sentiment = models.FloatField("情感估计", null=True, blank=True)
    sentiment_label = models.CharField(
        "情感倾向", max_length=10, choices=Sentiment.choices, blank=True
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.NEW)
    created_by = _user("录入人")

    objects = ScopedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "舆情信息"
        constraints = [
            models.UniqueConstraint(
                fields=["org", "url"],
                condition=~Q(url=""),
                name="opinion_item_url_once_per_org",
                violation_error_message="该信息已收录（链接相同）",
            ),
            models.UniqueConstraint(
                fields=["org", "content_hash"],
                name="opinion_item_content_once_per_org",
                violation_error_message="该信息已收录（内容相同）",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "matched", "status"], name="opinion_item_queue"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def where(self) -> str:
        return self.source.name if self.source_id else (self.channel or "手工录入")


class Level(models.TextChoices):
    GENERAL = "general", "一般"
    MAJOR = "major", "较大"
    CRITICAL = "critical", "重大"


class OpinionCase(TimeStamped):
    """An item taken up (研判): its level sets the reply deadline (OPN-1 in
    opinion/standards.toml); higher levels are reported to the committee above."""

    class Status(models.TextChoices):
        OPEN = "open", "研判处置中"
        ANSWERED = "answered", "已回应"
        CLOSED = "closed", "已办结"

    item = models.OneToOneField(
        OpinionItem, on_delete=models.PROTECT, related_name="case", verbose_name="舆情信息"
    )
    org = _org("责任党组织")
    level = models.CharField("等级", max_length=10, choices=Level.choices)
    analysis = models.TextField("研判分析")
    response_plan = models.TextField("应对方案", blank=True)
    responder = models.CharField("回应责任人", max_length=100, blank=True)
    due_at = models.DateTimeField("回应时限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField("回应情况", blank=True)
    answered_at = models.DateTimeField("回应时间", null=True, blank=True)
    closure = models.TextField("办结说明", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    escalated_at = models.DateTimeField("报告上级时间", null=True, blank=True)
    created_by = _user("立案人")

    objects = ScopedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = "舆情研判"
        indexes = [models.Index(fields=["org", "status", "due_at"], name="opinion_case_due")]

    def __str__(self) -> str:
        return self.item.title if self.item_id else f"研判 {self.pk}"

    @property
    def is_late(self) -> bool:
        return self.status == self.Status.OPEN and self.due_at < timezone.now()
