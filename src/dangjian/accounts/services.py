"""Accounts: creating users, linking them to member records."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.accounts.models import User
from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import AuditEntry
from dangjian.core.scope import reach_of


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
) -> User:
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
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="password")
    user.set_password(password)
    user.save()
    org_path = member.org.path if member else ""
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=user,
        verb="新建账号",
        org_path=org_path,
        changes={"username": username, "member": member},
    )
    return user
