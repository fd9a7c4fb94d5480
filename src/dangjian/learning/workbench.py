"""What learning contributes to the workbench (工作台): draft courses waiting to be
published, one to-do each (at most a few; the course list has the rest); exams open to the
user as a member, not yet passed or handed in."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from dangjian.core.workbench import DUE, Todo, WorkbenchContext, provider, url
from dangjian.learning.models import Course

SHOWN = 5


@provider("todos", order=60)
def draft_courses(ctx: WorkbenchContext) -> Iterable[Todo]:
    drafts = (
        Course.objects.manageable_by(ctx.user)
        .filter(status=Course.Status.DRAFT, year__gte=ctx.today.year)
        .select_related("org")
        .order_by("created_at")[:SHOWN]
    )
    for course in drafts:
        yield Todo(
            what=f"审核发布课程：{course.title}",
            org_name=course.org.name,
            due_on=None,
            status=DUE,
            action="审核发布",
            url=url("learning:course", course.pk),
            source="学习教育",
        )


@provider("todos", order=61)
def open_exams(ctx: WorkbenchContext) -> Iterable[Todo]:
    """Exams open to the user as a member that they have not passed and may still take
    (not started, or started and not handed in): two queries."""
    from dangjian.learning.exam_selectors import exams_for_member
    from dangjian.members.models import Member

    if not ctx.reach.member_id:
        return
    me = Member.objects.select_related("org").filter(pk=ctx.reach.member_id).first()
    if me is None:
        return
    shown = 0
    for row in exams_for_member(me):
        if shown >= SHOWN or not row.can_start:
            continue
        shown += 1
        closes = row.exam.closes_at
        yield Todo(
            what=f"参加考试：{row.exam.title}" + ("（作答中，未交卷）" if row.open_attempt else ""),
            org_name=row.exam.org.name,
            due_on=timezone.localdate(closes) if closes else None,
            status=DUE,
            action="继续作答" if row.open_attempt else "参加考试",
            url=url("learning:my_exam", row.exam.pk),
            source="学习教育",
        )


@provider("todos", order=62)
def outside_records_to_approve(ctx: WorkbenchContext) -> Iterable[Todo]:
    """Outside training records waiting for the branch: the oldest few, each one button."""
    from dangjian.learning.models import OutsideRecord

    pending = (
        OutsideRecord.objects.manageable_by(ctx.user)
        .filter(status=OutsideRecord.Status.PENDING)
        .exclude(member_id=ctx.user.member_id or 0)
        .select_related("member__org")
        .order_by("created_at")[:SHOWN]
    )
    for record in pending:
        yield Todo(
            what=f"审核外出培训学时：{record.member.name} {record.title}（{record.hours} 学时）",
            org_name=record.member.org.name,
            due_on=None,
            status=DUE,
            action="审核",
            url=url("learning:records"),
            source="学习教育",
        )


@provider("todos", order=63)
def training_classes_this_week(ctx: WorkbenchContext) -> Iterable[Todo]:
    """Training classes of the user's orgs starting this week: the notice, then sign-in."""
    import datetime as dt

    from django.utils import timezone

    from dangjian.learning.models import TrainingClass

    monday = ctx.today - dt.timedelta(days=ctx.today.weekday())
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    classes = (
        TrainingClass.objects.manageable_by(ctx.user)
        .exclude(status=TrainingClass.Status.CANCELLED)
        .filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=7))
        .select_related("org")
        .order_by("starts_at")[:SHOWN]
    )
    for t in classes:
        notified = t.status == TrainingClass.Status.NOTIFIED
        yield Todo(
            what=f"本周培训班：{t.title}（{timezone.localtime(t.starts_at):%m-%d %H:%M}）",
            org_name=t.org.name,
            due_on=timezone.localdate(t.starts_at),
            status=DUE,
            action="登记出勤" if notified else "发布通知",
            url=url("learning:training", t.pk),
            source="学习教育",
        )
