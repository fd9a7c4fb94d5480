"""The backbone of the demo system: org tree, units, members, boards and accounts.

Everything is drawn from one seeded ``random.Random`` and dates are relative to
``today``, so the same seed on the same day gives the same system. The org tree,
boards, positions and accounts go through the services; members are written
with ``bulk_create`` after ``members.services.member_fill_computed`` has set
exactly what ``member_create`` would (pinyin keys, encrypted/hashed/masked ID
number), with one "created" history event each.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from dangjian.accounts.models import User
from dangjian.accounts.services import user_create
from dangjian.core.demo import DEMO_PASSWORD, DemoContext
from dangjian.core.demo import names as data
from dangjian.core.idnumber import make_id_number
from dangjian.members.models import Member, MemberEvent
from dangjian.members.services import member_fill_computed
from dangjian.orgs.models import Org
from dangjian.orgs.services import board_create, org_create, position_assign, unit_create

# Demo accounts: (username, what the account is for). All use DEMO_PASSWORD.
DEMO_ACCOUNTS: list[tuple[str, str]] = [
    ("admin", "平台管理员（全部数据）"),
    ("gongwei", "市直机关工委 党务工作者（全部组织）"),
    ("dangwei", "市财政局机关党委 党务工作者（本党委）"),
    ("shuji", "市财政局预算处党支部 书记（本支部）"),
    ("dangyuan", "市财政局预算处党支部 普通党员（本人）"),
]


@dataclass(frozen=True)
class Size:
    committees: int
    branches: int
    members: int


SIZES = {
    "small": Size(committees=3, branches=8, members=120),
    "demo": Size(committees=20, branches=100, members=2000),
    "city": Size(committees=60, branches=2000, members=50000),
}
MAX_BRANCH_MEMBERS = 50  # the demo's own cap on a branch's size
GROUPS_FROM = 30  # branches this big are divided into groups (党小组)
# Board terms in years when the standards library has no ORG-4 / ORG-5 rule loaded.
DEFAULT_TERM_YEARS = {"committee": 5, "general_branch": 3, "branch": 3, "work_committee": 5}
TERM_RULES = {"committee": "ORG-4", "general_branch": "ORG-3", "branch": "ORG-5"}


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


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
    size: int = 0
    org: Org | None = None


class Backbone:
    def __init__(
        self,
        *,
        seed: int,
        scale: str,
        size: Size,
        today: dt.date,
        log: Callable[[str], None],
        small: bool = False,
    ):
        self.rng = random.Random(seed)
        self.seed = seed
        self.scale = scale
        self.size = size
        self.today = today
        self.log = log
        self.small = small
        self.names = data.NameMaker(self.rng)
        self.units: dict[str, object] = {}
        self.branch_info: dict[int, _Branch] = {}
        self.id_sequence: dict[tuple[str, dt.date, str], int] = {}
        self._regions = [r for r, _ in data.REGION_CODES]
        self._region_cum = list(itertools.accumulate(w for _, w in data.REGION_CODES))
        self._eth = [e for e, _ in data.ETHNICITIES]
        self._eth_cum = list(itertools.accumulate(w for _, w in data.ETHNICITIES))
        self._started = time.monotonic()

    def say(self, message: str) -> None:
        self.log(f"[{time.monotonic() - self._started:6.1f}s] {message}")

    # -- accounts -----------------------------------------------------------------

    def make_admin(self) -> User:
        """The platform admin: the first account of an empty system, as ``createsuperuser``."""
        admin = User(username="admin", name="平台管理员", is_superuser=True, is_staff=True)
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        return admin

    # -- the tree -----------------------------------------------------------------

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

    def build_tree(self, actor) -> dict:
        size, rng, today = self.size, self.rng, self.today
        wc_unit = self.unit(actor, "中共市直属机关工作委员会")
        wc = org_create(
            actor=actor,
            name="市直机关工委",
            kind=Org.Kind.WORK_COMMITTEE,
            parent=None,
            unit=wc_unit,
            short_name="工委",
            established_on=dt.date(1984, 7, 1),
        )
        organ = org_create(
            actor=actor,
            name="市直机关工委机关党支部",
            kind=Org.Kind.BRANCH,
            parent=wc,
            unit=wc_unit,
            short_name="工委机关党支部",
            sort=0,
            established_on=dt.date(1984, 7, 1),
        )
        self.branch_info[organ.pk] = _Branch(
            organ.name, organ.short_name, "wc", "organ", wc_unit.name, org=organ
        )
        bureaus = list(data.BUREAUS)
        while len(bureaus) < size.committees:  # more committees than named bureaus
            k = len(bureaus) - len(data.BUREAUS) + 1
            bureaus.append((f"市直属单位{k}", f"直属单位{k}"))
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
                plan.org = branch
                self.branch_info[branch.pk] = plan
                branches.append(branch)
        self.say(
            f"组织：{len(committees)} 个机关党委，{len(general_branches)} 个党总支，"
            f"{len(branches)} 个党支部"
        )
        # Branch sizes: the chosen demo branch (first office of the first bureau) is big
        # enough to have a board and groups; retirees' branches are larger than average.
        sizes = self.split(size.members, len(branches), 0.35, 1.65, 3)
        sizes = [min(s, MAX_BRANCH_MEMBERS) for s in sizes]
        featured = branches[1]
        sizes[1] = max(sizes[1], GROUPS_FROM + 2)
        missing = size.members - sum(sizes)
        i = 0
        while missing != 0 and i < 10 * len(sizes) * MAX_BRANCH_MEMBERS:
            j = i % len(sizes)
            if missing > 0 and sizes[j] < MAX_BRANCH_MEMBERS:
                sizes[j] += 1
                missing -= 1
            elif missing < 0 and sizes[j] > 3 and j != 1:
                sizes[j] -= 1
                missing += 1
            i += 1
        for branch, n in zip(branches, sizes, strict=True):
            self.branch_info[branch.pk].size = n
            if n >= GROUPS_FROM:
                for g in range(min(4, max(2, n // 12))):
                    groups.append(
                        org_create(
                            actor=actor,
                            name=data.GROUP_NAMES[g],
                            kind=Org.Kind.GROUP,
                            parent=branch,
                            unit=branch.unit,
                            short_name=data.GROUP_NAMES[g],
                            sort=g + 1,
                            established_on=today - dt.timedelta(days=rng.randint(300, 3000)),
                        )
                    )
        self.say(f"党小组：{len(groups)} 个")
        return {
            "wc": wc,
            "committees": committees,
            "general_branches": general_branches,
            "branches": branches,
            "groups": groups,
            "featured": featured,
        }

    # -- members ------------------------------------------------------------------

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

    def _job_title(self, born: dt.date, plan: _Branch) -> str:
        if plan.kind == "retired":
            return "退休干部"
        age = self.today.year - born.year
        table = data.CENTER_JOB_TITLES if plan.kind == "center" else data.JOB_TITLES
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

    def new_member(self, branch: Org, plan: _Branch, group: Org | None) -> Member:
        rng, today = self.rng, self.today
        retired = plan.kind == "retired"
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
            unit=self.units.get(plan.unit_name),
            job_title=self._job_title(born, plan),
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

    def build_members(self, actor, branches: list[Org], groups: list[Org]) -> dict:
        groups_of: dict[int, list[Org]] = {}
        for g in groups:
            groups_of.setdefault(g.parent_id, []).append(g)
        batch: list[Member] = []
        by_org: dict[int, list[Member]] = {}
        for branch in branches:
            plan = self.branch_info[branch.pk]
            branch_groups = groups_of.get(branch.pk, [])
            members = []
            for i in range(plan.size):
                group = branch_groups[i % len(branch_groups)] if branch_groups else None
                members.append(self.new_member(branch, plan, group))
            members.sort(key=lambda m: (m.name_pinyin, m.id_number_hash))
            by_org[branch.pk] = members
            batch.extend(members)
        self.say(f"党员：已生成 {len(batch)} 条记录，写入数据库…")
        Member.objects.bulk_create(batch, batch_size=500)
        if batch and batch[0].pk is None:  # a backend that does not return ids
            ids = dict(Member.objects.values_list("id_number_hash", "pk"))
            for m in batch:
                m.pk = m.id = ids[m.id_number_hash]
        MemberEvent.objects.bulk_create(
            [
                MemberEvent(
                    member=m,
                    kind=MemberEvent.Kind.CREATED,
                    on=self.today,
                    to_status=m.status,
                    to_org_id=m.org_id,
                    reason="建档（演示数据）",
                    actor=actor,
                )
                for m in batch
            ],
            batch_size=1000,
        )
        self.say(f"党员：{len(batch)} 名（含建档记录）")
        return by_org

    # -- boards and positions -------------------------------------------------------

    def _board(self, actor, org: Org):
        years = term_years(org.kind, self.today)
        if self.rng.random() < 0.15:  # term ends within the next six months
            term_end = self.today + self._days(10, 180)
            term_start = add_years(term_end, -years)
        else:
            term_start = self.today - self._days(30, years * 365 - 200)
            term_end = add_years(term_start, years)
        return board_create(
            actor=actor, org=org, term_start=term_start, term_end=term_end, elected_on=term_start
        )

    @staticmethod
    def _seniority(m: Member) -> tuple:
        rank = {"处长": 0, "副局长": 0, "二级巡视员": 0, "主任": 0, "副处长": 1, "副主任": 1}
        return (rank.get(m.job_title, 2), m.full_at or dt.date.max, m.name_pinyin)

    def _eligible(self, members: list[Member]) -> list[Member]:
        """Full members with at least one year of party age, not mobile or lost."""
        cutoff = add_years(self.today, -1)
        return [
            m
            for m in members
            if m.status == Member.Status.FULL
            and m.full_at
            and m.full_at <= cutoff
            and not m.is_mobile
            and not m.is_lost_contact
        ]

    def build_boards(self, actor, tree: dict, by_org: dict, accounts: dict) -> int:
        count = 0
        roles_big = ["secretary", "deputy_secretary", "organizer", "publicity", "discipline"]
        roles_board = ["secretary", "organizer", "publicity", "discipline"]
        featured = tree["featured"]
        taken: set[int] = set()
        for branch in tree["branches"]:
            members = by_org[branch.pk]
            eligible = sorted(self._eligible(members), key=self._seniority)
            if not eligible:
                continue
            party = sum(1 for m in members if m.status in {"full", "probationary"})
            roles = roles_big if party >= 30 else roles_board if party >= 7 else ["secretary"]
            board = self._board(actor, branch)
            started = board.term_start
            for role, m in zip(roles, eligible, strict=False):
                user = accounts["shuji"] if (branch == featured and role == "secretary") else None
                if user is not None:
                    m = user.member
                position_assign(
                    actor=actor, org=branch, role=role, member=m, user=user, board=board,
                    started_on=started,
                )  # fmt: skip
                taken.add(m.pk)
                count += 1
        # Committees and general branches: a secretary, a deputy, an organizer and a
        # discipline member from the senior members of their subtree.
        upper = [tree["wc"], *tree["committees"], *tree["general_branches"]]
        upper_paths = {org.path for org in upper}
        pool_of: dict[str, list[Member]] = {path: [] for path in upper_paths}
        for b in tree["branches"]:
            kind = self.branch_info[b.pk].kind
            if kind == "retired":
                continue
            eligible = [m for m in self._eligible(by_org[b.pk]) if m.pk not in taken]
            for org in b.ancestor_paths()[:-1]:
                if org in pool_of and (org != tree["wc"].path or kind == "organ"):
                    pool_of[org].extend(eligible)
        for org in upper:
            pool = [m for m in pool_of[org.path] if m.pk not in taken]
            if not pool:
                continue
            pool.sort(key=self._seniority)
            board = self._board(actor, org)
            roles = ["secretary", "deputy_secretary", "organizer", "discipline"]
            if org.kind == Org.Kind.GENERAL_BRANCH:
                roles = ["secretary", "organizer", "discipline"]
            for role, m in zip(roles, pool, strict=False):
                position_assign(
                    actor=actor, org=org, role=role, member=m, board=board,
                    started_on=board.term_start,
                )  # fmt: skip
                taken.add(m.pk)
                count += 1
        self.say(f"班子：{count} 个职务")
        return count

    def build_accounts(self, actor, tree: dict, by_org: dict) -> dict[str, User]:
        """The demo accounts besides admin, linked to members where a real person would be."""
        featured = tree["featured"]
        organ = tree["branches"][0]
        committee = tree["committees"][0]

        def pick(members: list[Member], skip: set[int]) -> Member:
            for m in self._eligible(members):
                if m.pk not in skip:
                    return m
            return members[0]

        wc_staff = pick(by_org[organ.pk], set())
        ranked = sorted(self._eligible(by_org[featured.pk]), key=self._seniority)
        secretary, plain = ranked[0], ranked[-1]  # the most senior and the most junior
        committee_branches = [b for b in tree["branches"] if b.parent_id == committee.pk]
        office = next(b for b in committee_branches if b != featured)
        committee_staff = pick(by_org[office.pk], set())
        accounts = {
            "gongwei": user_create(
                actor=actor,
                username="gongwei",
                password=DEMO_PASSWORD,
                member=wc_staff,
                must_change_password=False,
            ),
            "dangwei": user_create(
                actor=actor,
                username="dangwei",
                password=DEMO_PASSWORD,
                member=committee_staff,
                must_change_password=False,
            ),
            "shuji": user_create(
                actor=actor,
                username="shuji",
                password=DEMO_PASSWORD,
                member=secretary,
                must_change_password=False,
            ),
            "dangyuan": user_create(
                actor=actor,
                username="dangyuan",
                password=DEMO_PASSWORD,
                member=plain,
                must_change_password=False,
            ),
        }
        position_assign(
            actor=actor,
            org=tree["wc"],
            role="staff",
            user=accounts["gongwei"],
            started_on=self.today - self._days(200, 2000),
        )
        position_assign(
            actor=actor,
            org=committee,
            role="staff",
            user=accounts["dangwei"],
            started_on=self.today - self._days(200, 2000),
        )
        return accounts

    # -- all of it ----------------------------------------------------------------

    def build(self) -> DemoContext:
        admin = self.make_admin()
        tree = self.build_tree(admin)
        by_org = self.build_members(admin, tree["branches"], tree["groups"])
        accounts = {"admin": admin, **self.build_accounts(admin, tree, by_org)}
        self.build_boards(admin, tree, by_org, accounts)
        return DemoContext(
            today=self.today,
            random=self.rng,
            scale=self.scale,
            bulk=self.scale == "city",
            actor=admin,
            work_committee=tree["wc"],
            committees=tree["committees"],
            branches=tree["branches"],
            groups=tree["groups"],
            members_by_org=by_org,
            accounts={name: accounts[name] for name, _ in DEMO_ACCOUNTS},
            general_branches=tree["general_branches"],
            small=self.small,
            log=self.log,
        )
