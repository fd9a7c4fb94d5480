"""The members of the demo system (backbone step, rank 30; see ``dangjian.core.demo``).

Members are written with ``bulk_insert`` (COPY on PostgreSQL) after
``member_fill_computed`` has set exactly what ``member_create`` would (pinyin keys,
encrypted/hashed/masked ID number), with one "created" history event each. ``eligible``
and ``seniority`` pick the people for the boards and the demo accounts.
"""

from __future__ import annotations

import datetime as dt
import itertools

from dangjian.core.bulk import bulk_insert
from dangjian.core.demo import DemoContext, add_years
from dangjian.core.demo import names as data
from dangjian.core.idnumber import make_id_number
from dangjian.members.models import Member, MemberEvent
from dangjian.members.services import member_fill_computed


def eligible(members: list[Member], today: dt.date) -> list[Member]:
    """Full members with at least one year of party age, not mobile or lost."""
    cutoff = add_years(today, -1)
    return [
        m
        for m in members
        if m.status == Member.Status.FULL
        and m.full_at
        and m.full_at <= cutoff
        and not m.is_mobile
        and not m.is_lost_contact
    ]


def seniority(m: Member) -> tuple:
    rank = {"处长": 0, "副局长": 0, "二级巡视员": 0, "主任": 0, "副处长": 1, "副主任": 1}
    return (rank.get(m.job_title, 2), m.full_at or dt.date.max, m.name_pinyin)


class _Roll:
    """Draws the members of every branch from the context's random stream."""

    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.random
        self.today = ctx.today
        self.names = data.NameMaker(self.rng)
        self.id_sequence: dict[tuple[str, dt.date, str], int] = {}
        self._regions = [r for r, _ in data.REGION_CODES]
        self._region_cum = list(itertools.accumulate(w for _, w in data.REGION_CODES))
        self._eth = [e for e, _ in data.ETHNICITIES]
        self._eth_cum = list(itertools.accumulate(w for _, w in data.ETHNICITIES))

    def _date_between(self, start: dt.date, end: dt.date) -> dt.date:
        if end <= start:
            return start
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    def _days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(low, high))

    def _status(self, retired: bool, born: dt.date) -> str:
        """Mostly full members; those on the way to membership are mostly young."""
        age = self.today.year - born.year
        if retired or age > 45:
            return Member.Status.FULL
        factor = 2.0 if age <= 35 else 0.6
        roll = self.rng.random()
        for status, share in (
            (Member.Status.APPLICANT, 0.03),
            (Member.Status.ACTIVIST, 0.035),
            (Member.Status.CANDIDATE, 0.03),
            (Member.Status.PROBATIONARY, 0.035),
        ):
            if roll < share * factor:
                return status
            roll -= share * factor
        return Member.Status.FULL

    def _stages(self, status: str, born: dt.date) -> dict[str, dt.date | None]:
        """Stage dates in order, after the 18th birthday, none in the future."""
        today = self.today
        stages: dict[str, dt.date | None] = dict.fromkeys(
            ["applied_at", "activist_at", "candidate_at", "joined_at", "full_at"]
        )
        anchor_field = {
            "full": "joined_at",
            "probationary": "joined_at",
            "candidate": "candidate_at",
            "activist": "activist_at",
            "applicant": "applied_at",
        }[status]
        if status == "full":
            latest = add_years(today, -1) - dt.timedelta(days=1)
            earliest = min(add_years(born, 21), latest)
            joined = self._date_between(earliest, min(latest, add_years(born, 50)))
            stages["joined_at"] = joined
            stages["full_at"] = add_years(joined, 1)
        elif status == "probationary":
            stages["joined_at"] = today - self._days(15, 350)
        elif status == "candidate":
            stages["candidate_at"] = today - self._days(10, 300)
        elif status == "activist":
            stages["activist_at"] = today - self._days(10, 360)
        else:
            stages["applied_at"] = today - self._days(10, 330)
        # Walk back from the anchor: candidate 3-10 months before joining, activist
        # 12-18 months before candidate, application 1-7 months before activist.
        order = ["applied_at", "activist_at", "candidate_at", "joined_at"]
        gaps = {"candidate_at": (90, 300), "activist_at": (365, 540), "applied_at": (30, 200)}
        for f in reversed(order[: order.index(anchor_field)]):
            nxt = stages[order[order.index(f) + 1]]
            stages[f] = nxt - self._days(*gaps[f])
        floor = add_years(born, 18)
        for f in order:
            if stages[f] is not None and stages[f] < floor:
                stages[f] = floor
                floor = floor + dt.timedelta(days=30)
            elif stages[f] is not None:
                floor = stages[f]
        return stages

    def _education(self, born: dt.date, retired: bool) -> str:
        E = Member.Education
        if retired or born.year < 1970:
            table = [(E.POSTGRADUATE, 5), (E.UNIVERSITY, 40), (E.COLLEGE, 35), (E.SECONDARY, 20)]
        elif born.year < 1985:
            table = [(E.POSTGRADUATE, 25), (E.UNIVERSITY, 60), (E.COLLEGE, 12), (E.SECONDARY, 3)]
        else:
            table = [(E.POSTGRADUATE, 45), (E.UNIVERSITY, 52), (E.COLLEGE, 3)]
        return self.rng.choices([e for e, _ in table], weights=[w for _, w in table])[0]

    def _job_title(self, born: dt.date, kind: str) -> str:
        if kind == "retired":
            return "退休干部"
        age = self.today.year - born.year
        table = data.CENTER_JOB_TITLES if kind == "center" else data.JOB_TITLES
        if age < 28:
            table = table[:2]
        elif age < 35:
            table = table[:5]
        return self.rng.choices([t for t, _ in table], weights=[w for _, w in table])[0]

    def _id_number(self, born: dt.date, gender: str) -> str:
        region = self.rng.choices(self._regions, cum_weights=self._region_cum)[0]
        key = (region, born, gender)
        seq = self.id_sequence.get(key)
        if seq is None:
            seq = self.rng.randrange(1, 300)
        self.id_sequence[key] = seq + 1
        return make_id_number(region, born, seq, gender)

    def new_member(self, branch, kind: str, group) -> Member:
        rng, today = self.rng, self.today
        retired = kind == "retired"
        gender = "male" if rng.random() < (0.62 if retired else 0.55) else "female"
        if retired:
            born = self._date_between(dt.date(1960, 1, 1), dt.date(1965, 12, 31))
        else:
            latest = min(dt.date(2003, 12, 31), add_years(today, -22))
            born = self._date_between(dt.date(1964, 1, 1), latest)
        status = self._status(retired, born)
        stages = self._stages(status, born)
        lost = not retired and rng.random() < 0.002
        member = Member(
            name=self.names.name(gender, born.year),
            gender=gender,
            ethnicity=rng.choices(self._eth, cum_weights=self._eth_cum)[0],
            birth_date=born,
            phone=data.phone_number(rng),
            education=self._education(born, retired),
            unit=branch.unit,
            job_title=self._job_title(born, kind),
            org=branch,
            group=group,
            status=status,
            is_retired=retired,
            is_mobile=not retired and rng.random() < 0.02,
            is_lost_contact=lost,
            lost_contact_since=(today - self._days(200, 900)) if lost else None,
            **stages,
        )
        return member_fill_computed(member, self._id_number(born, gender))


def build(ctx: DemoContext) -> None:
    """Every branch's members (``ctx.branch_sizes``), spread over its groups."""
    roll = _Roll(ctx)
    groups_of: dict[int, list] = {}
    for g in ctx.groups:
        groups_of.setdefault(g.parent_id, []).append(g)
    batch: list[Member] = []
    by_org: dict[int, list[Member]] = {}
    for branch in ctx.branches:
        kind = ctx.branch_kinds[branch.pk]
        branch_groups = groups_of.get(branch.pk, [])
        members = []
        for i in range(ctx.branch_sizes[branch.pk]):
            group = branch_groups[i % len(branch_groups)] if branch_groups else None
            members.append(roll.new_member(branch, kind, group))
        members.sort(key=lambda m: (m.name_pinyin, m.id_number_hash))
        by_org[branch.pk] = members
        batch.extend(members)
    ctx.say(f"党员：已生成 {len(batch)} 条记录，写入数据库…")
    bulk_insert(Member, batch)
    bulk_insert(
        MemberEvent,
        (
            MemberEvent(
                member=m,
                kind=MemberEvent.Kind.CREATED,
                on=ctx.today,
                to_status=m.status,
                to_org_id=m.org_id,
                reason="建档（演示数据）",
                actor=ctx.actor,
            )
            for m in batch
        ),
    )
    ctx.say(f"党员：{len(batch)} 名（含建档记录）")
    ctx.members_by_org = by_org
