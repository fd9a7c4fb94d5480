"""Users and API tokens. Positions (who acts for which org) live in ``orgs``."""

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dangjian.core.scope import ScopedQuerySet


class User(AbstractUser):
    name = models.CharField("姓名", max_length=50, blank=True)
    member = models.OneToOneField(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name="对应党员",
    )
    # Set when someone else chose the password (a new login, a reset): until the user
    # picks their own, pages redirect to the change form and the API answers 403.
    must_change_password = models.BooleanField("须修改密码", default=False)

    class Meta:
        verbose_name = "用户"
        ordering = ["username"]

    def get_full_name(self) -> str:
        return self.name or self.username

    def __str__(self) -> str:
        return self.name or self.username


class ApiTokenQuerySet(models.QuerySet):
    def live(self, now: dt.datetime | None = None) -> "ApiTokenQuerySet":
        """Tokens that still authenticate: before their absolute end and not idle too long."""
        now = now or timezone.now()
        idle_since = now - dt.timedelta(hours=settings.API_TOKEN_IDLE_HOURS)
        return self.filter(expires_at__gt=now).filter(
            Q(last_used_at__gt=idle_since) | Q(last_used_at__isnull=True, created_at__gt=idle_since)
        )

    def dead(self, now: dt.datetime | None = None) -> "ApiTokenQuerySet":
        return self.exclude(pk__in=self.live(now).values("pk"))


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored.

    A token dies at ``expires_at`` (absolute lifetime, ``API_TOKEN_DAYS``) or after
    ``API_TOKEN_IDLE_HOURS`` without use; revoking deletes the row.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    # The first characters of the raw token, so its owner can tell tokens apart.
    prefix = models.CharField("令牌开头", max_length=8, blank=True)
    client = models.CharField("客户端", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API 令牌"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} 的令牌（{self.expires_at:%Y-%m-%d} 到期）"

    @property
    def last_active_at(self) -> dt.datetime:
        return self.last_used_at or self.created_at

    @property
    def idle_expires_at(self) -> dt.datetime:
        """When the token dies if it is not used before then."""
        idle_end = self.last_active_at + dt.timedelta(hours=settings.API_TOKEN_IDLE_HOURS)
        return min(idle_end, self.expires_at)

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class ExternalIdentity(models.Model):
    """A WeChat Work or DingTalk account bound to a login of ours (第三方登录). Bound by the
    user (after signing in with a password, through the provider) or by a manager of the
    user's org (typing the provider's user id); a login through the provider finds the user
    here and nowhere else: no account is ever created by it."""

    class Provider(models.TextChoices):
        WECOM = "wecom", "企业微信"
        DINGTALK = "dingtalk", "钉钉"

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="identities", verbose_name="账号"
    )
    provider = models.CharField("平台", max_length=10, choices=Provider.choices)
    # WeChat Work: the UserId in the enterprise; DingTalk: the unionId.
    external_id = models.CharField("平台账号标识", max_length=128)
    external_name = models.CharField("平台上的名称", max_length=100, blank=True)
    bound_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="绑定人",
    )
    created_at = models.DateTimeField("绑定时间", auto_now_add=True)
    last_login_at = models.DateTimeField("最近登录", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "user__member__org__path"
    scope_member = "user__member"

    class Meta:
        verbose_name = "第三方账号绑定"
        ordering = ["user__username", "provider"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "external_id"],
                name="identity_unique_external",
                violation_error_message="该平台账号已绑定其他用户",
            ),
            models.UniqueConstraint(
                fields=["user", "provider"],
                name="identity_one_per_provider",
                violation_error_message="该用户已绑定此平台的账号",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}（{self.get_provider_display()}）"
