"""Reads of learning data: course lists, a member's courses and progress, and the
study-hour summary per member and per org (set-based: a fixed number of queries, whatever
the number of members). Lists of people are in the order of the rolls, never by hours."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from dangjian.learning.models import Course, Lesson, LessonProgress, StudyCredit, StudyExemption
from dangjian.learning.policy import Requirement, requirement
from dangjian.members.models import Member
from dangjian.orgs.models import Org, Position

ZERO = Decimal("0.00")


def courses_for_staff(user, *, q: str = "", year: int | None = None, status: str = ""):
    qs = Course.objects.manageable_by(user).select_related("org").annotate(n=Count("lessons"))
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "-id")


def courses_for_member(member: Member, year: int):
    """Published courses addressed to the member's org, with the member's completed count."""
    from dangjian.learning.models import audience_q

    return (
        Course.objects.filter(audience_q(member.pk), year=year)
        .select_related("org")
        .annotate(
            n=Count("lessons", distinct=True),
            done=Count(
                "lessons__progress",
                filter=Q(
                    lessons__progress__member=member,
                    lessons__progress__completed_at__isnull=False,
                ),
                distinct=True,
            ),
        )
        .order_by("-required", "-id")
    )


def lesson_progress(member: Member, lessons) -> dict[int, LessonProgress]:
    return {
        p.lesson_id: p
        for p in LessonProgress.objects.filter(member=member, lesson__in=list(lessons))
    }


def lessons_of(course: Course):
    return Lesson.objects.filter(course=course).order_by("position", "id")


@dataclass
class Hours:
    member: Member | MemberRef
    year: int
    total: Decimal = ZERO
    pending: Decimal = ZERO
    by_category: dict[str, Decimal] = field(default_factory=dict)
    required: Decimal = ZERO
    board: bool = False  # EDU-2 applies (secretary or board member)
    exempt: bool = False
    exemption_reason: str = ""

    @property
    def short(self) -> Decimal:
        """Hours still missing (0 when met or exempt)."""
        return ZERO if self.exempt else max(ZERO, self.required - self.total)

    @property
    def met(self) -> bool:
        return self.exempt or self.total >= self.required

    @property
    def percent(self) -> int:
        if self.exempt or not self.required:
            return 100
        return min(100, int(self.total * 100 / self.required))


def board_member_ids(member_ids, roles, on_year: int) -> set[int]:
    """Members holding one of ``roles`` (EDU-2: secretaries and board members) this year."""
    import datetime as dt

    end = min(dt.date(on_year, 12, 31), dt.date.today())
    return set(
        Position.objects.active(end)
        .filter(member_id__in=member_ids, role__in=roles)
        .values_list("member_id", flat=True)
    )


def hours_summary(members, year: int, req: Requirement | None = None, *, ids=None) -> list[Hours]:
    """Hours of each of ``members`` (a queryset, a list of members or of ``MemberRef``) in
    ``year``: four queries in all. ``ids``, a subquery of the same members' ids, spares the
    database a list of tens of thousands of parameters."""
    req = req or requirement(year)
    members = list(members)
    if ids is None:
        ids = [m.pk for m in members]
    sums: dict[int, dict[tuple[str, str], Decimal]] = defaultdict(dict)
    rows = (
        StudyCredit.objects.filter(member_id__in=ids, year=year)
        .values_list("member_id", "category", "status")
        .annotate(h=Sum("hours"))
        .order_by()
    )
    for member_id, category, status, h in rows:
        sums[member_id][(category, status)] = h
    exempt = dict(
        StudyExemption.objects.filter(member_id__in=ids, year=year).values_list(
            "member_id", "reason"
        )
    )
    board = board_member_ids(ids, req.board_roles, year)
    out = []
    for m in members:
        h = Hours(member=m, year=year, board=m.pk in board)
        h.required = req.board_hours if h.board else req.member_hours
        for (category, status), value in sums[m.pk].items():
            if status == StudyCredit.Status.APPROVED:
                h.by_category[category] = h.by_category.get(category, ZERO) + value
                h.total += value
            else:
                h.pending += value
        if m.pk in exempt:
            h.exempt, h.exemption_reason = True, exempt[m.pk]
        out.append(h)
    return out


def member_hours(member: Member, year: int) -> Hours:
    return hours_summary([member], year)[0]


def credits_of(member: Member, year: int):
    return StudyCredit.objects.filter(member=member, year=year).order_by("-created_at", "-id")


@dataclass(frozen=True)
class MemberRef:
    """What a list of hours shows of a member: no model instance per row of a city."""

    pk: int
    name: str
    org: Org


def org_hours(org: Org, year: int) -> list[Hours]:
    """Every party member on the rolls in ``org``'s subtree, in the order of the rolls (org,
    then name): who needs a plan, never a ranking."""
    members = Member.objects.on_rolls().party_members().in_subtree(org)
    orgs = Org.objects.in_subtree(org).only("pk", "name", "path")
    org_of = {o.pk: o for o in orgs}
    refs = [
        MemberRef(pk, name, org_of[org_id])
        for pk, name, org_id in members.order_by("org__path", "name", "pk").values_list(
            "pk", "name", "org_id"
        )
    ]
    return hours_summary(refs, year, ids=members.values("pk"))
