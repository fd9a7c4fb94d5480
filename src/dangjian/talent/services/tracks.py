"""Training tracks for party-affairs staff (培训专题): courses and training classes with the
hours required per role; and the two facts SUP-6 is checked from: a unit's staff count and
the full-time flag of a position (机关条例 第三十条)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction

from dangjian.core.actors import actor_user
from dangjian.core.audit import audit
from dangjian.core.checks import checked_text, checked_year
from dangjian.core.choices import choices_text
from dangjian.core.errors import Conflict, DomainError
from dangjian.learning.models import Course, TrainingClass
from dangjian.orgs.models import Org, Position, Unit
from dangjian.talent.models import Track, TrackHours, TrackItem

MAX_HOURS = Decimal("999")
MAX_STAFF = 1_000_000


@transaction.atomic
def track_create(
    *,
    actor,
    org: Org,
    title: str,
    topic: str,
    year: int,
    summary: str = "",
    hours: dict[str, object] | None = None,
) -> Track:
    """A track set by ``org`` for the party-affairs staff of its subtree; ``hours``: role →
    hours required (at least one)."""
    title = checked_text(title, field="title", label="专题名称", limit=100)
    summary = checked_text(summary, field="summary", label="说明", limit=500, required=False)
    if topic not in Track.Topic.values:
        raise DomainError(f"方向无效，可选：{choices_text(Track.Topic.choices)}", field="topic")
    year = checked_year(year)
    rows = _hours(hours or {})
    if Track.objects.filter(org=org, year=year, title=title).exists():
        raise Conflict("该组织本年度已有同名培训专题", field="title")
    track = Track.objects.create(
        org=org,
        title=title,
        topic=topic,
        year=year,
        summary=summary,
        created_by=actor_user(actor),
    )
    TrackHours.objects.bulk_create([TrackHours(track=track, role=r, hours=h) for r, h in rows])
    audit(
        actor=actor,
        action="create",
        obj=track,
        org=org,
        verb=f"设置{year}年培训专题 {title[:40]}",
        changes={"hours": [None, {r: str(h) for r, h in rows}]},
    )
    return track


def _hours(hours: dict[str, object]) -> list[tuple[str, Decimal]]:
    rows = []
    for role, value in hours.items():
        if role not in Position.Role.values:
            raise DomainError(
                f"职务无效，可选：{choices_text(Position.Role.choices)}", field="hours"
            )
        if value in (None, ""):
            continue
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise DomainError(f"{Position.Role(role).label}的学时应为数字", field="hours") from None
        if not number.is_finite() or number <= 0 or number > MAX_HOURS:
            raise DomainError(
                f"{Position.Role(role).label}的学时应大于 0、不超过 {MAX_HOURS}", field="hours"
            )
        rows.append((role, number.quantize(Decimal("0.01"))))
    if not rows:
        raise DomainError("请至少为一种职务设置应完成学时", field="hours")
    return rows


@transaction.atomic
def track_hours_set(*, actor, track: Track, hours: dict[str, object]) -> Track:
    """Replace the hours per role."""
    rows = _hours(hours)
    before = {h.role: str(h.hours) for h in track.hours.all()}
    track.hours.all().delete()
    TrackHours.objects.bulk_create([TrackHours(track=track, role=r, hours=h) for r, h in rows])
    audit(
        actor=actor,
        action="update",
        obj=track,
        org=track.org,
        verb=f"调整培训专题 {track.title[:40]} 的学时要求",
        changes={"hours": [before, {r: str(h) for r, h in rows}]},
    )
    return track


@transaction.atomic
def track_item_add(
    *,
    actor,
    track: Track,
    course: Course | None = None,
    training: TrainingClass | None = None,
) -> TrackItem:
    """Add a course or a training class of the track's org or an org above it (what its staff
    can take); the caller loads it through the gate."""
    if (course is None) == (training is None):
        raise DomainError("请选择一门课程或一个培训班", field="course")
    source = course or training
    field = "course" if course else "training"
    owner = source.org
    if not (track.org.path.startswith(owner.path) or owner.path.startswith(track.org.path)):
        raise DomainError("只能选择本组织、上级或下级组织的课程和培训班", field=field)
    if course is not None and course.status != Course.Status.PUBLISHED:
        raise DomainError("课程尚未发布，发布后才能加入专题", field="course")
    if TrackItem.objects.filter(track=track, **{field: source}).exists():
        raise Conflict("该内容已在专题中", field=field)
    item = TrackItem.objects.create(track=track, course=course, training=training)
    audit(
        actor=actor,
        action="update",
        obj=track,
        org=track.org,
        verb=f"培训专题 {track.title[:30]} 加入{'课程' if course else '培训班'} {str(source)[:40]}",
    )
    return item


@transaction.atomic
def unit_staff_count_set(*, actor, org: Org, staff_count) -> Unit:
    """Record the staff count (职工人数) of the unit ``org`` sits in (SUP-6)."""
    if org.unit_id is None:
        raise DomainError(f"{org.name}未关联单位，请先在组织信息中设置所在单位", field="org")
    if isinstance(staff_count, bool) or not isinstance(staff_count, int):
        try:
            staff_count = int(str(staff_count).strip())
        except (TypeError, ValueError):
            raise DomainError("职工人数应为整数", field="staff_count") from None
    if not 1 <= staff_count <= MAX_STAFF:
        raise DomainError("职工人数应在 1 至 1000000 之间", field="staff_count")
    unit = Unit.objects.select_for_update().get(pk=org.unit_id)
    before = unit.staff_count
    unit.staff_count = staff_count
    unit.save(update_fields=["staff_count", "updated_at"])
    audit(
        actor=actor,
        action="update",
        obj=unit,
        org=org,
        verb=f"登记{unit.name}职工人数 {staff_count} 人",
        changes={"staff_count": [before, staff_count]},
    )
    return unit


@transaction.atomic
def position_full_time_set(*, actor, position: Position, full_time: bool) -> Position:
    """Flag a position as a full-time party-affairs post (专职) or not (SUP-6)."""
    if not isinstance(full_time, bool):
        raise DomainError("专职应为是或否", field="full_time")
    position = (
        Position.objects.select_for_update(of=("self",))
        .select_related("org", "member", "user")
        .get(pk=position.pk)
    )
    if position.full_time == full_time:
        return position
    position.full_time = full_time
    position.save(update_fields=["full_time", "updated_at"])
    holder = position.member or position.user
    audit(
        actor=actor,
        action="update",
        obj=position,
        org=position.org,
        verb=f"{'设为' if full_time else '取消'}专职党务工作人员：{holder}",
        changes={"full_time": [not full_time, full_time]},
    )
    return position
