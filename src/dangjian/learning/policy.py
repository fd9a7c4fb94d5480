"""The numbers learning works by, read from the standards library (never literals in code):
LRN-4 (credit by course length; completion thresholds of a lesson) and EDU-1 / EDU-2 (the
yearly requirement). Editing them in the library makes a new rule version."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dangjian.standards.models import Rule
from dangjian.standards.selectors import rule_in_force


@dataclass(frozen=True)
class StudyPolicy:
    rule: Rule
    tiers: tuple[tuple[int, Decimal], ...]  # (min minutes, hours), longest first
    complete_position: float  # share of a medium's length the furthest position must reach
    complete_credited: float  # share of its length that must be credited
    max_speed: float  # the position may advance at most this many times the wall clock
    tolerance_s: float  # network slack added to the wall-clock time of a session
    max_gap_s: float  # a longer gap between reports counts only this much (page left)
    text_min_dwell_s: float  # a text, image or document lesson completes after this

    def course_hours(self, seconds: int) -> Decimal:
        """LRN-4: the hours a finished course of ``seconds`` in length earns."""
        minutes = seconds / 60
        for min_minutes, hours in self.tiers:
            if minutes >= min_minutes:
                return hours
        return Decimal(0)


def study_policy(on: dt.date | None = None) -> StudyPolicy:
    rule = rule_in_force("LRN-4", on)
    p = rule.params
    tiers = sorted(
        ((int(t["min_minutes"]), Decimal(str(t["hours"]))) for t in p["tiers"]),
        reverse=True,
    )
    return StudyPolicy(
        rule=rule,
        tiers=tuple(tiers),
        complete_position=float(p["complete_position"]),
        complete_credited=float(p["complete_credited"]),
        max_speed=float(p["max_speed"]),
        tolerance_s=float(p["tolerance_s"]),
        max_gap_s=float(p["max_gap_s"]),
        text_min_dwell_s=float(p["text_min_dwell_s"]),
    )


@dataclass(frozen=True)
class Requirement:
    member_hours: Decimal  # EDU-1
    board_hours: Decimal  # EDU-2
    board_roles: tuple[str, ...]


def requirement(year: int) -> Requirement:
    """EDU-1 and EDU-2 as in force at the end of ``year`` (or today, if earlier)."""
    on = min(dt.date(year, 12, 31), dt.date.today())
    edu1, edu2 = rule_in_force("EDU-1", on), rule_in_force("EDU-2", on)
    return Requirement(
        member_hours=Decimal(str(edu1.params["min_hours"])),
        board_hours=Decimal(str(edu2.params["min_hours"])),
        board_roles=tuple(edu2.params.get("roles") or ()),
    )


@dataclass(frozen=True)
class TrainingPolicy:
    """LRN-5 (offline hours; meetings that count as study) and LRN-3 (absence limit)."""

    rule: Rule  # LRN-5
    absence_rule: Rule  # LRN-3
    hour_hours: Decimal
    half_day_hours: Decimal
    day_hours: Decimal
    max_absent_parts: int  # absence at most 1/N of the class's hours
    meeting_hours: dict[str, Decimal]  # meeting kind → hours credited to those present

    def max_hours(self, starts_at: dt.datetime, ends_at: dt.datetime) -> Decimal:
        """The most hours a class from ``starts_at`` to ``ends_at`` can earn by LRN-5: per
        calendar day a full day's hours, a single day shorter than half a day by the hour."""
        from django.utils import timezone

        first, last = timezone.localdate(starts_at), timezone.localdate(ends_at)
        days = (last - first).days + 1
        if days == 1:
            span = Decimal(str((ends_at - starts_at).total_seconds() / 3600))
            if span <= self.half_day_hours / self.hour_hours:
                return min(self.half_day_hours, (span * self.hour_hours).quantize(Decimal("0.01")))
        return self.day_hours * days

    def absence_limit(self, hours: Decimal) -> Decimal:
        return (hours / self.max_absent_parts).quantize(Decimal("0.01"))

    def credit(self, hours: Decimal, absent: Decimal) -> Decimal:
        """Hours a present attendee earns: the class's hours less the hours missed, nothing
        when the absence is beyond LRN-3's limit (not completed, 不予结业)."""
        if absent > self.absence_limit(hours):
            return Decimal(0)
        return max(Decimal(0), hours - absent)


def training_policy(on: dt.date | None = None) -> TrainingPolicy:
    rule, absence = rule_in_force("LRN-5", on), rule_in_force("LRN-3", on)
    p = rule.params
    return TrainingPolicy(
        rule=rule,
        absence_rule=absence,
        hour_hours=Decimal(str(p["hour_hours"])),
        half_day_hours=Decimal(str(p["half_day_hours"])),
        day_hours=Decimal(str(p["day_hours"])),
        max_absent_parts=int(absence.params["max_absent_parts"]),
        meeting_hours={m["kind"]: Decimal(str(m["hours"])) for m in p.get("meeting_kinds") or []},
    )
