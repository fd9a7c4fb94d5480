"""Notices: to the subtree or named people, inbox messages, attachments, read receipts (for
the sender's information), pinning and expiry."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import Notification
from dangjian.publicity import services
from dangjian.publicity.models import Notice, NoticeRead
from tests.publicity.conftest import make_notice, pdf, png

pytestmark = pytest.mark.django_db


def test_subtree_notice_reaches_members_below_and_their_inbox(world):
    notice = make_notice(world.c1)
    for name in ("member_a", "peer_a", "sec_b", "sec_a"):
        assert Notice.objects.visible_to(world.user(name)).filter(pk=notice.pk).exists(), name
    assert Notification.objects.filter(
        user=world.user("member_a"), link__contains=str(notice.pk)
    ).exists()
    d_user = None
    from tests.factories import make_user

    d_user = make_user("member_d", member=world.members_d[0])
    assert not Notice.objects.visible_to(d_user).filter(pk=notice.pk).exists()
    assert not Notification.objects.filter(user=d_user).exists()


def test_branch_notice_is_not_seen_by_the_other_branch(world):
    notice = make_notice(world.a)
    assert Notice.objects.visible_to(world.user("member_a")).filter(pk=notice.pk).exists()
    assert not Notice.objects.visible_to(world.user("sec_b")).filter(pk=notice.pk).exists()


def test_notice_to_named_people(world):
    notice = make_notice(world.a, audience="people", people=[world.members_a[1]])
    assert Notice.objects.visible_to(world.user("member_a")).filter(pk=notice.pk).exists()
    assert not Notice.objects.visible_to(world.user("peer_a")).filter(pk=notice.pk).exists()
    with pytest.raises(DomainError):
        make_notice(world.a, audience="people", people=[])
    with pytest.raises(DomainError):
        make_notice(world.a, audience="people", people=[world.members_b[0]])


def test_attachments_are_checked_by_content(world):
    notice = make_notice(world.a, attachments=[pdf(), png()])
    assert [a.content_type for a in notice.attachments.all()] == ["application/pdf", "image/png"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(DomainError) as exc:
        make_notice(world.a, attachments=[SimpleUploadedFile("a.pdf", b"<html>not pdf</html>")])
    assert "a.pdf" in exc.value.message


def test_read_receipt_is_recorded_once(world):
    notice = make_notice(world.a)
    user = world.user("member_a")
    assert services.notice_read(user=user, notice=notice) is True
    assert services.notice_read(user=user, notice=notice) is False
    assert NoticeRead.objects.filter(notice=notice).count() == 1


def test_expired_notice_leaves_the_current_list(world):
    today = dt.date.today()
    old = make_notice(world.a, title="旧通知")
    Notice.objects.filter(pk=old.pk).update(expires_on=today - dt.timedelta(days=1))
    new = make_notice(world.a, title="新通知", expires_on=today)
    current = set(Notice.objects.current(today).values_list("pk", flat=True))
    assert new.pk in current and old.pk not in current


def test_expiry_in_the_past_is_refused(world):
    with pytest.raises(DomainError) as exc:
        make_notice(world.a, expires_on=dt.date.today() - dt.timedelta(days=1))
    assert exc.value.field == "expires_on"


def test_pinned_notices_come_first(world):
    first = make_notice(world.a, title="置顶", pinned=True)
    make_notice(world.a, title="普通")
    assert Notice.objects.visible_to(world.user("member_a")).first() == first


def test_withdrawn_notice_is_hidden_from_readers(world):
    from tests.factories import SYSTEM

    notice = make_notice(world.a)
    services.notice_withdraw(actor=SYSTEM, notice=notice, reason="重复发送")
    assert not Notice.objects.visible_to(world.user("member_a")).filter(pk=notice.pk).exists()
    with pytest.raises(Conflict):
        services.notice_withdraw(actor=SYSTEM, notice=notice, reason="again")
