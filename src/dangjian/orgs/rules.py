"""Checks of the org structure and terms for the compliance engine (RULES.md section A).

State rules: judged as of today (or the last day of a past period). Member counts come
from the evaluation's shared facts (one grouped query); boards and positions from one
query per rule.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q

from dangjian.core.calendar import add_months
from dangjian.orgs.models import Board, Org, Position
from dangjian.standards.registry import CheckContext, Finding, Param, register, watch

# An org created, moved or closed changes the tree; a board or a post changes its org's
# structural findings.
watch("orgs.Org", orgs=lambda o: [o.pk, o.parent_id], whole_tree=True)
watch("orgs.Board", orgs=lambda b: [b.org_id])
watch("orgs.Position", orgs=lambda p: [p.org_id])

S = Finding.Status
BOARD_ROLES = [r for r in Position.Role.values if r != Position.Role.STAFF]
ORG_LINK = ("orgs:tree",)


def _current_boards(ctx: CheckContext) -> dict[int, Board]:
    """Current boards of the subtree: one query per evaluation, shared by the rules."""

    def load():
        return {
            b.org_id: b
            for b in Board.objects.in_subtree(ctx.root)
            .filter(is_current=True)
            .only("id", "org_id", "term_start", "term_end")
            .order_by()
        }

    return ctx.facts.memo("boards", load)


def _years(start: dt.date, end: dt.date) -> float:
    return (end - start).days / 365.25


@register(
    "org_form",
    title="组织设置：党员人数与任期",
    params={
        "min_full_members": Param(
            "int", required=False, min=0, help="正式党员不少于", label="正式党员不少于", unit="人"
        ),
        "min_members": Param(
            "int",
            required=False,
            min=0,
            help="党员（含预备）不少于",
            label="党员（含预备）不少于",
            unit="人",
        ),
        "max_members": Param(
            "int",
            required=False,
            min=1,
            help="党员（含预备）一般不超过",
            label="党员（含预备）一般不超过",
            unit="人",
        ),
        "scope": Param(
            "choice",
            choices=(("direct", "本组织直属党员"), ("subtree", "含下级组织全部党员")),
            default="direct",
            help="计数范围",
            label="党员人数计数范围",
        ),
        "term_years": Param(
            "int", required=False, min=1, max=10, help="每届任期（年）", label="每届任期", unit="年"
        ),
    },
    period="none",
    batch=True,
    link=ORG_LINK,
)
def org_form(ctx: CheckContext) -> Iterable[Finding]:
    p = ctx.params
    scope = p.get("scope", "direct")
    boards = _current_boards(ctx) if p.get("term_years") else {}
    cite = ctx.cite()
    out = []
    for org in ctx.targets():
        full = ctx.facts.full_members(org.id, scope)
        total = ctx.facts.party_members(org.id, scope)
        expected, actual, problems = [], [], []
        if p.get("min_full_members") is not None:
            expected.append(f"正式党员≥{p['min_full_members']}")
            actual.append(f"正式党员{full}")
            if full < p["min_full_members"]:
                problems.append(f"正式党员{full}人，少于{p['min_full_members']}人")
        if p.get("min_members") is not None or p.get("max_members") is not None:
            low, high = p.get("min_members"), p.get("max_members")
            span = f"{low or 0}–{high}" if high is not None else f"≥{low}"
            expected.append(f"党员{span}")
            actual.append(f"党员{total}")
            if low is not None and total < low:
                problems.append(f"党员{total}人，少于{low}人")
            if high is not None and total > high:
                problems.append(f"党员{total}人，超过{high}人")
        if p.get("term_years"):
            board = boards.get(org.id)
            expected.append(f"任期{p['term_years']}年")
            if board is not None:
                years = _years(board.term_start, board.term_end)
                actual.append(f"任期{years:.1f}年")
                if years > p["term_years"] + 0.05:
                    problems.append(
                        f"本届任期{board.term_start}至{board.term_end}，超过{p['term_years']}年"
                    )
            else:
                actual.append("未登记班子")
        met = not problems
        text = "；".join(problems) if problems else "符合要求"
        out.append(
            ctx.finding(
                org_id=org.id,
                period=ctx.period,
                met=met,
                status=S.OK if met else S.VIOLATION,
                expected="，".join(expected),
                actual="，".join(actual),
                message=f"{cite}：{ctx.rule.title}。{org.name}{text}。",
            )
        )
    return out


@register(
    "board_structure",
    title="支部委员会设置：达到人数须设委员会，委员人数范围",
    params={
        "board_required_at": Param(
            "int",
            min=1,
            help="正式党员达到此数须设支部委员会",
            label="设支部委员会的正式党员人数",
            unit="人",
        ),
        "board_min": Param("int", min=1, help="委员会至少人数", label="委员会至少", unit="人"),
        "board_normal_max": Param(
            "int", min=1, help="委员会一般不超过", label="委员会一般不超过", unit="人"
        ),
        "board_max": Param("int", min=1, help="委员会最多人数", label="委员会最多", unit="人"),
        "small_max_seats": Param(
            "int",
            min=1,
            default=2,
            help="不设委员会时书记、副书记合计",
            label="不设委员会时书记、副书记合计不超过",
            unit="人",
        ),
    },
    period="none",
    batch=True,
    link=ORG_LINK,
)
def board_structure(ctx: CheckContext) -> Iterable[Finding]:
    """Judged by the people in office: a branch whose secretary and committee members in
    office reach the minimum has its committee, whether or not a term is on record (the
    term record belongs to the term rule, ``org_form`` with ``term_years``)."""
    p = ctx.params
    as_of = ctx.as_of
    seats: dict[int, set] = defaultdict(set)
    secretaries: set[int] = set()
    rows = (
        Position.objects.active(as_of)
        .in_subtree(ctx.root)
        .filter(role__in=BOARD_ROLES)
        .values_list("org_id", "role", "member_id", "user_id")
        .order_by()
    )
    for org_id, role, member_id, user_id in rows:
        seats[org_id].add(("m", member_id) if member_id else ("u", user_id))
        if role == Position.Role.SECRETARY:
            secretaries.add(org_id)
    cite = ctx.cite()
    out = []
    for org in ctx.targets():
        full = ctx.facts.full_members(org.id)
        n = len(seats.get(org.id, ()))
        problems, warn = [], []
        if org.id not in secretaries:
            problems.append("未配备书记")
        if full >= p["board_required_at"]:
            expected = (
                f"设委员会，委员{p['board_min']}–{p['board_normal_max']}人（最多{p['board_max']}）"
            )
            if n < p["board_min"]:
                problems.append(
                    f"正式党员{full}人，应设立支部委员会；现有委员{n}人，少于{p['board_min']}人"
                )
            elif n > p["board_max"]:
                problems.append(f"委员{n}人，超过{p['board_max']}人")
            elif n > p["board_normal_max"]:
                warn.append(f"委员{n}人，一般不超过{p['board_normal_max']}人")
        else:
            expected = f"书记1名，必要时副书记1名（合计≤{p['small_max_seats']}）"
            if n > p["small_max_seats"]:
                warn.append(f"正式党员{full}人，不设委员会，现有{n}名支委")
        met = not problems
        text = "；".join(problems + warn) or "符合要求"
        out.append(
            ctx.finding(
                org_id=org.id,
                period=ctx.period,
                met=met,
                status=S.OK if met else S.VIOLATION,
                expected=expected,
                actual=f"正式党员{full}，支委{n}",
                message=f"{cite}：{ctx.rule.title}。{org.name}{text}。",
            )
        )
    return out


@register(
    "term_expiry",
    title="换届提醒：任期届满前提醒，延期不超过规定期限",
    params={
        "remind_months": Param(
            "int", min=0, max=24, help="届满前提前提醒的月数", label="届满前提前提醒", unit="个月"
        ),
        "max_delay_months": Param(
            "int", min=0, max=36, help="经批准最多延期的月数", label="经批准最多延期", unit="个月"
        ),
    },
    period="none",
    batch=True,
    link=("development:elections", "orgs:tree"),
)
def term_expiry(ctx: CheckContext) -> Iterable[Finding]:
    remind = int(ctx.params["remind_months"])
    delay = int(ctx.params["max_delay_months"])
    as_of = ctx.as_of
    boards = _current_boards(ctx)
    cite = ctx.cite()
    out = []
    for org in ctx.targets():
        board = boards.get(org.id)
        if board is None:
            continue  # no board recorded: ORG-2 / ORG-5 report it
        end = board.term_end
        if as_of < add_months(end, -remind):
            status, text = S.OK, f"任期至{end}"
        elif as_of < end:
            status, text = S.DUE, f"任期{end}届满，应做好换届准备"
        elif as_of < add_months(end, delay):
            status, text = (
                S.OVERDUE,
                f"任期已于{end}届满，应尽快换届（延期须经批准，不超过{delay}个月）",
            )
        else:
            status, text = S.VIOLATION, f"任期已于{end}届满，超过{delay}个月未换届"
        finding = ctx.finding(
            org_id=org.id,
            period=ctx.period,
            met=status == S.OK,
            status=status,
            expected=f"{end}前换届",
            actual=f"届满{end}",
            message=f"{cite}：任期届满前{remind}个月提醒换届。{org.name}{text}。",
        )
        finding.due_on = end
        out.append(finding)
    return out


@register(
    "secretary_party_age",
    title="书记党龄",
    params={
        "min_party_age_years": Param(
            "int", min=0, max=50, help="书记党龄不少于（年）", label="书记党龄不少于", unit="年"
        )
    },
    period="none",
    batch=True,
    link=ORG_LINK,
)
def secretary_party_age(ctx: CheckContext) -> Iterable[Finding]:
    need = int(ctx.params["min_party_age_years"])
    as_of = ctx.as_of
    rows = (
        Position.objects.active(as_of)
        .in_subtree(ctx.root)
        .filter(role=Position.Role.SECRETARY)
        .filter(Q(member__isnull=False) | Q(user__member__isnull=False))
        .values_list(
            "org_id",
            "member__name",
            "member__full_at",
            "user__member__name",
            "user__member__full_at",
        )
    )
    by_org: dict[int, tuple[str, dt.date | None]] = {}
    for org_id, name, full_at, uname, ufull in rows:
        by_org[org_id] = (name or uname, full_at if name else ufull)
    cite = ctx.cite()
    out = []
    for org in ctx.targets():
        if org.id not in by_org:
            continue  # no secretary on record: ORG-2 reports it
        name, full_at = by_org[org.id]
        if full_at is None:
            years, met = 0, False
        else:
            years = (
                as_of.year
                - full_at.year
                - ((as_of.month, as_of.day) < (full_at.month, full_at.day))
            )
            met = years >= need
        out.append(
            ctx.finding(
                org_id=org.id,
                period=ctx.period,
                met=met,
                status=S.OK if met else S.VIOLATION,
                expected=f"党龄≥{need}年",
                actual=f"{years}年" if full_at else "非正式党员",
                message=f"{cite}：党支部书记一般应具有{need}年以上党龄；书记{name}党龄{years}年。",
            )
        )
    return out


@register(
    "joint_branch_units",
    title="联合党支部覆盖单位数",
    params={
        "max_units": Param(
            "int",
            min=1,
            max=20,
            help="联合党支部覆盖单位一般不超过",
            label="联合党支部覆盖单位一般不超过",
            unit="个",
        )
    },
    period="none",
    batch=True,
    link=ORG_LINK,
)
def joint_branch_units(ctx: CheckContext) -> Iterable[Finding]:
    from dangjian.members.models import Member

    limit = int(ctx.params["max_units"])
    counts = dict(
        Member.objects.on_rolls()
        .party_members()
        .in_subtree(ctx.root)
        .filter(org__kind=Org.Kind.BRANCH)
        .values_list("org_id")
        .annotate(n=Count("unit", distinct=True))
        .order_by()
    )
    cite = ctx.cite()
    out = []
    for org in ctx.targets():
        n = counts.get(org.id, 0)
        met = n <= limit
        out.append(
            ctx.finding(
                org_id=org.id,
                period=ctx.period,
                met=met,
                status=S.OK if met else S.VIOLATION,
                expected=f"≤{limit}个单位",
                actual=f"{n}个单位",
                message=f"{cite}：联合党支部覆盖单位一般不超过{limit}个；{org.name}党员来自{n}个单位。",
            )
        )
    return out
