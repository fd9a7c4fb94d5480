"""Points (积分, issue 12 part 7): an append-only ledger fed only by verified deeds.

- The rules are the standards library's ``PNT-*`` rules (``PointRule``): for an event
  (``course_completed``, ``exam_passed``) the highest version in force on the day.
- An award is once per (member, rule, source object): a retry or a second event for the
  same course or exam adds nothing (a database constraint).
- Caps per member: ``daily_cap`` on the day and ``yearly_cap`` in the year, per rule; an
  award is cut to what is left, and none is written when nothing is left.
- A correction is a reversal: a negative row naming the row it reverses, once.
- Members read their own ledger; managers read sums per org (``org_points``). Nothing here
  orders people by points (RULES.md K, ANT-1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from dangjian.core.actors import SYSTEM, actor_user
from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError
from dangjian.learning.models_exams import PointEntry, PointRule
from dangjian.members.models import Member
from dangjian.orgs.models import Org


def rules_for(event: str, on: dt.date) -> list[PointRule]:
    """The rules rewarding ``event`` on ``on``: one version per code, the highest in force."""
    rows = (
        PointRule.objects.points()
        .in_force(on)
        .filter(enabled=True, params__event=event)
        .order_by("code", "-version")
    )
    out: dict[str, PointRule] = {}
    for rule in rows:
        out.setdefault(rule.code, rule)
    return list(out.values())


def _sum(qs) -> int:
    return qs.aggregate(n=Sum("points"))["n"] or 0


def source_key(source: models.Model) -> tuple[str, int]:
    return source._meta.label_lower, source.pk


@transaction.atomic
def point_award(
    *, event: str, member: Member, source: models.Model, title: str, on: dt.date | None = None
) -> list[PointEntry]:
    """Points for ``member`` for a verified ``event`` about ``source`` (a finished course, a
    passed exam), by each rule in force; capped, and once per rule and source."""
    on = on or timezone.localdate()
    source_type, source_id = source_key(source)
    made = []
    Member.objects.select_for_update().filter(pk=member.pk).first()  # caps: one award at a time
    for rule in rules_for(event, on):
        mine = PointEntry.objects.filter(member=member, rule_code=rule.code)
        if mine.filter(
            source_type=source_type, source_id=source_id, reverses__isnull=True
        ).exists():
            continue
        points = rule.points
        if rule.daily_cap:
            points = min(points, rule.daily_cap - _sum(mine.filter(awarded_on=on)))
        if rule.yearly_cap:
            points = min(points, rule.yearly_cap - _sum(mine.filter(year=on.year)))
        if points <= 0:
            continue
        try:
            with transaction.atomic():
                entry = PointEntry.objects.create(
                    member=member,
                    year=on.year,
                    awarded_on=on,
                    points=points,
                    title=title[:200],
                    rule_code=rule.code,
                    rule_version=rule.version,
                    source_type=source_type,
                    source_id=source_id,
                )
        except IntegrityError:  # the same award, written by a concurrent request
            continue
        audit(
            actor=SYSTEM,
            action="create",
            obj=entry,
            org_path=member.org.path,
            verb=f"{member.name} {title[:40]}，按 {rule.code} 记 {points} 分",
        )
        made.append(entry)
    return made


@transaction.atomic
def point_reverse(*, actor, entry: PointEntry, reason: str) -> PointEntry:
    """Cancel ``entry`` with a negative row (the ledger itself is never changed)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写冲销原因", field="reason")
    if len(reason) > 200:
        raise DomainError("冲销原因过长（最多 200 字）", field="reason")
    entry = (
        PointEntry.objects.select_for_update(of=("self",))
        .select_related("member__org")
        .get(pk=entry.pk)
    )
    if entry.reverses_id is not None:
        raise Conflict("冲销记录不能再冲销")
    if PointEntry.objects.filter(reverses=entry).exists():
        raise Conflict("该积分已冲销")
    today = timezone.localdate()
    reversal = PointEntry.objects.create(
        member=entry.member,
        year=entry.year,
        awarded_on=today,
        points=-entry.points,
        title=f"冲销：{entry.title}"[:200],
        rule_code=entry.rule_code,
        rule_version=entry.rule_version,
        source_type=entry.source_type,
        source_id=entry.source_id,
        reverses=entry,
        reason=reason,
        actor=actor_user(actor),
    )
    audit(
        actor=actor,
        action="create",
        obj=reversal,
        org_path=entry.member.org.path,
        verb=f"冲销 {entry.member.name} 的积分 {entry.points} 分：{reason[:40]}",
    )
    return reversal


# ---- reads ---------------------------------------------------------------------------


def member_points(member: Member, year: int):
    """(total, entries) of one member's ledger in ``year``, newest first."""
    entries = PointEntry.objects.filter(member=member, year=year).order_by("-awarded_on", "-id")
    return _sum(entries), entries


@dataclass
class OrgPoints:
    org: Org
    members: int  # party members on the rolls in the subtree
    with_points: int  # of them, members with points this year
    total: int

    @property
    def average(self) -> float | None:
        return round(self.total / self.members, 1) if self.members else None

    @property
    def share(self) -> float | None:
        return self.with_points / self.members if self.members else None


def org_points(orgs, year: int) -> list[OrgPoints]:
    """Sums per org (each org with its subtree), in the order given: never per person and
    never sorted by points. Two queries per org list: members, then ledger sums by org."""
    orgs = list(orgs)
    if not orgs:
        return []
    counts = dict(
        Member.objects.on_rolls()
        .party_members()
        .values_list("org__path")
        .annotate(n=Count("pk"))
        .filter(_paths_q("org__path", orgs))
        .order_by()
    )
    sums = (
        PointEntry.objects.filter(year=year)
        .filter(_paths_q("member__org__path", orgs))
        .values("member__org__path", "member_id")
        .annotate(n=Sum("points"))
        .order_by()
    )
    per_member = [(row["member__org__path"], row["n"]) for row in sums]
    out = []
    for org in orgs:
        inside = [n for path, n in per_member if path.startswith(org.path)]
        out.append(
            OrgPoints(
                org=org,
                members=sum(n for path, n in counts.items() if path.startswith(org.path)),
                with_points=sum(1 for n in inside if n > 0),
                total=sum(inside),
            )
        )
    return out


def _paths_q(lookup: str, orgs) -> Q:
    q = Q(pk__in=[])
    for org in orgs:
        q |= Q(**{f"{lookup}__startswith": org.path})
    return q
