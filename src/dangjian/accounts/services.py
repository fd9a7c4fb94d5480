"""Accounts: creating users, passwords, API tokens."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import ApiToken, ExternalIdentity, User
from dangjian.core.actors import actor_user
from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError, Forbidden, NotFound
from dangjian.core.models import AuditEntry
from dangjian.core.scope import reach_of


def _validate_new_password(password: str, user: User, field: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(
            exc.messages[0],
            errors=[{"field": field, "message": m} for m in exc.messages],
        )


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    name: str = "",
    member=None,
    email: str = "",
    is_superuser: bool = False,
    must_change_password: bool = True,
) -> User:
    """A login for someone. The password is a one-time password: its owner must change it
    at first login (``must_change_password``), so whoever created it cannot keep using it
    unnoticed. Only the demo passes ``must_change_password=False``."""
    username = (username or "").strip()
    if not username:
        raise DomainError("请填写用户名", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(f"用户名“{username}”已被使用", field="username")
    if is_superuser and not reach_of(actor).everything:
        raise DomainError("只有平台管理员可以创建平台管理员")
    if member is not None:
        if not reach_of(actor).covers(member.org.path):
            raise DomainError("该党员不在您的管理范围内", field="member")
        if User.objects.filter(member=member).exists():
            raise Conflict("该党员已有账号", field="member")
    user = User(
        username=username,
        name=name or (member.name if member else ""),
        member=member,
        email=email,
        is_superuser=is_superuser,
        is_staff=is_superuser,
        must_change_password=must_change_password,
    )
    _validate_new_password(password, user, "password")
    user.set_password(password)
    user.save()
    org_path = member.org.path if member else ""
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=user,
        verb="新建账号",
        org_path=org_path,
        changes={
            "username": username,
            "member": member,
            "must_change_password": must_change_password,
        },
    )
    return user


def _user_org_path(user: User) -> str:
    return user.member.org.path if user.member_id else ""


def _check_may_administer(actor, user: User) -> None:
    """Someone else's account: the platform admin, or a manager whose reach covers the
    account's member record and every position the account holds. Outside reach: 404."""
    from dangjian.orgs.models import Position

    reach = reach_of(actor)
    if reach.everything:
        return
    member_in_reach = bool(user.member_id) and reach.covers(user.member.org.path)
    position_paths = list(
        Position.objects.active().filter(user=user).values_list("org__path", flat=True)
    )
    if not member_in_reach and not any(reach.covers(p) for p in position_paths):
        raise NotFound()
    if user.is_superuser:
        raise Forbidden("只有平台管理员可以管理平台管理员的账号")
    if not all(reach.covers(p) for p in position_paths):
        raise Forbidden("该账号在您管理范围以外的组织任职，请由上级组织办理")


# -- passwords --------------------------------------------------------------------------


@transaction.atomic
def user_password_change(
    *,
    actor,
    user: User,
    old_password: str,
    new_password: str,
    keep_token: ApiToken | None = None,
) -> User:
    """The user changes their own password. Every API token of the user dies except
    ``keep_token`` (the one the request came with, when it came through the API)."""
    if getattr(actor, "pk", None) != user.pk:
        raise Forbidden("只能修改自己的密码")
    errors = []
    if not user.check_password(old_password or ""):
        errors.append({"field": "old_password", "message": "原密码不正确"})
    elif old_password == new_password:
        errors.append({"field": "new_password", "message": "新密码不能与原密码相同"})
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    _validate_new_password(new_password or "", user, "new_password")
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    revoked = tokens_revoke_all(user=user, keep=keep_token)
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=user,
        verb="修改密码",
        org_path=_user_org_path(user),
        changes={"tokens_revoked": revoked},
    )
    return user


@transaction.atomic
def user_password_reset(*, actor, user: User, password: str) -> User:
    """A manager sets a new one-time password for someone else's account; the owner must
    change it at their next login. Every API token of the account dies."""
    if getattr(actor, "pk", None) == user.pk:
        raise DomainError("修改自己的密码请使用“修改密码”")
    _check_may_administer(actor, user)
    _validate_new_password(password or "", user, "password")
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    revoked = tokens_revoke_all(user=user)
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=user,
        verb="重置密码",
        org_path=_user_org_path(user),
        changes={"must_change_password": True, "tokens_revoked": revoked},
    )
    return user


@transaction.atomic
def user_deactivate(*, actor, user: User) -> User:
    """Stop an account: it can no longer log in, and every API token of it dies."""
    if getattr(actor, "pk", None) == user.pk:
        raise DomainError("不能停用自己的账号")
    _check_may_administer(actor, user)
    if not user.is_active:
        raise Conflict("该账号已停用")
    user.is_active = False
    user.save(update_fields=["is_active"])
    revoked = tokens_revoke_all(user=user)
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=user,
        verb="停用账号",
        org_path=_user_org_path(user),
        changes={"is_active": [True, False], "tokens_revoked": revoked},
    )
    return user


# -- API tokens -------------------------------------------------------------------------


@transaction.atomic
def token_issue(*, user: User, client: str = "") -> tuple[ApiToken, str]:
    """A new bearer token for ``user``: the row and the raw token (shown once, never
    stored). The user's dead tokens are cleared away, and beyond ``API_TOKEN_MAX_PER_USER``
    live tokens the oldest are revoked, so logging in again and again adds no rows."""
    now = timezone.now()
    mine = ApiToken.objects.filter(user=user)
    mine.dead(now).delete()
    keep = settings.API_TOKEN_MAX_PER_USER - 1
    surplus = list(mine.order_by("-created_at", "-pk").values_list("pk", flat=True)[keep:])
    if surplus:
        ApiToken.objects.filter(pk__in=surplus).delete()
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        digest=ApiToken.digest_of(raw),
        prefix=raw[:6],
        client=(client or "")[:200],
        expires_at=now + dt.timedelta(days=settings.API_TOKEN_DAYS),
    )
    return token, raw


def token_authenticate(raw: str) -> ApiToken | None:
    """The live token of an active user that ``raw`` is, or None. Marks it used (at most
    one write per five minutes, so reads do not each write)."""
    if not raw:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.live(now)
        .select_related("user", "user__member")
        .filter(digest=ApiToken.digest_of(raw))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> None:
    """A user revokes one of their own tokens (logging out of the API is revoking the token
    the request came with). The caller looks the token up among the actor's own: 404."""
    if getattr(actor, "pk", None) != token.user_id:
        raise NotFound()
    audit(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=token,
        verb="撤销 API 令牌",
        org_path=_user_org_path(token.user),
        changes={"prefix": token.prefix, "client": token.client},
    )
    token.delete()


def tokens_revoke_all(*, user: User, keep: ApiToken | None = None) -> int:
    """Delete every token of ``user`` except ``keep``; the number deleted. Called by the
    services above inside their transaction (they write the audit entry)."""
    rows = ApiToken.objects.filter(user=user)
    if keep is not None:
        rows = rows.exclude(pk=keep.pk)
    deleted, _ = rows.delete()
    return deleted


# --- external identities (WeChat Work / DingTalk login) -----------------------------------


@transaction.atomic
def identity_bind(
    *, actor, user: User, provider: str, external_id: str, external_name: str = ""
) -> ExternalIdentity:
    """Bind a WeChat Work / DingTalk account to ``user``: by the user himself (through the
    provider) or by a manager of his org (the view gives only users in reach)."""
    external_id = (external_id or "").strip()
    if provider not in ExternalIdentity.Provider.values:
        raise DomainError("平台应为企业微信（wecom）或钉钉（dingtalk）", field="provider")
    if not external_id or len(external_id) > 128:
        raise DomainError("请填写平台账号标识（最多 128 个字符）", field="external_id")
    label = ExternalIdentity.Provider(provider).label
    taken = ExternalIdentity.objects.filter(provider=provider, external_id=external_id).first()
    if taken is not None:
        if taken.user_id == user.pk:
            raise Conflict(f"该{label}账号已绑定到此账号")
        raise Conflict(f"该{label}账号已绑定其他用户，如需更换请先解除原绑定", field="external_id")
    if ExternalIdentity.objects.filter(user=user, provider=provider).exists():
        raise Conflict(f"{user}已绑定{label}账号，如需更换请先解除绑定", field="user")
    identity = ExternalIdentity.objects.create(
        user=user,
        provider=provider,
        external_id=external_id,
        external_name=(external_name or "")[:100],
        bound_by=actor_user(actor),
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=identity,
        verb=f"绑定{label}账号",
        org_path=user.member.org.path if user.member_id else "",
        changes={"user": user.pk, "provider": provider, "external_id": external_id},
    )
    return identity


@transaction.atomic
def identity_unbind(*, actor, identity: ExternalIdentity) -> None:
    user = identity.user
    audit(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=identity,
        verb=f"解除{identity.get_provider_display()}账号绑定",
        org_path=user.member.org.path if user.member_id else "",
        changes={"user": user.pk, "provider": identity.provider},
    )
    identity.delete()


def identity_login(*, provider: str, external_id: str) -> User:
    """The active user bound to this provider account (never a new one)."""
    identity = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=provider, external_id=external_id)
        .first()
    )
    label = ExternalIdentity.Provider(provider).label
    if identity is None:
        raise NotFound(
            f"该{label}账号尚未绑定平台账号。请先用账号密码登录，在“账号绑定”中绑定；"
            "或请本组织的管理人员为您绑定。"
        )
    if not identity.user.is_active:
        raise Forbidden("该账号已停用。")
    ExternalIdentity.objects.filter(pk=identity.pk).update(last_login_at=timezone.now())
    return identity.user
