"""Reads of organizational life, always through the gate; set-based (no query per row)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dangjian.core.scope import reach_of
from dangjian.meetings.models import (
    Appraisal,
    AppraisalEntry,
    AppraisalRating,
    Attendance,
    Meeting,
    MeetingAttachment,
    PlanSlot,
)
from dangjian.meetings.plan import period_label, schedule_refusal
from dangjian.members.models import Member
from dangjian.members.selectors import voting_roll
from dangjian.orgs.models import Org, Position

# The orgs that hold meetings (a 党小组会 is held by its branch, naming the group).
MEETING_ORG_KINDS = {Org.Kind.BRANCH, Org.Kind.GENERAL_BRANCH, Org.Kind.COMMITTEE}
# Who should attend: the whole branch for these kinds.
WHOLE_BRANCH = {
    Meeting.Kind.GENERAL_MEETING,
    Meeting.Kind.PARTY_LECTURE,
    Meeting.Kind.THEME_DAY,
    Meeting.Kind.LIFE_MEETING,
}


def year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=tz),
        dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def expected_members(meeting: Meeting) -> QuerySet[Member]:
    """Who should attend, derived from the org: a queryset of members on the rolls."""
    base = Member.objects.on_rolls().party_members()
    if meeting.kind in WHOLE_BRANCH:
        return base.filter(org_id=meeting.org_id)
    if meeting.kind == Meeting.Kind.BOARD_MEETING:
        day = timezone.localdate(meeting.held_at) if meeting.held_at else timezone.localdate()
        seats = (
            Position.objects.active(day)
            .filter(org_id=meeting.org_id, member__isnull=False)
            .exclude(role=Position.Role.STAFF)
            .values("member_id")
        )
        return base.filter(pk__in=seats)
    if meeting.kind == Meeting.Kind.GROUP_MEETING:
        return base.filter(group_id=meeting.group_id)
    return base.filter(pk__in=[m for m in (meeting.host_id, meeting.counterpart_id) if m])


def voting_members(meeting: Meeting) -> QuerySet[Member]:
    """Full members of the branch on the rolls whose voting rights are not suspended."""
    return voting_roll(meeting.org, scope="branch")


def vote_counts(meeting: Meeting) -> tuple[int, int]:
    """(voting members, of them present) for a general meeting."""
    voters = voting_members(meeting)
    total = voters.count()
    present = (
        Attendance.objects.filter(
            meeting=meeting, status=Attendance.Status.PRESENT, member__in=voters
        ).count()
        if total
        else 0
    )
    return total, present


def meeting_list(
    *,
    user,
    org: Org | None = None,
    year: int | None = None,
    kind: str = "",
    status: str = "",
    quality: str = "",
    q: str = "",
) -> QuerySet[Meeting]:
    qs = Meeting.objects.visible_to(user).select_related("org", "group", "host", "similar_to")
    if org is not None:
        qs = qs.in_subtree(org)
    if year:
        start, end = year_range(year)
        qs = qs.filter(
            Q(held_at__gte=start, held_at__lt=end) | Q(held_at__isnull=True, planned_on__year=year)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if quality == "flagged":
        qs = qs.filter(quality__in=[Meeting.Quality.SHORT, Meeting.Quality.SIMILAR])
    elif quality:
        qs = qs.filter(quality=quality)
    if q:
        qs = qs.filter(Q(topic__contains=q) | Q(place__contains=q))
    return qs.order_by("-held_at", "-planned_on", "-id")


def record_visible(user, meeting: Meeting) -> bool:
    """Does ``user`` read the meeting's record (minutes, resolutions, votes, attachments,
    attendance)? The rule is ``Meeting.objects.record_visible_to``; a manager of the org
    is answered without a query."""
    if reach_of(user).covers(meeting.org.path):
        return True
    return Meeting.objects.record_visible_to(user).filter(pk=meeting.pk).exists()


def hide_review_flags(user, meetings) -> list[Meeting]:
    """The minutes-quality flags (quality, similar meeting) are the managers' review tool:
    blanked, in memory, on the meetings ``user`` does not manage."""
    reach = reach_of(user)
    meetings = list(meetings)
    for m in meetings:
        if not reach.covers(m.org.path):
            m.quality, m.similar_to_id, m.similarity = "", None, None
    return meetings


def with_attendance_counts(meetings) -> list[Meeting]:
    """Set ``n_present`` and ``n_expected`` on each meeting of a page: one grouped query."""
    meetings = list(meetings)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Attendance.objects.filter(meeting_id__in=[m.pk for m in meetings])
        .values_list("meeting_id", "status")
        .annotate(n=Count("id"))
    )
    for meeting_id, status, n in rows:
        counts[meeting_id][status] = n
    for m in meetings:
        m.n_present = counts[m.pk].get(Attendance.Status.PRESENT, 0)
        m.n_expected = sum(counts[m.pk].values())
    return meetings


def attendance_rows(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendances.select_related("member").order_by("member__name_pinyin"))


def attendance_summary(meeting: Meeting) -> dict[str, int]:
    counts = Counter(meeting.attendances.values_list("status", flat=True))
    return {s: counts.get(s, 0) for s in Attendance.Status.values} | {"total": sum(counts.values())}


def slot_statuses(slots: list[PlanSlot], *, today: dt.date) -> dict[int, str]:
    """done / overdue / due / planned for each slot: counts held meetings per org, kind,
    group and period with one query (and finalized appraisals with another)."""
    if not slots:
        return {}
    org_ids = {s.org_id for s in slots}
    years = {s.year for s in slots}
    start, _ = year_range(min(years))
    _, end = year_range(max(years))
    counts: Counter = Counter()
    rows = Meeting.objects.filter(
        org_id__in=org_ids, status=Meeting.Status.HELD, held_at__gte=start, held_at__lt=end
    ).values_list("org_id", "kind", "group_id", "held_at")
    for org_id, kind, group_id, held_at in rows:
        day = timezone.localtime(held_at).date()
        for pk in ("month", "quarter", "year"):
            label = period_label(day, pk)
            counts[(org_id, kind, None, label)] += 1
            if group_id:
                counts[(org_id, kind, group_id, label)] += 1
    appraised = set(
        Appraisal.objects.filter(
            org_id__in=org_ids, year__in=years, status=Appraisal.Status.FINALIZED
        ).values_list("org_id", "year")
    )
    soon = dt.timedelta(days=settings.REMINDER_DAYS_BEFORE)
    out = {}
    for s in slots:
        if s.kind == PlanSlot.Kind.APPRAISAL:
            done = (s.org_id, s.year) in appraised
        else:
            done = counts[(s.org_id, s.kind, s.group_id, s.period)] >= s.sequence
        if done:
            out[s.pk] = "done"
        elif s.due_on < today:
            out[s.pk] = "overdue"
        elif s.planned_on - today <= soon or s.due_on - today <= soon:
            out[s.pk] = "due"
        else:
            out[s.pk] = "planned"
    return out


SLOT_STATUS_LABELS = {"done": "已完成", "overdue": "已逾期", "due": "即将到期", "planned": "计划中"}


@dataclass
class PlanRow:
    slot: PlanSlot
    status: str
    meeting_id: int | None = None  # the meeting arranged for the slot (not cancelled)
    schedulable: bool = False  # "安排并通知" would schedule it (``plan.schedule_refusal``)

    @property
    def status_label(self) -> str:
        return SLOT_STATUS_LABELS[self.status]


def plan_rows(*, org: Org, year: int, today: dt.date | None = None) -> list[PlanRow]:
    today = today or timezone.localdate()
    slots = list(
        PlanSlot.objects.filter(org=org, year=year)
        .select_related("group")
        .order_by("planned_on", "kind", "group__name", "sequence")
    )
    statuses = slot_statuses(slots, today=today)
    arranged = dict(
        Meeting.objects.filter(slot__in=slots)
        .exclude(status=Meeting.Status.CANCELLED)
        .values_list("slot_id", "pk")
    )
    now = timezone.now()
    return [
        PlanRow(
            s,
            statuses[s.pk],
            meeting_id=arranged.get(s.pk),
            schedulable=s.pk not in arranged and schedule_refusal(s, now=now) is None,
        )
        for s in slots
    ]


def plan_summary(rows: list[PlanRow]) -> dict[str, int]:
    counts = Counter(r.status for r in rows)
    return {k: counts.get(k, 0) for k in SLOT_STATUS_LABELS} | {"total": len(rows)}


# ---------------------------------------------------------------- the member's phone pages


def member_of(user) -> Member | None:
    """The member record behind an account (None when the account has none)."""
    return Member.objects.filter(pk=user.member_id).first() if user.member_id else None


def my_meetings(*, member_id: int, upcoming: bool, today: dt.date | None = None):
    today = today or timezone.localdate()
    qs = (
        Attendance.objects.filter(member_id=member_id)
        .select_related("meeting", "meeting__org")
        .exclude(meeting__status=Meeting.Status.CANCELLED)
    )
    if upcoming:
        start = dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_current_timezone())
        return (
            qs.filter(meeting__status=Meeting.Status.PLANNED)
            .filter(
                Q(meeting__held_at__gte=start)
                | Q(meeting__held_at__isnull=True, meeting__planned_on__gte=today)
            )
            .order_by("meeting__held_at", "meeting__planned_on")
        )
    return qs.filter(meeting__status=Meeting.Status.HELD).order_by("-meeting__held_at")


def my_makeup(*, member_id: int, limit: int = 20) -> list[Attendance]:
    """Held meetings the member missed (absent or on leave) and has not made up yet."""
    return list(
        Attendance.objects.filter(
            member_id=member_id,
            meeting__status=Meeting.Status.HELD,
            status__in=[Attendance.Status.ABSENT, Attendance.Status.LEAVE],
        )
        .select_related("meeting")
        .order_by("-meeting__held_at", "-id")[:limit]
    )


def my_open_appraisals(*, member_id: int) -> list[Appraisal]:
    """The appraisals in progress in which the member takes part."""
    return list(
        Appraisal.objects.filter(entries__member_id=member_id, status=Appraisal.Status.OPEN)
        .select_related("org")
        .order_by("-year", "-id")
    )


def my_attendance(meeting: Meeting, member: Member | None) -> Attendance | None:
    return meeting.attendances.filter(member=member).first() if member else None


def record_attachments(user, meeting: Meeting) -> list[MeetingAttachment]:
    """The meeting's photos and PDFs that ``user`` may open."""
    return list(MeetingAttachment.objects.visible_to(user).filter(meeting=meeting))


def meeting_open_for_code(user, code: str, *, now: dt.datetime) -> Meeting | None:
    """The meeting within ``user``'s reach whose 6-digit code is ``code`` and whose sign-in
    window is open at ``now``."""
    if len(code) != 6 or not code.isdigit():
        return None
    return (
        Meeting.objects.visible_to(user)
        .filter(sign_in_code=code, sign_in_opens_at__lte=now, sign_in_closes_at__gte=now)
        .exclude(status=Meeting.Status.CANCELLED)
        .first()
    )


def my_appraisal(user, appraisal_id: int, member: Member | None) -> Appraisal | None:
    """An appraisal as the member's page shows it: one within a manager's reach, or one
    the member takes part in; None otherwise (the page answers 404)."""
    q = Q(pk__in=[])
    if reach_of(user).is_manager:
        q |= Q(pk__in=Appraisal.objects.visible_to(user).values("pk"))
    if member is not None:
        q |= Q(entries__member=member)
    return Appraisal.objects.select_related("org").filter(q, pk=appraisal_id).first()


@dataclass
class AppraisalSheet:
    """The member's sheet: their own entry, the others to rate, the ratings already given."""

    entry: AppraisalEntry | None
    others: list[tuple[AppraisalEntry, str]]


def appraisal_sheet(appraisal: Appraisal, member: Member | None) -> AppraisalSheet:
    entries = list(appraisal.entries.select_related("member"))
    mine = (
        dict(
            AppraisalRating.objects.filter(appraisal=appraisal, rater=member).values_list(
                "ratee_id", "rating"
            )
        )
        if member
        else {}
    )
    own = member.pk if member else None
    return AppraisalSheet(
        entry=next((e for e in entries if e.member_id == own), None),
        others=[(e, mine.get(e.member_id, "")) for e in entries if e.member_id != own],
    )


def appraisal_stats(appraisal: Appraisal) -> dict:
    """Per member: counts of each mutual rating, and the distribution of final ratings."""
    per_member: dict[int, dict[str, int]] = defaultdict(dict)
    for ratee, rating, n in (
        AppraisalRating.objects.filter(appraisal=appraisal)
        .values_list("ratee_id", "rating")
        .annotate(n=Count("id"))
    ):
        per_member[ratee][rating] = n
    finals = Counter(
        appraisal.entries.exclude(final_rating="").values_list("final_rating", flat=True)
    )
    raters = (
        AppraisalRating.objects.filter(appraisal=appraisal).values("rater_id").distinct().count()
    )
    return {
        "per_member": dict(per_member),
        "final": {r: finals.get(r, 0) for r in Appraisal.Rating.values},
        "raters": raters,
    }


def register_rows(*, org: Org, year: int) -> list[Meeting]:
    """A branch's meetings held in ``year`` for the register (台账), with attendance counts."""
    start, end = year_range(year)
    return list(
        Meeting.objects.filter(
            org=org, status=Meeting.Status.HELD, held_at__gte=start, held_at__lt=end
        )
        .select_related("host", "recorder", "lecturer", "group", "counterpart")
        .annotate(
            n_total=Count("attendances", distinct=True),
            n_present=Count("attendances", filter=Q(attendances__status="present"), distinct=True),
            n_leave=Count("attendances", filter=Q(attendances__status="leave"), distinct=True),
            n_absent=Count("attendances", filter=Q(attendances__status="absent"), distinct=True),
            n_made_up=Count("attendances", filter=Q(attendances__status="made_up"), distinct=True),
        )
        .order_by("held_at", "id")
    )


@dataclass
class RollRow:
    """One expected attendee on the recording screen: the status to pre-select and, for the
    host, the recorder and those who made up, the fixed status shown instead of a choice."""

    member_id: int
    name: str
    initial: str
    note: str = ""
    fixed: str = ""


def record_roll(meeting: Meeting, expected: QuerySet) -> list[RollRow]:
    """The recording screen's roll: the expected attendees (``expected_members``)
    and whoever already has a row, pre-filled from what the platform holds (sign-ins,
    leave, an earlier record). Two queries, and no write: the rows are created when the
    record is saved."""
    rows = {a.member_id: a for a in meeting.attendances.all()}
    ids = set(rows) | set(expected.values_list("pk", flat=True))
    members = Member.objects.filter(pk__in=ids).only("id", "name").order_by("name_pinyin", "pk")
    chairs = {meeting.host_id: "主持人", meeting.recorder_id: "记录人"}
    roll = []
    for m in members:
        row = rows.get(m.pk)
        status = row.status if row else Attendance.Status.EXPECTED
        leave = row.leave_status if row else ""
        if m.pk in chairs:
            roll.append(RollRow(m.pk, m.name, "present", fixed=f"出席（{chairs[m.pk]}）"))
            continue
        if status == Attendance.Status.MADE_UP:
            roll.append(RollRow(m.pk, m.name, status, fixed="请假/缺席，已补学"))
            continue
        note = ""
        if row and status == Attendance.Status.PRESENT:
            if row.channel == Attendance.Channel.SECRETARY or not row.signed_at:
                note = "已登记出席"
            else:
                note = f"已签到 {timezone.localtime(row.signed_at):%H:%M}"
        if status == Attendance.Status.LEAVE or leave == Attendance.Leave.PENDING:
            initial = Attendance.Status.LEAVE
            note = ("请假已批准" if leave == Attendance.Leave.APPROVED else "请假待审批") + (
                f"：{row.leave_reason}" if row.leave_reason else ""
            )
        elif status == Attendance.Status.ABSENT:
            initial = Attendance.Status.ABSENT
        else:
            initial = Attendance.Status.PRESENT
        roll.append(RollRow(m.pk, m.name, initial, note=note))
    return roll
