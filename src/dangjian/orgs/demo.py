"""The org tree of the demo system: units, orgs and groups (backbone step, rank 20), and
the boards with their positions (rank 50, after the demo accounts); see
``dangjian.core.demo``. Everything goes through the services, except at the city and
province scales (``ctx.bulk``), where groups, boards and positions are written with
``bulk_insert`` as the services would write them, without an audit entry each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dangjian.core.bulk import bulk_insert, next_id
from dangjian.core.demo import DemoContext, add_years
from dangjian.core.demo import names as data
from dangjian.members.demo import eligible, seniority
from dangjian.orgs.models import Board, Org, Position
from dangjian.orgs.services import (
    board_create,
    org_create,
    position_assign,
    segment,
    unit_create,
)

GROUPS_FROM = 30  # branches this big are divided into groups (党小组)
# Board terms in years when the standards library has no ORG-4 / ORG-5 rule loaded.
DEFAULT_TERM_YEARS = {"committee": 5, "general_branch": 3, "branch": 3, "work_committee": 5}
TERM_RULES = {"committee": "ORG-4", "general_branch": "ORG-3", "branch": "ORG-5"}


def has_data() -> bool:
    return Org.objects.exists()


def term_years(kind: str, today: dt.date) -> int:
    """A board's term length, from the standards library when it holds the rule."""
    from dangjian.core.errors import DomainError
    from dangjian.standards.selectors import rule_in_force

    code = TERM_RULES.get(kind)
    if code:
        try:
            params = rule_in_force(code, today).params or {}
        except DomainError:
            params = {}
        for key in ("term_years", "years", "term"):
            if isinstance(params.get(key), int):
                return params[key]
    return DEFAULT_TERM_YEARS[kind]


@dataclass
class _Branch:
    """A planned branch before it exists."""

    name: str
    short_name: str
    parent_key: str  # "committee" or "general_branch"
    kind: str  # "office" | "center" | "retired" | "organ"
    unit_name: str


class _Tree:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.random
        self.units: dict[str, object] = {}

    def unit(self, actor, name: str):
        if name not in self.units:
            self.units[name] = unit_create(actor=actor, name=name)
        return self.units[name]

    def split(self, total: int, parts: int, low: float, high: float, minimum: int) -> list[int]:
        """``total`` split into ``parts`` random shares, each at least ``minimum``."""
        weights = [self.rng.uniform(low, high) for _ in range(parts)]
        scale = total / sum(weights)
        counts = [max(minimum, round(w * scale)) for w in weights]
        i = 0
        while sum(counts) != total and i < 100000:
            j = i % parts
            if sum(counts) > total and counts[j] > minimum:
                counts[j] -= 1
            elif sum(counts) < total:
                counts[j] += 1
            i += 1
        return counts

    def plan_committee(self, bureau: str, short: str, n: int) -> list[_Branch]:
        """The branches of one bureau: offices, perhaps institutions under a 党总支, retirees."""
        rng = self.rng
        plans: list[_Branch] = []
        retired = n >= 4
        centers = round(n * rng.uniform(0.2, 0.4)) if n >= 5 else 0
        offices = n - centers - (1 if retired else 0)
        pool = list(data.OWN_OFFICES.get(bureau, []))
        generic = [o for o in data.OFFICES if o not in pool]
        rng.shuffle(generic)
        pool += generic
        for i in range(offices):
            office = pool[i] if i < len(pool) else f"机关第{i - len(pool) + 1}"
            plans.append(
                _Branch(f"{bureau}{office}党支部", f"{office}党支部", "committee", "office", bureau)
            )
        if centers:
            per_gb = rng.randint(3, 6)
            # Each institution has one or two branches; a 党总支 holds 3-6 branches.
            slots: list[tuple[str, int]] = []
            centre_pool = rng.sample(data.CENTERS, k=len(data.CENTERS))
            while len(slots) < centers:
                k = len(slots) // 2
                centre = centre_pool[k % len(centre_pool)]
                if k >= len(centre_pool):
                    centre = f"{centre}{k // len(centre_pool) + 1}"
                for ordinal in range(2 if rng.random() < 0.5 else 1):
                    slots.append((centre, ordinal))
            slots = slots[:centers]
            twins = {c for c, o in slots if o == 1}
            for i, (centre, ordinal) in enumerate(slots):
                unit_name = f"{bureau}{centre}"
                suffix = f"第{'一二'[ordinal]}党支部" if centre in twins else "党支部"
                plans.append(
                    _Branch(
                        f"{unit_name}{suffix}",
                        f"{centre}{suffix}",
                        f"general_branch:{i // per_gb}",
                        "center",
                        unit_name,
                    )
                )
        if retired:
            plans.append(
                _Branch(
                    f"{bureau}离退休干部党支部", "离退休干部党支部", "committee", "retired", bureau
                )
            )
        return plans

    def build(self) -> None:
        ctx = self.ctx
        actor, size, rng, today = ctx.actor, ctx.size, self.rng, ctx.today
        level = size.level  # 市, or 省 for a province
        wc_unit = self.unit(actor, f"中共{level}直属机关工作委员会")
        wc = org_create(
            actor=actor,
            name=f"{level}直机关工委",
            kind=Org.Kind.WORK_COMMITTEE,
            parent=None,
            unit=wc_unit,
            short_name="工委",
            established_on=dt.date(1984, 7, 1),
        )
        organ = org_create(
            actor=actor,
            name=f"{level}直机关工委机关党支部",
            kind=Org.Kind.BRANCH,
            parent=wc,
            unit=wc_unit,
            short_name="工委机关党支部",
            sort=0,
            established_on=dt.date(1984, 7, 1),
        )
        kinds = {organ.pk: "organ"}
        bureaus = [(level + name.removeprefix("市"), short) for name, short in data.BUREAUS]
        while len(bureaus) < size.committees:  # more committees than named bureaus
            k = len(bureaus) - len(data.BUREAUS) + 1
            bureaus.append((f"{level}直属单位{k}", f"直属单位{k}"))
        bureaus = bureaus[: size.committees]
        per_committee = self.split(size.branches - 1, size.committees, 0.5, 1.6, 2)
        committees, general_branches, branches, groups = [], [], [organ], []
        for sort, ((bureau, short), n) in enumerate(zip(bureaus, per_committee, strict=True), 1):
            unit = self.unit(actor, bureau)
            committee = org_create(
                actor=actor,
                name=f"{bureau}机关党委",
                kind=Org.Kind.COMMITTEE,
                parent=wc,
                unit=unit,
                short_name=f"{short}机关党委",
                sort=sort,
                established_on=dt.date(rng.randint(1985, 2005), rng.randint(1, 12), 1),
            )
            committees.append(committee)
            gbs: dict[str, Org] = {}
            for bsort, plan in enumerate(self.plan_committee(bureau, short, n), 1):
                parent = committee
                if plan.parent_key.startswith("general_branch"):
                    if plan.parent_key not in gbs:
                        centre_unit = self.unit(actor, plan.unit_name)
                        number = "一二三四五六七八九十"[len(gbs) % 10]
                        gbs[plan.parent_key] = org_create(
                            actor=actor,
                            name=f"{bureau}直属单位第{number}党总支",
                            kind=Org.Kind.GENERAL_BRANCH,
                            parent=committee,
                            unit=centre_unit,
                            short_name=f"直属单位第{number}党总支",
                            sort=100 + len(gbs),
                            established_on=dt.date(rng.randint(2000, 2015), 7, 1),
                        )
                        general_branches.append(gbs[plan.parent_key])
                    parent = gbs[plan.parent_key]
                branch = org_create(
                    actor=actor,
                    name=plan.name,
                    kind=Org.Kind.BRANCH,
                    parent=parent,
                    unit=self.unit(actor, plan.unit_name),
                    short_name=plan.short_name,
                    sort=bsort,
                    established_on=dt.date(rng.randint(1990, 2018), rng.randint(1, 12), 1),
                )
                kinds[branch.pk] = plan.kind
                branches.append(branch)
        ctx.say(
            f"组织：{len(committees)} 个机关党委，{len(general_branches)} 个党总支，"
            f"{len(branches)} 个党支部"
        )
        # Branch sizes: the chosen demo branch (first office of the first bureau) is big
        # enough to have a board and groups; retirees' branches are larger than average.
        sizes = self.split(size.members, len(branches), 0.35, 1.65, 3)
        cap = size.branch_cap
        sizes = [min(s, cap) for s in sizes]
        featured = branches[1]
        sizes[1] = max(sizes[1], GROUPS_FROM + 2)
        missing = size.members - sum(sizes)
        i = 0
        while missing != 0 and i < 10 * len(sizes) * cap:
            j = i % len(sizes)
            if missing > 0 and sizes[j] < cap:
                sizes[j] += 1
                missing -= 1
            elif missing < 0 and sizes[j] > 3 and j != 1:
                sizes[j] -= 1
                missing += 1
            i += 1
        next_pk = next_id(Org)
        for branch, n in zip(branches, sizes, strict=True):
            if n >= GROUPS_FROM:
                for g in range(min(4, max(2, n // 12))):
                    fields = {
                        "name": data.GROUP_NAMES[g],
                        "kind": Org.Kind.GROUP,
                        "unit": branch.unit,
                        "short_name": data.GROUP_NAMES[g],
                        "sort": g + 1,
                        "established_on": today - dt.timedelta(days=rng.randint(300, 3000)),
                    }
                    if not ctx.bulk:
                        groups.append(org_create(actor=actor, parent=branch, **fields))
                        continue
                    # Scale: what org_create writes, without an audit entry per group.
                    group = Org(pk=next_pk, parent=branch, depth=branch.depth + 1, **fields)
                    group.path = branch.path + segment(group)
                    groups.append(group)
                    next_pk += 1
        if ctx.bulk:
            bulk_insert(Org, groups)
        ctx.say(f"党小组：{len(groups)} 个")
        ctx.work_committee = wc
        ctx.committees = committees
        ctx.general_branches = general_branches
        ctx.branches = branches
        ctx.groups = groups
        ctx.featured = featured
        ctx.branch_kinds = kinds
        ctx.branch_sizes = {b.pk: n for b, n in zip(branches, sizes, strict=True)}


def build_tree(ctx: DemoContext) -> None:
    """Units, the work committee, committees, general branches, branches and groups."""
    _Tree(ctx).build()


def _days(ctx: DemoContext, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=ctx.random.randint(low, high))


def _board(ctx: DemoContext, org: Org):
    years = term_years(org.kind, ctx.today)
    if ctx.random.random() < 0.15:  # term ends within the next six months
        term_end = ctx.today + _days(ctx, 10, 180)
        term_start = add_years(term_end, -years)
    else:
        term_start = ctx.today - _days(ctx, 30, years * 365 - 200)
        term_end = add_years(term_start, years)
    if ctx.bulk:  # written by build_boards with bulk_insert
        return Board(org=org, term_start=term_start, term_end=term_end, elected_on=term_start)
    return board_create(
        actor=ctx.actor, org=org, term_start=term_start, term_end=term_end, elected_on=term_start
    )


def build_boards(ctx: DemoContext) -> None:
    """A board for every branch and upper org, its positions filled by senior members;
    the demo account ``shuji`` is the featured branch's secretary."""
    actor, by_org, accounts = ctx.actor, ctx.members_by_org, ctx.accounts
    count = 0
    roles_big = ["secretary", "deputy_secretary", "organizer", "publicity", "discipline"]
    roles_board = ["secretary", "organizer", "publicity", "discipline"]
    featured = ctx.featured
    taken: set[int] = set()
    boards: list[Board] = []
    positions: list[Position] = []

    def assign(org: Org, role: str, member, board: Board, user=None) -> None:
        if not ctx.bulk:
            position_assign(
                actor=actor, org=org, role=role, member=member, user=user, board=board,
                started_on=board.term_start,
            )  # fmt: skip
            return
        # Scale: the checks of position_assign hold by construction (a member of the
        # subtree, one secretary); no audit entry per position.
        positions.append(
            Position(org=org, role=role, member=member, user=user, board=board,
                     started_on=board.term_start)
        )  # fmt: skip

    for branch in ctx.branches:
        members = by_org[branch.pk]
        ranked = sorted(eligible(members, ctx.today), key=seniority)
        if not ranked:
            continue
        party = sum(1 for m in members if m.status in {"full", "probationary"})
        roles = roles_big if party >= 30 else roles_board if party >= 7 else ["secretary"]
        board = _board(ctx, branch)
        boards.append(board)
        for role, m in zip(roles, ranked, strict=False):
            user = accounts["shuji"] if (branch == featured and role == "secretary") else None
            if user is not None:
                m = user.member
            assign(branch, role, m, board, user)
            taken.add(m.pk)
            count += 1
    # Committees and general branches: a secretary, a deputy, an organizer and a
    # discipline member from the senior members of their subtree.
    wc = ctx.work_committee
    upper = [wc, *ctx.committees, *ctx.general_branches]
    upper_paths = {org.path for org in upper}
    pool_of: dict[str, list] = {path: [] for path in upper_paths}
    for b in ctx.branches:
        kind = ctx.branch_kinds[b.pk]
        if kind == "retired":
            continue
        candidates = [m for m in eligible(by_org[b.pk], ctx.today) if m.pk not in taken]
        for org in b.ancestor_paths()[:-1]:
            if org in pool_of and (org != wc.path or kind == "organ"):
                pool_of[org].extend(candidates)
    for org in upper:
        pool = [m for m in pool_of[org.path] if m.pk not in taken]
        if not pool:
            continue
        pool.sort(key=seniority)
        board = _board(ctx, org)
        boards.append(board)
        roles = ["secretary", "deputy_secretary", "organizer", "discipline"]
        if org.kind == Org.Kind.GENERAL_BRANCH:
            roles = ["secretary", "organizer", "discipline"]
        for role, m in zip(roles, pool, strict=False):
            assign(org, role, m, board)
            taken.add(m.pk)
            count += 1
    if ctx.bulk:
        bulk_insert(Board, boards)
        for position in positions:
            position.board_id = position.board.pk
        bulk_insert(Position, positions)
    ctx.say(f"班子：{count} 个职务")
