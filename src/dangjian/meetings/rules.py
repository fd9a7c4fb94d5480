"""Checks of organizational life for the compliance engine (RULES.md section B).

Every number comes from the rule's params; each checker reads with one grouped query over
the whole subtree (meeting counts are shared by all frequency rules of one evaluation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Max, Min, Q

from dangjian.core.bulk import plain_rows
from dangjian.core.calendar import months_between
from dangjian.meetings.models import Appraisal, Attendance, Meeting
from dangjian.standards import periods as P
from dangjian.standards.engine import link_base
from dangjian.standards.registry import CheckContext, Finding, Param, register, watch

PERIOD_CHOICES = (("month", "每月"), ("quarter", "每季度"), ("year", "每年"))
EVERY = {"month": "每月", "quarter": "每季度", "year": "每年"}
MEETING_LINK = ("meetings:create", "meetings:list")
APPRAISAL_LINK = ("meetings:appraisals", "meetings:list")


def _meeting_years(meeting) -> set[int]:
    """The years a meeting's facts fall in (held, or planned)."""
    years = {P.local_date(meeting.held_at).year} if meeting.held_at else set()
    return years | ({meeting.planned_on.year} if meeting.planned_on else set())


def _meeting_of(attendance) -> list[Meeting]:
    """The attendance's meeting (none once deleted): read once, kept on the row, so its orgs
    and years cost one query at most (none when the service set the meeting)."""
    try:
        return [attendance.meeting]
    except Meeting.DoesNotExist:
        return []


# Events that change the facts of these checkers: the kept findings of the org go stale.
watch(
    "meetings.Meeting",
    orgs=lambda m: [m.org_id, m.group_id],
    checkers=("meeting_frequency", "org_life_absence"),
    years=_meeting_years,
    moves=True,
)
watch(
    "meetings.Attendance",
    orgs=lambda a: [m.org_id for m in _meeting_of(a)],
    checkers=("org_life_absence",),
    years=lambda a: {y for m in _meeting_of(a) for y in _meeting_years(m)},
)
watch(
    "meetings.Appraisal",
    orgs=lambda a: [a.org_id],
    checkers=("appraisal_frequency",),
    years=lambda a: [a.year],
)


@register(
    "meeting_frequency",
    title="会议频次：每月/每季度/每年至少召开若干次",
    params={
        "kind": Param("choice", choices=Meeting.Kind.choices, help="会议类型", label="会议类型"),
        "period": Param("choice", choices=PERIOD_CHOICES, help="周期", label="检查周期"),
        "min": Param(
            "int", min=1, max=31, help="每个周期至少召开次数", label="每个周期至少召开", unit="次"
        ),
        "preferred_quarter": Param(
            "int",
            required=False,
            min=1,
            max=4,
            help="年度会议一般安排的季度（自该季度起提醒）",
            label="一般安排在第几季度（自该季度起提醒）",
        ),
    },
    period="month",
    batch=True,
    link=MEETING_LINK,
)
def meeting_frequency(ctx: CheckContext) -> Iterable[Finding]:
    kind = ctx.params["kind"]
    need = int(ctx.params["min"])
    preferred = ctx.params.get("preferred_quarter")
    label = Meeting.Kind(kind).label
    cite = ctx.cite()
    base = link_base(MEETING_LINK)
    facts = ctx.facts
    counts = facts.get("meeting_counts")
    targets = ctx.targets()
    make = ctx.make
    ok = Finding.Status.OK
    out = []
    append = out.append
    # Per org, once: its monthly counts, link and name (not once per org and period).
    rows = [
        (org.id, org.name, counts.get((org.id, kind)), _link(base, org, kind)) for org in targets
    ]
    for period in ctx.periods:
        every = EVERY.get(period.kind, "")
        head = f"{cite}：{label}{every}至少{need}次；{P.display(period)}应{need}次，实际"
        pq = (
            P.quarter(period.start.year, int(preferred))
            if preferred and period.kind == "year"
            else None
        )
        # The status of an unmet item depends on the period only: judge it once.
        unmet = ctx.judge(period, met=False, due_from=pq.start if pq else None)
        first, last = facts.month_slice(period)
        q_first, q_last = facts.month_slice(pq) if pq is not None else (0, 0)
        due_on = period.end - dt.timedelta(days=1)
        label_ = period.label
        # The message depends on the count and, with a preferred quarter, on whether the
        # met rule held one in that quarter: drawn once per such pair.
        messages: dict[tuple[int, bool], str] = {}
        for org_id, org_name, buckets, link in rows:
            n = sum(buckets[first:last]) if buckets else 0
            met = n >= need
            off_quarter = pq is not None and met and not (buckets and any(buckets[q_first:q_last]))
            message = messages.get((n, off_quarter))
            if message is None:
                message = f"{head}{n}次。"
                if off_quarter:
                    message += f"（一般安排在第{preferred}季度）"
                elif pq is not None and not met:
                    message += f"一般安排在第{preferred}季度。"
                messages[(n, off_quarter)] = message
            append(
                make(org_id, label_, ok if met else unmet, need, n, message, link, due_on, org_name)
            )
    return out


def _link(base: str, org, kind: str) -> str:
    """The meeting form for this org and kind (a group's meeting is held by its branch)."""
    if not base:
        return ""
    if org.kind == "group" and org.parent_id:
        return f"{base}?org={org.parent_id}&kind={kind}&group={org.id}"
    return f"{base}?org={org.id}&kind={kind}"


@register(
    "appraisal_frequency",
    title="民主评议党员：每年开展并完成",
    params={
        "period": Param(
            "choice", choices=(("year", "每年"),), default="year", help="周期", label="检查周期"
        ),
        "min": Param(
            "int", min=1, max=4, default=1, help="每个周期至少次数", label="每个周期至少", unit="次"
        ),
        "kind": Param(
            "choice",
            choices=(("appraisal", "民主评议党员"),),
            default="appraisal",
            help="计划类型",
            label="计划类型",
        ),
        "finalized_only": Param(
            "bool",
            default=True,
            help="只计已完成（组织评定）的评议",
            label="只计已完成组织评定的评议",
        ),
        "preferred_quarter": Param(
            "int",
            required=False,
            min=1,
            max=4,
            help="一般安排的季度",
            label="一般安排在第几季度",
        ),
    },
    period="year",
    batch=True,
    link=APPRAISAL_LINK,
)
def appraisal_frequency(ctx: CheckContext) -> Iterable[Finding]:
    years = sorted({p.start.year for p in ctx.periods})
    qs = ctx.facts.in_subtree(Appraisal.objects.filter(year__in=years), "org__path")
    if ctx.params.get("finalized_only", True):
        qs = qs.filter(status=Appraisal.Status.FINALIZED)
    done = set(plain_rows(qs.values_list("org_id", "year").order_by()))
    preferred = ctx.params.get("preferred_quarter")
    need = int(ctx.params.get("min", 1))
    cite = ctx.cite()
    link = link_base(APPRAISAL_LINK)
    make = ctx.make
    targets = ctx.targets()
    out = []
    append = out.append
    for period in ctx.periods:
        due_from = P.quarter(period.start.year, int(preferred)).start if preferred else None
        # The status and message depend on the count only: judged and written once each.
        judged = {
            n: (
                ctx.judge(period, met=n >= need, due_from=due_from),
                f"{cite}：民主评议党员一般每年开展{need}次；{P.display(period)}已完成{n}次。",
            )
            for n in (0, 1)
        }
        year, label, due_on = period.start.year, period.label, period.end - dt.timedelta(days=1)
        for org in targets:
            n = 1 if (org.id, year) in done else 0
            status, message = judged[n]
            org_link = f"{link}?org={org.id}" if link else ""
            append(make(org.id, label, status, need, n, message, org_link, due_on, org.name))
    return out


@register(
    "org_life_absence",
    title="连续若干个月未参加组织生活（自行脱党预警）",
    params={
        "months": Param(
            "int",
            min=1,
            max=24,
            help="连续未参加组织生活的月数上限",
            label="连续未参加组织生活不得达到",
            unit="个月",
        ),
        "warn_months": Param(
            "int",
            min=0,
            max=24,
            help="提前预警的月数",
            label="连续未参加达到此数时预警",
            unit="个月",
        ),
    },
    period="none",
    batch=True,
    link=("members:list",),
)
def org_life_absence(ctx: CheckContext) -> Iterable[Finding]:
    """Per member: whole months since the last meeting attended (present or made up); a
    member who never attended counts from the first held meeting they were expected at.
    Members with no attendance record at all are not judged. Reports each member at or
    past the warning line, and one ``ok`` finding per branch where nobody is."""
    limit = int(ctx.params["months"])
    warn = int(ctx.params["warn_months"])
    as_of = ctx.as_of
    attendance = Attendance.objects.filter(
        meeting__status=Meeting.Status.HELD,
        meeting__held_at__lt=P.at_midnight(as_of + dt.timedelta(days=1)),
        member__left_on__isnull=True,
        member__status__in=["full", "probationary"],
    )
    rows = (
        ctx.facts.in_subtree(attendance, "member__org__path")
        .values("member_id", "member__name", "member__org_id")
        .annotate(
            last=Max(
                "meeting__held_at",
                filter=Q(status__in=[Attendance.Status.PRESENT, Attendance.Status.MADE_UP]),
            ),
            first=Min("meeting__held_at"),
        )
        .order_by()
    )
    targets = {o.id for o in ctx.targets()}
    flagged: set[int] = set()
    out = []
    cite = ctx.cite()
    period = ctx.period
    for row in rows:
        org_id = row["member__org_id"]
        if org_id not in targets:
            continue
        since = row["last"] or row["first"]
        attended = row["last"] is not None
        gap = months_between(P.local_date(since), as_of)
        if gap < warn:
            continue
        status = Finding.Status.VIOLATION if gap >= limit else Finding.Status.DUE
        what = "最近一次参加组织生活" if attended else "首次应参加组织生活"
        message = (
            f"{cite}：连续{limit}个月不参加组织生活按自行脱党处理；"
            f"{row['member__name']}{what}为{P.local_date(since):%Y-%m-%d}，已{gap}个月。"
        )
        flagged.add(org_id)
        out.append(
            ctx.finding(
                org_id=org_id,
                period=period,
                met=False,
                status=status,
                expected=f"<{limit}个月",
                actual=f"{gap}个月",
                message=message,
                member_id=row["member_id"],
                member_name=row["member__name"],
            )
        )
    for org_id in targets - flagged:
        out.append(
            ctx.finding(
                org_id=org_id,
                period=period,
                met=True,
                expected=f"<{limit}个月",
                actual="无",
                message=f"{cite}：无连续{warn}个月以上未参加组织生活的党员。",
            )
        )
    return out


# Parameters of the vote rules that meetings/voting.py reads directly (MTG-2, and the
# development procedures' votes).
from dangjian.standards.params import register_params  # noqa: E402 (with its block)

_FRACTIONS = (("1/2", "半数（1/2）"), ("2/3", "三分之二（2/3）"), ("4/5", "五分之四（4/5）"))

register_params(
    quorum_more_than=Param("choice", label="到会人数须超过应到会的", choices=_FRACTIONS),
    pass_more_than=Param("choice", label="赞成票须超过", choices=_FRACTIONS),
    pass_base=Param(
        "choice",
        label="赞成票比例的计算基数",
        choices=(("expected", "应到会有表决权的党员"), ("present", "实到会有选举权的党员")),
    ),
)
