"""Background work of the core app."""

import json
import logging
import urllib.request

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django_tasks import task

log = logging.getLogger(__name__)


@task()
def deliver_notifications(*, user_ids: list[int], title: str, body: str, link: str) -> int:
    """Send the external copies of a notification: email (if configured) and webhook."""
    User = get_user_model()
    sent = 0
    url = settings.SITE_URL.rstrip("/") + link if link.startswith("/") else link
    text = f"{body}\n\n{url}".strip()
    if settings.EMAIL_HOST:
        emails = list(
            User.objects.filter(pk__in=user_ids).exclude(email="").values_list("email", flat=True)
        )
        for email in emails:
            send_mail(title, text, None, [email], fail_silently=True)
            sent += 1
    if settings.NOTIFY_WEBHOOK_URL:
        usernames = list(User.objects.filter(pk__in=user_ids).values_list("username", flat=True))
        # The text-message shape understood by WeChat Work and DingTalk robots; other
        # receivers get the same JSON with the extra fields.
        payload = {
            "msgtype": "text",
            "text": {"content": f"{title}\n{text}"},
            "title": title,
            "body": body,
            "link": url,
            "users": usernames,
        }
        request = urllib.request.Request(
            settings.NOTIFY_WEBHOOK_URL,
            data=json.dumps(payload, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            urllib.request.urlopen(request, timeout=10).close()
            sent += 1
        except OSError as exc:
            log.warning("notification webhook failed: %s", exc)
    return sent
