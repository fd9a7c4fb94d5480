"""Notices (通知公告): published at once by the org's staff to its subtree or to named people,
with attachments; each reader's first opening is recorded for the sender's information
(never an evaluation: ANT-2); pinned notices come first; an expired notice leaves the lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.core.actors import actor_name, actor_user
from dangjian.core.audit import audit
from dangjian.core.dates import check_sensible_date
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.services import notify
from dangjian.core.uploads import accept
from dangjian.members.models import Member
from dangjian.orgs.models import Org
from dangjian.publicity.models import Notice, NoticeAttachment, NoticeRead
from dangjian.publicity.services.common import ATTACHMENT_TYPES, announce, text

MAX_ATTACHMENTS = 10


def audience_users(notice: Notice):
    """The active users the notice reaches: the members of the org's subtree (or the named
    people) who have a login."""
    users = get_user_model().objects.filter(is_active=True)
    if notice.audience == Notice.Audience.PEOPLE:
        return users.filter(member__in=notice.people.all())
    return users.filter(member__org__path__startswith=notice.org.path, member__left_on=None)


@transaction.atomic
def notice_publish(
    *,
    actor,
    org: Org,
    title: str,
    body: str,
    audience: str = Notice.Audience.SUBTREE,
    people: list[Member] | None = None,
    pinned: bool = False,
    expires_on: dt.date | None = None,
    attachments: list | None = None,
) -> Notice:
    title = text(title, field="title", label="标题", limit=200)
    body = text(body, field="body", label="正文", limit=20_000)
    if audience not in Notice.Audience.values:
        raise DomainError("发送范围无效，可选：本组织及下级全体（subtree）、指定人员（people）")
    people = list(people or []) if audience == Notice.Audience.PEOPLE else []
    if audience == Notice.Audience.PEOPLE:
        if not people:
            raise DomainError("请选择至少 1 名接收人", field="people")
        outside = [m.name for m in people if not m.org.path.startswith(org.path)]
        if outside:
            raise DomainError(f"{'、'.join(outside)}不在{org.name}", field="people")
    if expires_on is not None:
        check_sensible_date(expires_on, field="expires_on")
        if expires_on < timezone.localdate():
            raise DomainError("有效期不能早于今天", field="expires_on")
    files = list(attachments or [])
    if len(files) > MAX_ATTACHMENTS:
        raise DomainError(f"附件最多 {MAX_ATTACHMENTS} 个", field="attachments")
    checked = []
    for upload in files:
        try:
            ctype, _ext = accept(
                upload, ATTACHMENT_TYPES, type_message="附件只支持 PDF、图片、Word、Excel"
            )
        except DomainError as exc:
            raise DomainError(f"{upload.name}：{exc.message}", field="attachments") from None
        checked.append((upload, ctype))
    notice = Notice.objects.create(
        org=org,
        title=title,
        body=body,
        audience=audience,
        pinned=bool(pinned),
        expires_on=expires_on,
        published_at=timezone.now(),
        sender=actor_user(actor),
        sender_name=actor_name(actor),
    )
    notice.people.set(people)
    for upload, ctype in checked:
        NoticeAttachment.objects.create(
            notice=notice,
            file=upload,
            name=Path(upload.name).name[:200],
            content_type=ctype,
            size=upload.size,
        )
    audit(
        actor=actor,
        action="create",
        obj=notice,
        verb=f"发布通知公告：{title}（{notice.get_audience_display()}）",
    )
    url = reverse("publicity:notice", args=[notice.pk])
    notify(
        users=audience_users(notice),
        title=f"通知公告：{title}",
        body=body[:200],
        link=url,
        dedupe_key=f"publicity:notice:{notice.pk}",
    )
    if audience == Notice.Audience.SUBTREE:
        announce(Notice, org=org, title=title, text=body[:500], url=url, actor=actor)
    return notice


def notice_read(*, user, notice: Notice) -> bool:
    """Record that ``user`` opened ``notice`` (the first time only). True when recorded now.
    Only the reader's own first opening writes; every later opening reads."""
    if not getattr(user, "is_authenticated", False):
        return False
    if NoticeRead.objects.filter(notice=notice, user=user).exists():
        return False
    try:
        with transaction.atomic():
            NoticeRead.objects.create(notice=notice, user=user, read_at=timezone.now())
    except IntegrityError:
        return False
    return True


@transaction.atomic
def notice_update(*, actor, notice: Notice, pinned: bool | None = None, expires_on=False) -> Notice:
    """Pin or unpin a notice, or change its expiry (``expires_on=None`` clears it)."""
    notice = Notice.objects.select_for_update(of=("self",)).get(pk=notice.pk)
    if notice.withdrawn_at:
        raise Conflict("该通知已撤回", field="status")
    changes = {}
    if pinned is not None and pinned != notice.pinned:
        changes["pinned"] = [notice.pinned, bool(pinned)]
        notice.pinned = bool(pinned)
    if expires_on is not False:
        if expires_on is not None:
            check_sensible_date(expires_on, field="expires_on")
        changes["expires_on"] = [notice.expires_on, expires_on]
        notice.expires_on = expires_on
    notice.save(update_fields=["pinned", "expires_on", "updated_at"])
    audit(
        actor=actor, action="update", obj=notice, verb=f"调整通知：{notice.title}", changes=changes
    )
    return notice


@transaction.atomic
def notice_withdraw(*, actor, notice: Notice, reason: str) -> Notice:
    notice = Notice.objects.select_for_update(of=("self",)).get(pk=notice.pk)
    if notice.withdrawn_at:
        raise Conflict("该通知已撤回", field="status")
    reason = text(reason, field="reason", label="撤回原因", limit=500)
    notice.withdrawn_at = timezone.now()
    notice.save(update_fields=["withdrawn_at", "updated_at"])
    audit(actor=actor, action="update", obj=notice, verb=f"撤回通知：{notice.title}（{reason}）")
    return notice
