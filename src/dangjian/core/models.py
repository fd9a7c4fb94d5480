"""Platform-wide records: the audit log, the notification inbox, idempotency keys, the
outgoing channels of orgs and their delivery log."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models

from dangjian.core.scope import ScopedQuerySet


class TimeStamped(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class AuditQuerySet(ScopedQuerySet):
    pass


class AuditEntry(models.Model):
    """Append-only: one row per service write, login event, ID reveal or personal-data export."""

    class Action(models.TextChoices):
        CREATE = "create", "新建"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOGOUT = "logout", "退出"
        REVEAL = "reveal", "查看完整证件号"
        EXPORT = "export", "导出个人信息"
        IMPORT = "import", "导入"
        ACTION = "action", "操作"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("动作", max_length=20, choices=Action.choices)
    verb = models.CharField("事项", max_length=100, blank=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    org_path = models.CharField("组织路径", max_length=255, blank=True, db_index=True)
    changes = models.JSONField("变更", default=dict, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)

    objects = AuditQuerySet.as_manager()
    scope_path = "org_path"

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "审计日志"
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("审计日志只能追加，不能删除")


class Notification(models.Model):
    """An in-app inbox message. Email and webhook copies are sent by a task."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    dedupe_key = models.CharField("去重键", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "通知"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_once_per_key",
                violation_error_message="同一事项已通知过",
            )
        ]

    def __str__(self) -> str:
        return self.title


class IdempotencyRecord(models.Model):
    """The stored answer to a request sent with an Idempotency-Key header."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    endpoint = models.CharField(max_length=200)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "endpoint", "key"], name="idempotency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"


class Channel(TimeStamped):
    """An outgoing channel of an org (多平台融合): a WeChat Work / DingTalk / Feishu group
    robot, a generic webhook or a mailbox. What is published to the org (``core.signals
    .published``) is posted to it by the worker, with retries (``ChannelDelivery``).

    The address and the secret are credentials (a robot's URL carries its key): both are
    stored Fernet-encrypted and shown only masked."""

    class Kind(models.TextChoices):
        WECOM_ROBOT = "wecom_robot", "企业微信群机器人"
        DINGTALK_ROBOT = "dingtalk_robot", "钉钉群机器人"
        FEISHU_BOT = "feishu_bot", "飞书机器人"
        WEBHOOK = "webhook", "通用 Webhook"
        EMAIL = "email", "电子邮件"

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.CASCADE, related_name="channels", verbose_name="组织"
    )
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    url_enc = models.TextField("地址（加密）")
    url_hint = models.CharField("地址", max_length=300)
    secret_enc = models.TextField("签名密钥（加密）", blank=True)
    secret_hint = models.CharField("签名密钥", max_length=40, blank=True)
    include_subtree = models.BooleanField("同时推送下级组织发布的内容", default=False)
    enabled = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="创建人",
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["org__path", "name", "id"]
        verbose_name = "消息渠道"
        constraints = [
            models.UniqueConstraint(
                fields=["org", "name"],
                name="channel_name_unique_per_org",
                violation_error_message="本组织已有同名渠道",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return self.get_kind_display()

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_enc)

    @property
    def url_host(self) -> str:
        """Where it goes, for lists: the host (or the mailbox)."""
        return urlsplit(self.url_hint).netloc or self.url_hint


class ChannelDelivery(models.Model):
    """One message to one channel: the delivery log, with its attempts."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        RETRYING = "retrying", "等待重试"
        SENT = "sent", "已送达"
        FAILED = "failed", "发送失败"

    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, related_name="deliveries", verbose_name="渠道"
    )
    source = models.CharField("来源", max_length=100, blank=True)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=500, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=300, blank=True)
    sent_at = models.DateTimeField("送达时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "channel__org__path"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "渠道推送记录"
        indexes = [models.Index(fields=["channel", "-created_at"], name="delivery_channel_idx")]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"
