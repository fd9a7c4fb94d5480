"""Helpers shared by the services of organizational life: the acting member, dates and
times in Beijing time, who is notified."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangjian.core.errors import DomainError
from dangjian.meetings.models import Meeting
from dangjian.members.models import Member
from dangjian.orgs.models import Org, Position
from dangjian.orgs.selectors import handlers_of


def actor_member(actor) -> Member:
    member_id = getattr(actor, "member_id", None)
    if not member_id:
        raise DomainError("当前账号未关联党员档案，无法以党员身份操作")
    return Member.objects.get(pk=member_id)


def local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def users_of(member_ids) -> list:
    from dangjian.accounts.models import User

    return list(User.objects.filter(member_id__in=list(member_ids), is_active=True))


NOTIFIED_ROLES = (
    Position.Role.SECRETARY,
    Position.Role.DEPUTY_SECRETARY,
    Position.Role.ORGANIZER,
    Position.Role.STAFF,
)


def secretaries_of(org: Org) -> list:
    return handlers_of([org], NOTIFIED_ROLES, active_accounts_only=True).get(org.pk, [])


# The sign-in window around the meeting's start when the secretary sets none.
SIGN_IN_EARLY = dt.timedelta(minutes=30)
SIGN_IN_LATE = dt.timedelta(hours=4)


def fill_window(meeting: Meeting) -> None:
    if meeting.held_at and not meeting.sign_in_opens_at:
        meeting.sign_in_opens_at = meeting.held_at - SIGN_IN_EARLY
    if meeting.held_at and not meeting.sign_in_closes_at:
        meeting.sign_in_closes_at = meeting.held_at + SIGN_IN_LATE
