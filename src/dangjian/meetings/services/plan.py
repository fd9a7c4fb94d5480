"""The annual plan of organizational life: generate, move, schedule a slot, remind."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.core.audit import audit
from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEntry
from dangjian.core.services import notify
from dangjian.meetings import plan as plan_mod
from dangjian.meetings.models import Meeting, PlanSlot
from dangjian.meetings.selectors import MEETING_ORG_KINDS, slot_statuses
from dangjian.meetings.services.common import secretaries_of
from dangjian.meetings.services.meetings import meeting_create, meeting_send_notice
from dangjian.members.models import Member
from dangjian.orgs.models import Org


@transaction.atomic
def plan_generate(*, actor, org: Org, year: int) -> list[PlanSlot]:
    """Lay out ``org``'s required meetings for ``year`` from the rules in force. Idempotent:
    slots already there (with their moved dates) are kept; missing ones are added."""
    if org.kind not in MEETING_ORG_KINDS:
        raise DomainError("年度计划按党支部生成，请选择党支部", field="org")
    if not 2000 <= year <= 2100:
        raise DomainError("年度无效", field="year")
    groups = list(Org.objects.active().filter(parent=org, kind=Org.Kind.GROUP))
    full = Member.objects.on_rolls().filter(org=org, status=Member.Status.FULL).count()
    wanted = plan_mod.slots_for(org, groups, year, full_members=full)
    if not wanted:
        raise DomainError("标准库中没有可用于生成年度计划的会议频次规则，请先加载或启用标准库")
    have = {
        (s.kind, s.group_id, s.period, s.sequence)
        for s in PlanSlot.objects.filter(org=org, year=year)
    }
    new = [s for s in wanted if (s.kind, s.group_id, s.period, s.sequence) not in have]
    PlanSlot.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        audit(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            org=org,
            verb="生成年度组织生活计划",
            changes={"year": year, "slots": len(new)},
        )
    return list(PlanSlot.objects.filter(org=org, year=year))


@transaction.atomic
def plan_slot_move(*, actor, slot: PlanSlot, planned_on: dt.date) -> PlanSlot:
    if planned_on is None:
        raise DomainError("请填写计划日期", field="planned_on")
    if planned_on.year != slot.year:
        raise DomainError(f"计划日期须在 {slot.year} 年内", field="planned_on")
    before = slot.planned_on
    if before == planned_on:
        return slot
    slot.planned_on = planned_on
    slot.reminded_at = None
    slot.save(update_fields=["planned_on", "reminded_at"])
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        org=slot.org,
        obj=slot,
        verb="调整年度计划日期",
        changes={"planned_on": [before, planned_on]},
    )
    return slot


@transaction.atomic
def plan_slot_schedule(
    *,
    actor,
    slot: PlanSlot,
    topic: str = "",
    start: dt.time | None = None,
    place: str = "",
) -> Meeting:
    """One step from the plan: the slot's meeting is scheduled on its planned date and the
    notice goes out. Doing it again returns the meeting already scheduled for the slot."""
    existing = Meeting.objects.filter(slot=slot).exclude(status=Meeting.Status.CANCELLED).first()
    if existing is not None:
        return existing
    refusal = plan_mod.schedule_refusal(slot, now=timezone.now(), start=start)
    if refusal is not None:
        raise refusal
    label = slot.get_kind_display()
    meeting = meeting_create(
        actor=actor,
        org=slot.org,
        kind=slot.kind,
        topic=(topic or "").strip() or f"{slot.period} {label}",
        planned_on=slot.planned_on,
        held_at=plan_mod.scheduled_at(slot, start),
        place=place,
        group=slot.group,
        slot=slot,
    )
    meeting_send_notice(actor=actor, meeting=meeting)
    return meeting


def plan_send_reminders(*, today: dt.date | None = None) -> int:
    """Remind the secretaries of slots due within settings.REMINDER_DAYS_BEFORE days that are
    not done yet. Set-based: one query for the slots, one for the held meetings."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.REMINDER_DAYS_BEFORE)
    slots = list(
        PlanSlot.objects.filter(
            planned_on__gte=today, planned_on__lte=horizon, reminded_at__isnull=True
        ).select_related("org", "group")
    )
    if not slots:
        return 0
    statuses = slot_statuses(slots, today=today)
    sent = 0
    for slot in slots:
        if statuses[slot.pk] == "done":
            continue
        label = slot.get_kind_display() + (f"（{slot.group.name}）" if slot.group else "")
        notify(
            users=secretaries_of(slot.org),
            title=f"组织生活提醒：{label}",
            body=f"{slot.org.name} 计划于 {slot.planned_on:%Y-%m-%d} 召开{label}"
            f"（应于 {slot.due_on:%Y-%m-%d} 前完成）。",
            link=reverse("meetings:plan") + f"?org={slot.org_id}&year={slot.year}",
            dedupe_key=f"plan-slot-{slot.pk}-{slot.planned_on:%Y%m%d}",
        )
        sent += 1
    PlanSlot.objects.filter(pk__in=[s.pk for s in slots]).update(reminded_at=timezone.now())
    return sent
