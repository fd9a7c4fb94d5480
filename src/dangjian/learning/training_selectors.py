"""Reads of training classes and outside records, through the gate; one query per list."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404

from dangjian.learning.models import (
    OutsideRecord,
    TrainingAttendance,
    TrainingClass,
    TrainingSession,
    TrainingSessionAttendance,
)


def trainings_for_staff(user, *, q: str = "", year: int | None = None, org=None):
    qs = (
        TrainingClass.objects.manageable_by(user)
        .select_related("org")
        .annotate(
            n=Count("attendances", distinct=True),
            present=Count(
                "attendances",
                filter=Q(attendances__status=TrainingAttendance.Status.PRESENT),
                distinct=True,
            ),
        )
    )
    if org is not None:
        qs = qs.in_subtree(org)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(place__icontains=q))
    if year:
        qs = qs.filter(starts_at__year=year)
    return qs.order_by("-starts_at", "-id")


def attendances_of(training: TrainingClass):
    """The class's list in the order of the rolls (org, then name)."""
    return (
        TrainingAttendance.objects.filter(training=training)
        .select_related("member__org")
        .order_by("member__org__path", "member__name", "pk")
    )


def sessions_of(training: TrainingClass):
    """The class's sessions in time order, each with ``n_present``."""
    return training.sessions.annotate(n_present=Count("presences")).order_by("starts_at", "pk")


def session_of(trainings, training_session_id: int):
    """A session of one of ``trainings`` (a queryset already through the gate), or 404."""
    session = (
        TrainingSession.objects.filter(training__in=trainings, pk=training_session_id)
        .select_related("training")
        .first()
    )
    if session is None:
        raise Http404("对象不存在或无权访问")
    return session


def session_presence(session) -> set[int]:
    """Ids of the members present at one session."""
    return set(session.presences.values_list("member_id", flat=True))


def with_sessions(training: TrainingClass, rows: list) -> list:
    """Give each row of the class list ``sessions_present``: the ids of the sessions its
    member attended (one query for the whole list)."""
    attended: dict[int, set[int]] = {}
    for member_id, session_id in TrainingSessionAttendance.objects.filter(
        session__training=training
    ).values_list("member_id", "session_id"):
        attended.setdefault(member_id, set()).add(session_id)
    for row in rows:
        row.sessions_present = attended.get(row.member_id, set())
    return rows


def trainings_for_member(member_id: int):
    """The member's classes, newest first, each with its materials and sessions (three
    queries)."""
    from django.db.models import Prefetch

    from dangjian.learning.models import TrainingMaterial

    return (
        TrainingAttendance.objects.filter(member_id=member_id)
        .exclude(training__status=TrainingClass.Status.CANCELLED)
        .select_related("training__org")
        .prefetch_related(
            Prefetch("training__materials", queryset=TrainingMaterial.objects.order_by("pk")),
            Prefetch("training__sessions", queryset=TrainingSession.objects.order_by("starts_at")),
        )
        .order_by("-training__starts_at")
    )


def sessions_attended(member_id: int) -> set[int]:
    """Ids of the sessions the member attended (one query)."""
    return set(
        TrainingSessionAttendance.objects.filter(member_id=member_id).values_list(
            "session_id", flat=True
        )
    )


def records_for_staff(user, *, status: str = "", org=None):
    qs = OutsideRecord.objects.manageable_by(user).select_related("member__org", "approver")
    if org is not None:
        qs = qs.in_subtree(org)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "pk")
