"""Reads of the talent app, all through the gate: the pool search (skill, org, availability,
name or pinyin initials), a profile with its training record read from learning (ANT-4),
track progress per person and per org, and the SUP-6 table per unit. One query per list."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from dangjian.core.exporters import Exporter
from dangjian.core.scope import reach_of
from dangjian.learning.models import StudyCredit
from dangjian.learning.training_common import TRAINING
from dangjian.members.models import Member
from dangjian.members.selectors import search_q
from dangjian.orgs.models import Org, Position
from dangjian.standards.selectors import rule_in_force
from dangjian.talent.models import Assignment, Certificate, Skill, Talent, Track, TrackItem

COURSE = "learning.course"
SORTS = {
    "name": ("姓名", ["member__name_pinyin", "id"]),
    "org": ("所在组织", ["member__org__path", "member__name_pinyin", "id"]),
    "newest": ("提名时间", ["-created_at", "-id"]),
    "confirmed": ("复核日期", ["confirmed_on", "id"]),
}


def talent_list(
    user,
    *,
    q: str = "",
    skill: str = "",
    org: Org | None = None,
    availability: str = "",
    status: str | None = Talent.Status.ADMITTED,
    order: str = "name",
) -> QuerySet[Talent]:
    """The pool within reach. ``q``: a name, full pinyin or pinyin initials ("zs" → 张三) or a
    free tag; ``skill``: a skill's name; ``status`` None: every status."""
    qs = Talent.objects.visible_to(user)
    if status:
        qs = qs.filter(status=status)
    if skill:
        qs = qs.filter(skills__name=skill.strip())
    if org is not None:
        qs = qs.in_subtree(org)
    if availability:
        qs = qs.filter(availability=availability)
    q = (q or "").strip()
    if q:
        people = Member.objects.filter(search_q(q)).values("pk")
        qs = qs.filter(Q(member__in=people) | Q(tags__contains=q))
    _, ordering = SORTS.get(order, SORTS["name"])
    return (
        qs.select_related("member__org", "org")
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("sort", "id")))
        .order_by(*ordering)
    )


def pending_nominations(user) -> QuerySet[Talent]:
    return talent_list(user, status=Talent.Status.NOMINATED, order="newest")


def talent_profile(talent: Talent) -> Talent:
    return (
        Talent.objects.select_related("member__org", "org", "reviewed_by", "nominated_by")
        .prefetch_related(
            "skills",
            Prefetch("certificates", queryset=Certificate.objects.order_by("expires_on", "id")),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("org", "initiative").order_by(
                    "-started_on", "-id"
                ),
            ),
        )
        .get(pk=talent.pk)
    )


def training_record(member_id: int, *, years: int = 3) -> list[StudyCredit]:
    """The member's approved study hours of the last ``years`` years, from learning."""
    since = timezone.localdate().year - years + 1
    return list(
        StudyCredit.objects.filter(
            member_id=member_id, year__gte=since, status=StudyCredit.Status.APPROVED
        ).order_by("-year", "-id")[:50]
    )


def my_nominations(user) -> QuerySet[Talent]:
    """A member's own nominations and place in the pool (the phone page)."""
    if not user.is_authenticated or not user.member_id:
        return Talent.objects.none()
    return (
        Talent.objects.filter(member_id=user.member_id)
        .select_related("org")
        .prefetch_related("skills")
        .order_by("-created_at")
    )


class TalentExporter(Exporter):
    title = "人才库"
    headers = ["姓名", "所在组织", "技能", "其他专长", "可用状态", "状态", "证书", "最近复核"]

    def __init__(self, talents: QuerySet[Talent]):
        self.talents = talents.prefetch_related("certificates")

    def rows(self):
        for t in self.talents:
            yield [
                t.member.name,
                t.member.org.name,
                "、".join(s.name for s in t.skills.all()),
                t.tags,
                t.get_availability_display(),
                t.get_status_display(),
                "、".join(c.name for c in t.certificates.all()),
                t.confirmed_on.isoformat() if t.confirmed_on else "",
            ]


def expiring_certificates(user, *, within_days: int, today: dt.date) -> QuerySet[Certificate]:
    return (
        Certificate.objects.manageable_by(user)
        .filter(
            talent__status=Talent.Status.ADMITTED,
            expires_on__isnull=False,
            expires_on__lte=today + dt.timedelta(days=within_days),
        )
        .select_related("talent__member__org")
        .order_by("expires_on", "id")
    )


def reconfirm_due(user, *, months: int, today: dt.date) -> QuerySet[Talent]:
    """Admitted talents whose last confirmation is ``months`` old or more."""
    cutoff = _months_before(today, months)
    return (
        Talent.objects.manageable_by(user)
        .filter(status=Talent.Status.ADMITTED)
        .filter(Q(confirmed_on__isnull=True) | Q(confirmed_on__lte=cutoff))
        .select_related("member__org")
        .order_by("confirmed_on", "id")
    )


def _months_before(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(y, m + 1, min(day.day, 28))


def reconfirm_params(today: dt.date) -> dict:
    return rule_in_force("TAL-2", today).params


# --- training tracks -------------------------------------------------------------------


def track_list(user, *, q: str = "", year: int | None = None, topic: str = "") -> QuerySet:
    qs = Track.objects.visible_to(user)
    if q:
        qs = qs.filter(title__contains=q.strip())
    if year:
        qs = qs.filter(year=year)
    if topic:
        qs = qs.filter(topic=topic)
    return (
        qs.select_related("org")
        .prefetch_related("hours")
        .annotate(n_items=Count("items", distinct=True))
        .order_by("-year", "id")
    )


@dataclass
class PersonProgress:
    member_id: int
    name: str
    org_id: int
    org_name: str
    roles: list[str]
    required: Decimal
    earned: Decimal = Decimal("0")

    @property
    def done(self) -> bool:
        return self.earned >= self.required

    @property
    def role_labels(self) -> str:
        return "、".join(Position.Role(r).label for r in self.roles)

    @property
    def short(self) -> Decimal:
        return max(self.required - self.earned, Decimal("0"))


@dataclass
class OrgProgress:
    org_id: int
    name: str
    people: list[PersonProgress] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.people)

    @property
    def done(self) -> int:
        return sum(1 for p in self.people if p.done)

    @property
    def rate(self) -> float | None:
        return self.done / self.total * 100 if self.total else None


def track_progress(track: Track, *, root: Org | str | None = None) -> list[PersonProgress]:
    """Every holder of a required role in the track's subtree (or ``root``'s, if below it),
    with the hours required (the most of their roles) and earned this year in the track's
    courses and classes (approved study credits). Three queries, whatever the subtree."""
    need = {h.role: h.hours for h in track.hours.all()}
    positions = (
        Position.objects.active(timezone.localdate())
        .in_subtree(root or track.org)
        .in_subtree(track.org)
        .filter(role__in=list(need), member__isnull=False, org__dissolved_on__isnull=True)
        .values_list("member_id", "member__name", "org_id", "org__name", "role", "org__path")
        .order_by("org__path", "member__name_pinyin", "member_id")
    )
    people: dict[int, PersonProgress] = {}
    for member_id, name, org_id, org_name, role, _ in positions:
        person = people.get(member_id)
        if person is None:
            people[member_id] = PersonProgress(
                member_id, name, org_id, org_name, [role], need[role]
            )
        else:
            person.roles.append(role)
            person.required = max(person.required, need[role])
    if not people:
        return []
    credits = track_credits(track)
    if credits is not None:
        for member_id, hours in _hours_per_member(credits.filter(member_id__in=list(people))):
            people[member_id].earned = hours or Decimal("0")
    return list(people.values())


def track_credits(track: Track) -> QuerySet[StudyCredit] | None:
    """The approved study credits of the track's year earned in its courses and classes;
    None when it has none (one query, the track's items)."""
    items = list(TrackItem.objects.filter(track=track).values_list("course_id", "training_id"))
    courses = [c for c, _ in items if c]
    trainings = [t for _, t in items if t]
    if not (courses or trainings):
        return None
    return StudyCredit.objects.filter(year=track.year, status=StudyCredit.Status.APPROVED).filter(
        Q(source_type=COURSE, source_id__in=courses)
        | Q(source_type=TRAINING, source_id__in=trainings)
    )


def _hours_per_member(credits):
    """(member id, hours) of ``credits`` summed per member: one grouped query."""
    per_member = credits.values("member_id").annotate(h=Sum("hours"))
    return per_member.values_list("member_id", "h").order_by()


def progress_by_org(people: list[PersonProgress]) -> list[OrgProgress]:
    orgs: dict[int, OrgProgress] = {}
    for p in people:
        orgs.setdefault(p.org_id, OrgProgress(p.org_id, p.org_name)).people.append(p)
    return list(orgs.values())


def reach_roots(user, track: Track) -> list[str]:
    """The parts of the track's subtree the user reaches (paths, no overlap)."""
    reach = reach_of(user)
    if reach.everything:
        return [track.org.path]
    out = []
    for p in reach.paths:
        if track.org.path.startswith(p):
            return [track.org.path]
        if p.startswith(track.org.path):
            out.append(p)
    return out


def progress_for(user, track: Track) -> list[PersonProgress]:
    """The track's progress over the part of its subtree within the user's reach."""
    return [p for root in reach_roots(user, track) for p in track_progress(track, root=root)]


def holder_positions(root: str, org: Org, roles) -> list[tuple[int, str, str]]:
    """(member id, role, org path) of the active positions of ``roles`` held by members in
    ``root``'s part of ``org``'s subtree: plain values, one read."""
    return list(
        Position.objects.active(timezone.localdate())
        .in_subtree(root)
        .in_subtree(org)
        .filter(role__in=list(roles), member__isnull=False, org__dissolved_on__isnull=True)
        .values_list("member_id", "role", "org__path")
        .order_by()
    )


def shortfall_for(
    user, track: Track, *, names: int = 3, positions=holder_positions
) -> tuple[int, list[str]]:
    """How many holders of a required role within the user's reach have not yet earned the
    track's hours, and the first ``names`` of them (in the order of ``track_progress``):
    the hours earned in the track's courses and classes summed per member in the database
    (index ``learning_credit_source``), the holders' positions read as plain values (member,
    role, org path) and each one's hours owed (the most of their roles) and first org taken
    here; names read for the first few only. A province's 45,000 holders in one read per
    part of the reach, not as people. ``positions(root, org, roles)`` reads the holders
    (``holder_positions``; the workbench shares one read between tracks)."""
    need = {h.role: h.hours for h in track.hours.all()}
    if not need:
        return 0, []
    credits = track_credits(track)
    earned: dict[int, Decimal] = dict(_hours_per_member(credits)) if credits is not None else {}
    short, first = 0, []
    for root in reach_roots(user, track):
        owed: dict[int, Decimal] = {}
        paths: dict[int, str] = {}
        for member_id, role, path in positions(root, track.org, need):
            if role not in need:
                continue
            if need[role] > owed.get(member_id, 0):
                owed[member_id] = need[role]
            if member_id not in paths or path < paths[member_id]:
                paths[member_id] = path
        found = {m: paths[m] for m, hours in owed.items() if earned.get(m, 0) < hours}
        short += len(found)
        if found and len(first) < names:
            first += _first_names(found, names - len(first))
    return short, first


def _first_names(found: dict[int, str], k: int) -> list[str]:
    """The names of the first ``k`` of ``found`` (member id → path of their first org) in
    ``track_progress``'s order (that path, then pinyin): only the names of those whose
    first org comes no later than the ``k``-th one's are read."""
    edge = sorted(found.values())[:k][-1]
    candidates = [pk for pk, path in found.items() if path <= edge]
    people = Member.objects.filter(pk__in=candidates).values_list("pk", "name_pinyin", "name")
    ranked = sorted(people, key=lambda p: (found[p[0]], p[1], p[0]))
    return [name for _, _, name in ranked[:k]]


# --- SUP-6: full-time party-affairs staff per unit -------------------------------------


@dataclass
class UnitStaffing:
    org: Org  # the unit's top org within reach
    unit_name: str
    staff_count: int | None
    full_time: int
    low: Fraction
    high: Fraction

    @property
    def rate(self) -> float | None:
        if not self.staff_count:
            return None
        return self.full_time / self.staff_count * 100

    @property
    def status(self) -> str:
        if not self.staff_count:
            return "missing"
        share = Fraction(self.full_time, self.staff_count)
        return "ok" if self.low <= share <= self.high else "bad"


def sup6_bounds(on: dt.date) -> tuple[Fraction, Fraction]:
    params = rule_in_force("SUP-6", on).params
    return Fraction(str(params["min_rate"])), Fraction(str(params["max_rate"]))


def full_time_counts(unit_ids, on: dt.date) -> dict[int, int]:
    """Distinct holders of active full-time positions per unit: one query."""
    holders: dict[int, set] = defaultdict(set)
    rows = (
        Position.objects.active(on)
        .filter(full_time=True, org__unit_id__in=list(unit_ids), org__dissolved_on__isnull=True)
        .values_list("org__unit_id", "member_id", "user_id")
    )
    for unit_id, member_id, user_id in rows:
        holders[unit_id].add(("m", member_id) if member_id else ("u", user_id))
    return {k: len(v) for k, v in holders.items()}


def unit_top_orgs(orgs) -> list[Org]:
    """For each unit, its highest org among ``orgs`` (ordered by path)."""
    top: dict[int, Org] = {}
    for org in orgs:
        if org.unit_id and org.unit_id not in top:
            top[org.unit_id] = org
    return list(top.values())


def staffing_rows(user, *, today: dt.date | None = None) -> list[UnitStaffing]:
    """One row per unit with an org within reach: staff count, full-time staff, the rate and
    whether it lies within SUP-6's bounds. Three queries (orgs, positions, the rule)."""
    today = today or timezone.localdate()
    orgs = (
        Org.objects.manageable_by(user)
        .active()
        .filter(unit__isnull=False)
        .select_related("unit")
        .order_by("path")
    )
    tops = unit_top_orgs(orgs)
    low, high = sup6_bounds(today)
    counts = full_time_counts([o.unit_id for o in tops], today)
    return [
        UnitStaffing(o, o.unit.name, o.unit.staff_count, counts.get(o.unit_id, 0), low, high)
        for o in tops
    ]


def full_time_positions(user, org: Org) -> QuerySet[Position]:
    """The active positions of ``org``'s unit within reach (the SUP-6 page's list)."""
    return (
        Position.objects.manageable_by(user)
        .active(timezone.localdate())
        .filter(org__unit_id=org.unit_id, org__dissolved_on__isnull=True)
        .select_related("org", "member", "user")
        .order_by("org__path", "role", "id")
    )


def is_manager(user) -> bool:
    return reach_of(user).is_manager
