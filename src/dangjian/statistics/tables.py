"""The 党内统计 annual tables of an org's subtree as of a date, computed from the rolls and the
member history (``MemberEvent``), with the consistency checks the statistics require and the
list behind every cell.

Set-based: four queries whatever the size of the subtree (its orgs, the members that were ever
in it, their history, nothing per member); the walk over each member's history is in Python.

How a member's state at a date is rebuilt (``docs/statistics.md`` explains it with examples):

- the history is taken in the order it was written (``id``); an entry dated later than a
  later-written one is taken as of that earlier date (a back-dated correction);
- before the record was created (``CREATED``), the stage dates of the record stand for the
  history: a record created as a full member whose ``joined_at`` and ``full_at`` lie in the
  past was a probationary member from ``joined_at`` and a full one from ``full_at``;
- a record created with a reason that says it came from outside (转入, 恢复党籍) was not on
  the rolls before.

Stocks (start and end of the year) come from the rebuilt states; flows (developed,
transferred, left …) are counted from the history entries themselves, with their own
``from_status`` and ``from_org``. So a broken history (an entry that does not follow from
the one before, a record changed without an entry) makes start + in − out differ from end,
and the check fails.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from dangjian.members.models import Member, MemberEvent, years_between
from dangjian.orgs.models import PATH_STEP, Org
from dangjian.statistics.categories import (
    DECREASES,
    INCREASES,
    PARTY,
    UNKNOWN,
    education_labels,
    groupings,
)

FULL, PROBATIONARY = str(Member.Status.FULL), str(Member.Status.PROBATIONARY)
CREATED, STATUS, ORG, LEFT = (str(k) for k in MemberEvent.Kind)
# Implicit steps from the stage dates of a record, before it was created.
JOINED, MADE_FULL = "joined", "made_full_date"


@dataclass
class Tables:
    org: Org
    as_of: dt.date
    start_on: dt.date
    figures: dict
    checks: list[dict]
    cells: dict[str, set[int]] = field(default_factory=dict)  # cell key → member or org ids

    def as_dict(self) -> dict:
        return {**self.figures, "checks": self.checks}


def default_as_of(year: int) -> dt.date:
    return dt.date(year, 12, 31)


@dataclass
class _State:
    on_rolls: bool
    org: int | None
    status: str | None

    def counted(self, subtree: set[int]) -> bool:
        return self.on_rolls and self.org in subtree and self.status in PARTY


class _Flows:
    def __init__(self) -> None:
        self.count: dict[str, int] = defaultdict(int)
        self.by_status: dict[tuple[str, str], int] = defaultdict(int)
        self.cells: dict[str, set[int]] = defaultdict(set)

    def add(self, key: str, status: str | None, member_id: int) -> None:
        self.count[key] += 1
        if status:
            self.by_status[(key, status)] += 1
        self.cells[f"changes.{key}"].add(member_id)


def _classify(from_status: str | None, to_status: str | None) -> tuple[str, str | None] | None:
    """The change a status step counts as, and the status it adds to or takes from."""
    was, now = from_status in PARTY, to_status in PARTY
    if not was and to_status == PROBATIONARY:
        return "developed", PROBATIONARY
    if not was and now:
        return "other_in", to_status
    if from_status == PROBATIONARY and to_status == FULL:
        return "made_full", None
    if was and not now:
        return ("cancelled" if from_status == PROBATIONARY else "other_out"), from_status
    return None


def compute(org: Org, as_of: dt.date, start_on: dt.date | None = None) -> Tables:
    start_on = start_on or dt.date(as_of.year - 1, 12, 31)
    g = groupings()
    orgs = {
        o["id"]: o
        for o in Org.objects.filter(path__startswith=org.path).values(
            "id", "name", "path", "kind", "parent_id", "established_on", "dissolved_on"
        )
    }
    subtree = set(orgs)
    members_qs = members_ever_in(org)
    members = list(
        members_qs.values_list(
            "id",
            "org_id",
            "status",
            "gender",
            "ethnicity",
            "birth_date",
            "education",
            "is_retired",
            "joined_at",
            "full_at",
            "left_on",
        )
    )
    history: dict[int, list[tuple]] = defaultdict(list)
    events = MemberEvent.objects.filter(member_id__in=members_qs.values("id"))
    for row in events.order_by("member_id", "id").values_list(
        "member_id",
        "id",
        "kind",
        "on",
        "from_status",
        "to_status",
        "from_org_id",
        "to_org_id",
        "reason",
    ):
        history[row[0]].append(row)

    flows = _Flows()
    cells: dict[str, set[int]] = defaultdict(set)
    start = {"total": 0, FULL: 0, PROBATIONARY: 0}
    child_of = _child_keys(org, orgs)
    for (
        mid,
        org_id,
        status,
        gender,
        ethnicity,
        born,
        education,
        retired,
        joined_at,
        full_at,
        left_on,
    ) in members:
        steps, state = _timeline(history.get(mid, []), org_id, status, joined_at, full_at, g)
        at_start = at_end = None
        for day, kind, ev in steps:
            if at_start is None and day > start_on:
                at_start = _State(state.on_rolls, state.org, state.status)
            if at_end is None and day > as_of:
                at_end = _State(state.on_rolls, state.org, state.status)
            in_period = start_on < day <= as_of
            _step(state, kind, ev, subtree, flows if in_period else None, mid, g)
        final = state
        at_start = at_start or _State(final.on_rolls, final.org, final.status)
        at_end = at_end or _State(final.on_rolls, final.org, final.status)
        if (final.on_rolls, final.org, final.status) != (left_on is None, org_id, status):
            cells["checks.history"].add(mid)
        if at_start.counted(subtree):
            start["total"] += 1
            start[at_start.status] += 1
            cells["start.total"].add(mid)
            cells[f"start.{at_start.status}"].add(mid)
        if not at_end.counted(subtree):
            continue
        keys = [
            "members.total",
            f"members.{at_end.status}",
            f"members.{gender}",
            "members.han" if ethnicity in ("汉族", "") else "members.minority",
            f"members.age_bands.{g.age_band(years_between(born, as_of))}",
            f"members.education.{education or UNKNOWN}",
            f"members.occupation.{'retired' if retired else 'agency'}",
            f"children.{child_of.get(at_end.org, 'direct')}",
        ]
        for key in keys:
            cells[key].add(mid)
    for oid, o in orgs.items():
        if (o["established_on"] is None or o["established_on"] <= as_of) and (
            o["dissolved_on"] is None or o["dissolved_on"] > as_of
        ):
            cells["orgs.total"].add(oid)
            cells[f"orgs.{o['kind']}"].add(oid)
    cells.update(flows.cells)
    figures = _figures(org, orgs, as_of, start_on, cells, flows, start)
    from dangjian.statistics.checks import run_checks

    return Tables(org, as_of, start_on, figures, run_checks(figures, flows), dict(cells))


def members_ever_in(org: Org):
    """Members in ``org``'s subtree now or named by a history entry as having been in it."""
    sub_ids = Org.objects.filter(path__startswith=org.path).values("id")
    touched = MemberEvent.objects.filter(
        Q(from_org_id__in=sub_ids) | Q(to_org_id__in=sub_ids)
    ).values("member_id")
    return Member.objects.filter(Q(org_id__in=sub_ids) | Q(pk__in=touched))


def _child_keys(org: Org, orgs: dict[int, dict]) -> dict[int, str]:
    """Each org of the subtree → the id (as text) of the direct child of ``org`` above it."""
    depth = len(org.path) + PATH_STEP
    by_path = {o["path"]: oid for oid, o in orgs.items()}
    return {
        oid: str(by_path[o["path"][:depth]]) for oid, o in orgs.items() if len(o["path"]) >= depth
    }


def _timeline(events: list[tuple], org_id, status, joined_at, full_at, g):
    """The ordered steps of one member's history and the state before the first."""
    # Effective date: no later than any entry written after it.
    eff, low = [], dt.date.max
    for ev in reversed(events):
        low = min(low, ev[3])
        eff.append(low)
    eff.reverse()
    created = events[0] if events and events[0][2] == CREATED else None
    first_org = next(
        (ev[7] if ev[2] == CREATED else ev[6] for ev in events if ev[2] in (CREATED, ORG)),
        org_id,
    )
    came_from_outside = created is not None and g.create_kind(created[8]) is not None
    steps: list[tuple] = []
    # Before the record existed its stage dates stand for the history, as far as the status
    # it was created with (with no history at all, the record stands for it).
    created_status = created[5] if created else (None if events else status)
    if created_status in PARTY and joined_at:
        steps.append((joined_at, 0, 0, JOINED, None))
    if created_status == FULL and full_at:
        steps.append((full_at, 0, 1, MADE_FULL, None))
    steps.extend((day, 1, ev[1], ev[2], ev) for day, ev in zip(eff, events, strict=True))
    steps.sort()  # by date; the stage dates before the entries of the same day; entries by id
    first_status = status if not events and status not in PARTY else None
    state = _State(on_rolls=not came_from_outside, org=first_org, status=first_status)
    return [(day, kind, ev) for day, _, _, kind, ev in steps], state


def _step(state: _State, kind: str, ev, subtree: set[int], flows: _Flows | None, mid: int, g):
    """Apply one step to ``state``; count it in ``flows`` when it falls in the year."""
    here = state.on_rolls and state.org in subtree
    if kind in (JOINED, MADE_FULL):
        to = PROBATIONARY if kind == JOINED else FULL
        change = _classify(state.status, to)
        if flows is not None and here and change:
            flows.add(change[0], change[1], mid)
        state.status = to
        return
    _, _, _, _, from_status, to_status, from_org, to_org, reason = ev
    if kind == CREATED:
        outside = g.create_kind(reason)
        if outside:
            state.on_rolls, state.org, state.status = True, to_org, to_status
            if flows is not None and state.counted(subtree):
                flows.add(outside, to_status, mid)
            return
        change = _classify(state.status, to_status)
        state.org = to_org or state.org
        if flows is not None and state.on_rolls and state.org in subtree and change:
            flows.add(change[0], change[1], mid)
        state.status = to_status
    elif kind == STATUS:
        change = _classify(from_status, to_status)
        if flows is not None and here and change:
            flows.add(change[0], change[1], mid)
        state.status = to_status
    elif kind == ORG:
        if flows is not None and state.on_rolls and state.status in PARTY:
            if from_org in subtree and to_org not in subtree:
                flows.add("transferred_out", state.status, mid)
            elif from_org not in subtree and to_org in subtree:
                flows.add("transferred_in", state.status, mid)
        state.org = to_org
    elif kind == LEFT:
        where = from_org or state.org
        if flows is not None and state.on_rolls and state.status in PARTY and where in subtree:
            flows.add(g.leave_kind(reason), state.status, mid)
        state.on_rolls = False


def _figures(org, orgs, as_of, start_on, cells, flows: _Flows, start) -> dict:
    g = groupings()

    def n(key: str) -> int:
        return len(cells.get(key, ()))

    changes = {k: flows.count.get(k, 0) for k in [*INCREASES, *DECREASES, "made_full"]}
    changes["increase"] = sum(changes[k] for k in INCREASES)
    changes["decrease"] = sum(changes[k] for k in DECREASES)
    children = [
        {"org": oid, "name": o["name"], "kind": o["kind"], "total": n(f"children.{oid}")}
        for oid, o in sorted(orgs.items(), key=lambda kv: kv[1]["path"])
        if o["parent_id"] == org.pk and o["kind"] != Org.Kind.GROUP
    ]
    return {
        "org": org.pk,
        "org_name": org.name,
        "as_of": as_of.isoformat(),
        "start_on": start_on.isoformat(),
        "members": {
            "total": n("members.total"),
            "full": n("members.full"),
            "probationary": n("members.probationary"),
            "female": n("members.female"),
            "male": n("members.male"),
            "han": n("members.han"),
            "minority": n("members.minority"),
            "age_bands": {b.key: n(f"members.age_bands.{b.key}") for b in g.age_bands},
            "education": {k: n(f"members.education.{k}") for k in education_labels()},
            "occupation": {b.key: n(f"members.occupation.{b.key}") for b in g.occupation},
        },
        "start": {
            "total": start["total"],
            "full": start[FULL],
            "probationary": start[PROBATIONARY],
        },
        "orgs": {k: n(f"orgs.{k}") for k in ["total", *Org.Kind.values]},
        "changes": changes,
        "flows_by_status": {f"{k}.{s}": v for (k, s), v in sorted(flows.by_status.items()) if v},
        "children": children,
        "direct": n("children.direct"),
        "history_mismatches": n("checks.history"),
    }
