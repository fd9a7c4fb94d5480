"""Logins, logouts and failed logins go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from dangjian.core.audit import audit
from dangjian.core.models import AuditEntry


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit(actor=user, action=AuditEntry.Action.LOGIN, obj=user, verb="登录")


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit(actor=user, action=AuditEntry.Action.LOGOUT, obj=user, verb="退出")


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:100]
    audit(
        actor=None,
        action=AuditEntry.Action.LOGIN_FAILED,
        verb="登录失败",
        changes={"username": username},
    )
