"""宣传发布 and 党务公开: notices (通知公告) to an org's subtree or named people with their read
receipts; articles (党建动态) and role models (身边榜样) written, reviewed (with the secrecy
review, 保密审查), approved and published to a scope (DSC-1, DSC-2); the branch's yearly
disclosure (党务公开, DSC-3) assembled from the platform's records.

Read receipts are for the sender's information only: nothing here counts, ranks or scores
people by what they read (ANT-2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangjian.core.models import TimeStamped
from dangjian.core.scope import ScopedQuerySet, lineage


def user_ref(label: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


class Scope(models.TextChoices):
    """To whom a published item is shown (DSC-2)."""

    PUBLIC = "public", "社会公开"
    PARTY = "party", "全体党员"
    ORG = "org", "本组织及下级"
    PEOPLE = "people", "指定人员"


class Status(models.TextChoices):
    """The DSC-1 procedure: 提出 → 审核 (保密审查) → 审批 → 实施."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    REVIEWED = "reviewed", "待审批"
    RETURNED = "returned", "退回修改"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


def _reader_paths(reach) -> set[str]:
    """The org paths from which items published "to this org and below" reach this user: the
    lineage of every org the user works in and of the org of their own member record."""
    from dangjian.core.scope import org_tree

    paths: set[str] = set()
    for p in reach.paths:
        paths.update(lineage(p))
    if reach.member_id:
        own = (
            org_tree()
            .model.objects.filter(members__pk=reach.member_id)
            .values_list("path", flat=True)
            .first()
        )
        if own:
            paths.update(lineage(own))
    return paths


class PublishedQuerySet(ScopedQuerySet):
    """Staff see their subtree's items in every state; everybody signed in sees the published
    items whose scope reaches them."""

    def published_q(self, reach):
        live = Q(status=Status.PUBLISHED)
        paths = _reader_paths(reach)
        # The whole party: people with a member record or a position; anyone else (a login
        # of neither kind) reads only what is public.
        party = bool(paths or reach.member_id)
        q = Q(scope__in=[Scope.PUBLIC, Scope.PARTY] if party else [Scope.PUBLIC])
        if paths:
            q |= Q(scope=Scope.ORG, org__path__in=paths)
        if reach.member_id:
            q |= Q(scope=Scope.PEOPLE, pk__in=self._people(reach.member_id))
        return live & q

    def _people(self, member_id: int):
        through = self.model.people.through
        return through.objects.filter(member_id=member_id).values(
            f"{self.model._meta.model_name}_id"
        )

    def public(self):
        """What anyone may read without logging in: published items of the public scope."""
        return self.filter(status=Status.PUBLISHED, scope=Scope.PUBLIC)


class Publication(TimeStamped):
    """What an article, a role model and a disclosure share: the org that publishes, the
    scope, and the record of each step of DSC-1 with distinct author, reviewer, approver."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="发布组织"
    )
    title = models.CharField("标题", max_length=200)
    scope = models.CharField("公开范围", max_length=10, choices=Scope.choices, default=Scope.ORG)
    people = models.ManyToManyField(
        "members.Member", blank=True, related_name="+", verbose_name="指定人员"
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    author = user_ref("撰稿人")
    author_name = models.CharField("撰稿人", max_length=50, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewer = user_ref("审核人")
    reviewer_name = models.CharField("审核人", max_length=50, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    secrecy_checked = models.BooleanField("已通过保密审查", default=False)
    review_note = models.CharField("审核意见", max_length=500, blank=True)
    approver = user_ref("审批人")
    approver_name = models.CharField("审批人", max_length=50, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdraw_reason = models.CharField("撤回原因", max_length=500, blank=True)

    objects = PublishedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)


class Article(Publication):
    """党建动态 and other articles: sanitized rich text, a category, a cover image."""

    class Category(models.TextChoices):
        NEWS = "news", "党建动态"
        WORK = "work", "工作交流"
        STUDY = "study", "学习园地"
        CULTURE = "culture", "机关文化"

    category = models.CharField(
        "栏目", max_length=10, choices=Category.choices, default=Category.NEWS
    )
    summary = models.CharField("摘要", max_length=300, blank=True)
    body = models.TextField("正文")
    cover = models.FileField("封面图", upload_to="publicity/covers/%Y/", blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "文章"
        indexes = [models.Index(fields=["org", "status"], name="publicity_article_org_status")]


class RoleModel(Publication):
    """身边榜样 / 先进典型: a member and their deeds, published only with their consent."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name="党员"
    )
    honour = models.CharField("荣誉称号", max_length=100, blank=True)
    deeds = models.TextField("先进事迹")
    consent_on = models.DateField("本人同意公开日期")
    consent_note = models.CharField("同意方式", max_length=200)
    photo = models.FileField("照片", upload_to="publicity/photos/%Y/", blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "身边榜样"


class Disclosure(Publication):
    """党务公开 (DSC-3): one org's disclosure of a year, its items assembled from records."""

    year = models.PositiveSmallIntegerField("年度")

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = "党务公开"
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year"],
                name="publicity_disclosure_once_per_year",
                violation_error_message="该组织本年度的党务公开已建立",
            )
        ]


class DisclosureItem(models.Model):
    """One item of a disclosure: generated from the records, editable before submission; its
    publication record (when and by whom it went public) is kept on the item."""

    class Kind(models.TextChoices):
        PLAN = "plan", "工作计划"
        LIFE = "life", "组织生活"
        DEVELOPMENT = "development", "发展党员"
        DUES = "dues", "党费收缴使用"
        ELECTIONS = "elections", "换届选举"
        OTHER = "other", "其他事项"

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    title = models.CharField("事项", max_length=200)
    content = models.TextField("内容", blank=True)
    source = models.CharField("数据来源", max_length=200, blank=True)
    sort = models.PositiveSmallIntegerField("顺序", default=0)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    published_scope = models.CharField("公开范围", max_length=10, choices=Scope.choices, blank=True)
    published_by_name = models.CharField("批准公开", max_length=50, blank=True)

    class Meta:
        ordering = ["disclosure", "sort", "id"]
        verbose_name = "公开事项"

    def __str__(self) -> str:
        return self.title


class NoticeQuerySet(ScopedQuerySet):
    def published_q(self, reach):
        """A notice reaches the people of its org's subtree (or its named people)."""
        q = Q(pk__in=[])
        paths = _reader_paths(reach)
        if paths:
            q |= Q(audience=Notice.Audience.SUBTREE, org__path__in=paths)
        if reach.member_id:
            through = Notice.people.through
            q |= Q(
                audience=Notice.Audience.PEOPLE,
                pk__in=through.objects.filter(member_id=reach.member_id).values("notice_id"),
            )
        return q & Q(withdrawn_at__isnull=True)

    def current(self, today):
        """Not withdrawn and not expired on ``today``; pinned ones first."""
        return self.filter(withdrawn_at__isnull=True).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )


class Notice(TimeStamped):
    """通知公告 of a committee or branch, to its subtree or to named people."""

    class Audience(models.TextChoices):
        SUBTREE = "subtree", "本组织及下级全体"
        PEOPLE = "people", "指定人员"

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="发布组织"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    audience = models.CharField(
        "发送范围", max_length=10, choices=Audience.choices, default=Audience.SUBTREE
    )
    people = models.ManyToManyField(
        "members.Member", blank=True, related_name="+", verbose_name="指定人员"
    )
    pinned = models.BooleanField("置顶", default=False)
    expires_on = models.DateField("有效期至", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", db_index=True)
    sender = user_ref("发布人")
    sender_name = models.CharField("发布人", max_length=50, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    objects = NoticeQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-pinned", "-published_at", "-id"]
        verbose_name = "通知公告"
        indexes = [models.Index(fields=["org", "published_at"], name="publicity_notice_org_at")]

    def __str__(self) -> str:
        return self.title


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to="publicity/notices/%Y/")
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")

    class Meta:
        ordering = ["notice", "id"]
        verbose_name = "通知附件"

    def __str__(self) -> str:
        return self.name


class NoticeRead(models.Model):
    """That a person opened a notice, for the sender's information (never an evaluation)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField("阅读时间")

    class Meta:
        ordering = ["notice", "read_at"]
        verbose_name = "阅读回执"
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "user"],
                name="publicity_notice_read_once",
                violation_error_message="已记录阅读",
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}/{self.user_id}"
