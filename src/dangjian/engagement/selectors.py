"""Reads of consultations and surveys, through the gate (``visible_to`` / ``manageable_by``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from dangjian.engagement.models import Consultation, Survey, SurveyVoter

CONSULTATION_SORTS = {
    "due": ("due_on", "id"),
    "-due": ("-due_on", "-id"),
    "new": ("-created_at", "-id"),
    "old": ("created_at", "id"),
}
SURVEY_SORTS = {"new": ("-created_at", "-id"), "title": ("title", "id")}


def consultation_list(
    *,
    user,
    org=None,
    status: str = "",
    kind: str = "",
    q: str = "",
    sort: str = "due",
    today: dt.date | None = None,
) -> QuerySet[Consultation]:
    """What a handler answers: consultations of the orgs within reach, one query a page.
    ``status`` is ``open``, ``answered`` or ``late`` (open past its deadline)."""
    qs = Consultation.objects.manageable_by(user).select_related("org", "topic")
    if org is not None:
        qs = qs.in_subtree(org)
    today = today or timezone.localdate()
    if status == "late":
        qs = qs.filter(status=Consultation.Status.OPEN, due_on__lt=today)
    elif status in Consultation.Status.values:
        qs = qs.filter(status=status)
    if kind in Consultation.Kind.values:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(question__icontains=q) | Q(reply__icontains=q) | Q(code=q.upper()))
    return qs.order_by(*CONSULTATION_SORTS.get(sort, CONSULTATION_SORTS["due"]))


def my_consultations(user) -> QuerySet[Consultation]:
    """What a signed-in person asked."""
    if not getattr(user, "is_authenticated", False):
        return Consultation.objects.none()
    return Consultation.objects.filter(asker=user).select_related("org").order_by("-created_at")


def by_code(code: str) -> Consultation | None:
    """The tracking page's one lookup: the code is the key (unguessable)."""
    from dangjian.engagement.services import normalize_code

    code = normalize_code(code)
    if not code:
        return None
    return Consultation.objects.select_related("org", "topic").filter(code=code).first()


def faq_list(*, org=None, q: str = "") -> QuerySet[Consultation]:
    """Published FAQ (the askers consented): public, no personal data is shown with it."""
    qs = Consultation.objects.faq().select_related("org")
    if org is not None:
        qs = qs.in_subtree(org)
    if q:
        qs = qs.filter(Q(question__icontains=q) | Q(reply__icontains=q))
    return qs.order_by("-replied_at", "-id")


def published_faq() -> list[dict]:
    """Every published FAQ as plain dicts ``{"id", "question", "answer", "url"}`` (for the
    "ask the regulations" search). One query."""
    base = reverse("engagement_public:faq")
    return [
        {"id": pk, "question": question, "answer": reply, "url": f"{base}#faq-{pk}"}
        for pk, question, reply in faq_list().values_list("pk", "question", "reply")
    ]


def survey_list(*, user, org=None, status: str = "", q: str = "", sort: str = "new"):
    """Surveys of the orgs within reach with their response count: one query a page."""
    qs = Survey.objects.manageable_by(user).select_related("org")
    if org is not None:
        qs = qs.in_subtree(org)
    if status in Survey.Status.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(title__icontains=q)
    qs = qs.annotate(n_responses=Count("responses", distinct=True))
    return qs.order_by(*SURVEY_SORTS.get(sort, SURVEY_SORTS["new"]))


def surveys_for_member(user, *, today: dt.date | None = None) -> list[dict]:
    """Open surveys published to this member, each with whether they have answered: two
    queries."""
    today = today or timezone.localdate()
    rows = list(
        Survey.objects.visible_to(user)
        .filter(status=Survey.Status.OPEN, audience=Survey.Audience.SUBTREE)
        .exclude(closes_on__lt=today)
        .select_related("org")
        .order_by("closes_on", "-id")[:50]
    )
    done = set(
        SurveyVoter.objects.filter(user=user, survey__in=rows).values_list("survey_id", flat=True)
    )
    return [{"survey": s, "answered": s.pk in done} for s in rows]
