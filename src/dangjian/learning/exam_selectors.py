"""Reads of banks, exams and results: lists for staff (through the gate), the exams open to a
member, and an exam's results as rates per org (taken, passed), never a list of people
ordered by score. A constant number of queries per list."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from dangjian.core.scope import lineage
from dangjian.learning.models import Attempt, Exam, Question, QuestionBank
from dangjian.members.models import Member
from dangjian.orgs.models import Org


def banks_for_staff(user, *, q: str = ""):
    qs = (
        QuestionBank.objects.manageable_by(user)
        .select_related("org")
        .annotate(n=Count("questions"))
    )
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return qs.order_by("-id")


def questions_of(bank: QuestionBank, *, q: str = "", kind: str = "", category: str = ""):
    qs = Question.objects.filter(bank=bank)
    if q:
        qs = qs.filter(Q(text__icontains=q) | Q(tags__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("id")


def exams_for_staff(user, *, q: str = "", org: Org | None = None, status: str = ""):
    qs = (
        Exam.objects.manageable_by(user)
        .select_related("org")
        .annotate(n=Count("attempt_set__member", distinct=True))
    )
    if org is not None:
        qs = qs.in_subtree(org)
    if q:
        qs = qs.filter(title__icontains=q)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-id")


@dataclass
class MyExam:
    exam: Exam
    used: int  # attempts taken
    best: int | None
    passed: bool
    open_attempt: Attempt | None

    @property
    def left(self) -> int:
        return max(0, self.exam.attempts - self.used)

    @property
    def can_start(self) -> bool:
        return not self.passed and (self.open_attempt is not None or self.left > 0)


def exams_for_member(member: Member, *, now=None) -> list[MyExam]:
    """Published exams addressed to the member's org and not closed (two queries)."""
    now = now or timezone.now()
    exams = list(
        Exam.objects.filter(
            status=Exam.Status.PUBLISHED,
            org__path__in=lineage(member.org.path),
        )
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("org")
        .order_by("closes_at", "-id")
    )
    mine = defaultdict(list)
    for a in Attempt.objects.filter(member=member, exam__in=exams):
        mine[a.exam_id].append(a)
    out = []
    for exam in exams:
        rows = mine[exam.pk]
        scores = [a.score for a in rows if a.score is not None]
        out.append(
            MyExam(
                exam=exam,
                used=len(rows),
                best=max(scores) if scores else None,
                passed=any(a.passed for a in rows),
                open_attempt=next((a for a in rows if a.submitted_at is None), None),
            )
        )
    return out


def attempts_of(member: Member, exam: Exam):
    return Attempt.objects.filter(member=member, exam=exam).order_by("number")


@dataclass
class OrgResult:
    org: Org
    members: int
    taken: int
    passed: int

    @property
    def taken_rate(self) -> float | None:
        return self.taken / self.members if self.members else None

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.members if self.members else None


def exam_results(exam: Exam, user) -> list[OrgResult]:
    """Per org of the exam's audience within the user's reach, in the order of the tree: how
    many party members took the exam and how many passed (three queries)."""
    members = (
        Member.objects.on_rolls()
        .party_members()
        .in_subtree(exam.org)
        .filter(org__in=Org.objects.manageable_by(user))
    )
    counts = dict(members.values_list("org_id").annotate(n=Count("pk")).order_by())
    taken, passed = defaultdict(set), defaultdict(set)
    rows = Attempt.objects.filter(exam=exam, member__in=members).values_list(
        "member__org_id", "member_id", "passed"
    )
    for org_id, member_id, ok in rows:
        taken[org_id].add(member_id)
        if ok:
            passed[org_id].add(member_id)
    orgs = Org.objects.filter(pk__in=counts).order_by("path")
    return [
        OrgResult(org=o, members=counts[o.pk], taken=len(taken[o.pk]), passed=len(passed[o.pk]))
        for o in orgs
    ]


def org_and_children(org: Org) -> list[Org]:
    """The org and the orgs directly under it, in the order of the tree."""
    return [org, *Org.objects.filter(parent=org, dissolved_on__isnull=True).order_by("path")]
