"""What organizational life contributes to the workbench (工作台): meetings to record or
announce, leave requests to decide, and this month's meetings as a calendar strip."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from dangjian.core.workbench import (
    DUE,
    OVERDUE,
    CalendarEntry,
    Figure,
    Todo,
    WorkbenchContext,
    provider,
    url,
)
from dangjian.meetings.models import Attendance, Meeting
from dangjian.orgs.models import Org

ROWS = 50  # per query: the page shows the worst twenty anyway
CALENDAR_ROWS = 200


def _planned(ctx: WorkbenchContext):
    return Meeting.objects.manageable_by(ctx.user).filter(status=Meeting.Status.PLANNED)


@provider("todos", order=10)
def meetings_to_hold(ctx: WorkbenchContext) -> Iterable[Todo]:
    """Planned meetings whose day has passed (记录会议) or falls this week (发送通知 when no
    notice went out yet). One query."""
    rows = (
        _planned(ctx)
        .filter(planned_on__lte=ctx.week_end)
        .select_related("org")
        .order_by("planned_on", "id")[:ROWS]
    )
    for m in rows:
        if m.planned_on < ctx.today:
            yield Todo(
                what=f"{m.get_kind_display()}：{m.topic}",
                org_name=m.org.name,
                due_on=m.planned_on,
                status=OVERDUE,
                action="记录会议",
                url=url("meetings:record", m.pk),
                source="组织生活",
                detail="计划日期已过，尚未记录",
            )
        else:
            sent = m.notice_sent_at is not None
            yield Todo(
                what=f"{m.get_kind_display()}：{m.topic}",
                org_name=m.org.name,
                due_on=m.planned_on,
                status=DUE,
                action="查看会议" if sent else "发送通知",
                url=url("meetings:detail", m.pk),
                source="组织生活",
                detail="已发通知" if sent else "尚未发送会议通知",
            )


@provider("todos", order=20)
def leave_requests(ctx: WorkbenchContext) -> Iterable[Todo]:
    """Open leave requests (请假待审批) of meetings not yet held. One query."""
    rows = (
        Attendance.objects.manageable_by(ctx.user)
        .filter(leave_status=Attendance.Leave.PENDING, meeting__status=Meeting.Status.PLANNED)
        .select_related("member", "meeting__org")
        .order_by("meeting__planned_on", "id")[:ROWS]
    )
    for a in rows:
        m = a.meeting
        day = m.planned_on
        yield Todo(
            what=f"{a.member.name} 请假：{m.topic}",
            org_name=m.org.name,
            due_on=day,
            status=OVERDUE if day and day < ctx.today else DUE,
            action="审批请假",
            url=url("meetings:detail", m.pk),
            source="请假",
            detail=a.leave_reason,
        )


@provider("calendar", order=10)
def month_meetings(ctx: WorkbenchContext) -> list[CalendarEntry]:
    """This month's meetings of the user's orgs: held (done), planned, or planned and past
    (overdue). Three queries, shared with the figure below."""
    return ctx.once("meetings.month", lambda: list(_month_meetings(ctx)))


def _month_meetings(ctx: WorkbenchContext) -> Iterable[CalendarEntry]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(ctx.month_start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(ctx.month_end, dt.time.min, tzinfo=tz)
    mine = Meeting.objects.manageable_by(ctx.user)
    # Two reads, each in the order of its index (status and day), instead of one OR over
    # every meeting; the orgs' names read for the rows kept (a work committee's month has
    # 20,000 meetings: joined before the cut, all of them were read and sorted).
    planned = mine.filter(
        status=Meeting.Status.PLANNED,
        planned_on__gte=ctx.month_start,
        planned_on__lt=ctx.month_end,
    ).order_by("planned_on", "id")[:CALENDAR_ROWS]
    held = mine.filter(status=Meeting.Status.HELD, held_at__gte=start, held_at__lt=end).order_by(
        "held_at", "id"
    )[:CALENDAR_ROWS]
    rows = [*planned, *held][:CALENDAR_ROWS]
    names = dict(Org.objects.filter(pk__in={m.org_id for m in rows}).values_list("pk", "name"))
    for m in rows:
        if m.status == Meeting.Status.HELD:
            day, status = timezone.localtime(m.held_at).date(), "done"
        else:
            day = m.planned_on
            status = "overdue" if day < ctx.today else "planned"
        yield CalendarEntry(
            day=day,
            title=m.get_kind_display(),
            org_name=names.get(m.org_id, ""),
            status=status,
            url=url("meetings:detail", m.pk),
        )


@provider("figures", order=20)
def month_meeting_count(ctx: WorkbenchContext) -> Iterable[Figure]:
    entries = month_meetings(ctx)
    done = sum(1 for e in entries if e.status == "done")
    overdue = sum(1 for e in entries if e.status == "overdue")
    yield Figure(
        label="本月组织生活",
        value=f"{done} / {len(entries)} 次",
        url=url("meetings:list"),
        note=f"已召开 {done} 次，逾期未开 {overdue} 次" if overdue else f"已召开 {done} 次",
        tone="overdue" if overdue else ("ok" if entries and done == len(entries) else ""),
        order=20,
    )
