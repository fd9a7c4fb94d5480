"""The annual plan of organizational life, generated from the standards library.

Which meetings a branch must hold, how often, comes only from the rules in force: every
enabled rule whose params name a plan ``kind`` (a meeting kind, or ``appraisal``) and a
``period`` (month / quarter / year) with a ``min`` count, e.g. the meeting-frequency rules
``{"kind": "board_meeting", "period": "month", "min": 1}``; a yearly rule may add
``"preferred_quarter": 4``. A rule version applies to the periods that start while it is in
force, so a mid-year change of a number shows in the plan from the next period on.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from dangjian.core.errors import DomainError
from dangjian.meetings.models import Meeting, PlanSlot
from dangjian.standards.models import Rule
from dangjian.standards.registry import applies as registry_applies

PERIOD_KINDS = ("month", "quarter", "year")
# The start of a meeting scheduled from the plan when the secretary gives no time.
DEFAULT_START = dt.time(9, 0)


@dataclass(frozen=True)
class PlanPeriod:
    label: str
    start: dt.date
    end: dt.date  # last day, inclusive


def periods(year: int, kind: str) -> list[PlanPeriod]:
    if kind == "month":
        return [
            PlanPeriod(
                f"{year}-{m:02d}",
                dt.date(year, m, 1),
                dt.date(year, m, calendar.monthrange(year, m)[1]),
            )
            for m in range(1, 13)
        ]
    if kind == "quarter":
        return [
            PlanPeriod(
                f"{year}-Q{q}",
                dt.date(year, 3 * q - 2, 1),
                dt.date(year, 3 * q, calendar.monthrange(year, 3 * q)[1]),
            )
            for q in range(1, 5)
        ]
    return [PlanPeriod(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))]


def period_label(day: dt.date, kind: str) -> str:
    if kind == "month":
        return f"{day.year}-{day.month:02d}"
    if kind == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def label_kind(label: str) -> str:
    if "-Q" in label:
        return "quarter"
    return "month" if "-" in label else "year"


def plan_rules(year: int) -> list[Rule]:
    """Rule versions that generate plan slots and overlap ``year``."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rules = (
        Rule.objects.select_related("standard")
        .filter(enabled=True, effective_from__lte=end)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=start))
        .order_by("code", "version")
    )
    return [r for r in rules if is_plan_rule(r)]


def is_plan_rule(rule: Rule) -> bool:
    params = rule.params or {}
    return (
        params.get("kind") in PlanSlot.Kind.values
        and params.get("period") in PERIOD_KINDS
        and isinstance(params.get("min", 1), int)
        and params.get("min", 1) >= 1
    )


def version_for(versions: list[Rule], day: dt.date) -> Rule | None:
    """Highest version in force on ``day``."""
    best = None
    for rule in versions:
        in_force = rule.effective_from <= day and (
            rule.effective_to is None or rule.effective_to > day
        )
        if in_force and (best is None or rule.version > best.version):
            best = rule
    return best


def applies(rule: Rule, org_kind: str, full_members: int | None = None) -> bool:
    """Whether ``rule`` applies to a branch of ``org_kind`` with ``full_members`` full members
    (``standards.registry.applies``); a group-meeting rule also applies when it names groups."""
    kinds = [org_kind]
    if rule.params.get("kind") == PlanSlot.Kind.GROUP_MEETING:
        kinds.append("group")
    return registry_applies(rule.applies_to, kinds, full_members)


def default_date(period: PlanPeriod, sequence: int, count: int, preferred_quarter=None):
    start, end = period.start, period.end
    if preferred_quarter and label_kind(period.label) == "year":
        q = int(preferred_quarter)
        start = dt.date(period.start.year, 3 * q - 2, 1)
        end = dt.date(period.start.year, 3 * q, calendar.monthrange(period.start.year, 3 * q)[1])
    span = (end - start).days
    return start + dt.timedelta(days=span * sequence // (count + 1))


def slots_for(
    org, groups: list, year: int, *, full_members: int | None = None, rules=None
) -> list[PlanSlot]:
    """Unsaved slots required for ``org`` (with ``full_members`` full members on the rolls)
    in ``year`` by the rules in force."""
    by_code: dict[str, list[Rule]] = {}
    for rule in plan_rules(year) if rules is None else rules:
        by_code.setdefault(rule.code, []).append(rule)
    slots: list[PlanSlot] = []
    for versions in by_code.values():
        period_kind = versions[-1].params["period"]
        for period in periods(year, period_kind):
            rule = version_for(versions, period.start) or version_for(versions, period.end)
            if rule is None or rule.params.get("period") != period_kind:
                continue
            if not applies(rule, org.kind, full_members):
                continue
            kind = rule.params["kind"]
            count = int(rule.params.get("min", 1))
            targets = groups if kind == PlanSlot.Kind.GROUP_MEETING else [None]
            for group in targets:
                for seq in range(1, count + 1):
                    slots.append(
                        PlanSlot(
                            org=org,
                            group=group,
                            year=year,
                            kind=kind,
                            period=period.label,
                            period_start=period.start,
                            due_on=period.end,
                            sequence=seq,
                            planned_on=default_date(
                                period, seq, count, rule.params.get("preferred_quarter")
                            ),
                            rule_code=rule.code,
                            rule_version=rule.version,
                        )
                    )
    return slots


def scheduled_at(slot: PlanSlot, start: dt.time | None = None) -> dt.datetime:
    """When the slot's meeting starts if scheduled in one step: its planned date, at
    ``start`` (9:00 by default), Beijing time."""
    return timezone.make_aware(dt.datetime.combine(slot.planned_on, start or DEFAULT_START))


def schedule_refusal(
    slot: PlanSlot, *, now: dt.datetime, start: dt.time | None = None
) -> DomainError | None:
    """Why the slot's meeting cannot be scheduled in one step ("安排并通知": on its planned
    date, notice sent), or None. The service refuses with it; the plan page offers the step
    only where it is None (and no meeting is arranged for the slot yet)."""
    if slot.kind not in Meeting.Kind.values:
        return DomainError("民主评议请在“民主评议”中开展", field="slot")
    if slot.kind == Meeting.Kind.HEART_TALK:
        return DomainError("谈心谈话须选定谈话双方，请点“安排会议”填写", field="slot")
    if scheduled_at(slot, start) <= now:
        return DomainError("计划日期已过，请先调整计划日期，或补录已召开的会议", field="planned_on")
    return None
