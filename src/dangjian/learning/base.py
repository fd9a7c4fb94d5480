"""What the learning models share (kept apart so that every models module imports it and
none imports another): the audience of published content, the user reference, and the
member-owned base."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangjian.core.models import TimeStamped
from dangjian.core.scope import ScopedQuerySet, lineage

# The status value of published courses and exams (``Course.Status``, ``Exam.Status``).
PUBLISHED = "published"


def audience_q(member_id: int | None, prefix: str = "") -> Q:
    """Published courses addressed to the member: published at the member's org or an org
    above it (a course's audience is its org's subtree)."""
    if not member_id:
        return Q(pk__in=[])
    from dangjian.members.models import Member

    row = Member.objects.filter(pk=member_id).values_list("org__path", flat=True).first()
    if not row:
        return Q(pk__in=[])
    return Q(
        **{
            f"{prefix}status": PUBLISHED,
            f"{prefix}org__path__in": lineage(row),
        }
    )


def user_ref(label: str) -> models.ForeignKey:
    """A user who acted (kept as empty when the account is deleted)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


class MemberOwned(TimeStamped):
    """A row of one member: managers of the member's org and the member see it."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="+", verbose_name="党员"
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "member__org__path"
    scope_member = "member"

    class Meta:
        abstract = True
