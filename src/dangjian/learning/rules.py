"""Compliance checks the learning app contributes to the standards engine: EDU-1 (every
member ≥ 32 hours a year) and EDU-2 (secretaries and board members ≥ 56), with EDU-6
exemptions left out. Findings: pending until the fourth quarter (one per org), then due for
each member still short, a violation after the year."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Sum
from django.urls import NoReverseMatch, reverse

from dangjian.core.bulk import plain_rows
from dangjian.learning.models import StudyCredit, StudyExemption
from dangjian.learning.models_exams import POINT_EVENTS
from dangjian.meetings.models import Meeting
from dangjian.members.models import Member
from dangjian.orgs.models import Position
from dangjian.standards.params import register_params
from dangjian.standards.registry import CheckContext, Finding, Param, fact, register

ROLE_CHOICES = tuple((r.value, r.label) for r in Position.Role if r != Position.Role.STAFF)


@fact("study_hours")
def study_hours(facts) -> dict[tuple[int, int], Decimal]:
    """Approved study hours per (member, year) of the evaluated subtree and the years of the
    span: one grouped query, shared by EDU-1 and EDU-2."""
    years = range(facts.span.start.year, (facts.span.end - dt.timedelta(days=1)).year + 1)
    rows = (
        facts.in_subtree(
            StudyCredit.objects.filter(status=StudyCredit.Status.APPROVED, year__in=years),
            "member__org__path",
        )
        .values_list("member_id", "year")
        .annotate(h=Sum("hours"))
        .order_by()
    )
    return {(m, y): h for m, y, h in rows}


@fact("study_exemptions")
def study_exemptions(facts) -> set[tuple[int, int]]:
    """(member, year) of every exemption (LRN-3) in the evaluated subtree: one query, shared
    by EDU-1 and EDU-2."""
    rows = facts.in_subtree(StudyExemption.objects.all(), "member__org__path")
    return set(rows.values_list("member_id", "year").order_by())


def _exempt(ctx: CheckContext, year: int, member_ids: list[int]) -> set[int]:
    if ctx.facts is not None:
        table = ctx.facts.get("study_exemptions")
        return {m for m in member_ids if (m, year) in table}
    rows = StudyExemption.objects.filter(year=year, member_id__in=member_ids)
    return set(rows.values_list("member_id", flat=True))


def _hours(ctx: CheckContext, year: int, member_ids: list[int]) -> dict[int, Decimal]:
    if ctx.facts is not None:
        table = ctx.facts.get("study_hours")
        return {m: table.get((m, year), Decimal(0)) for m in member_ids}
    rows = (
        StudyCredit.objects.filter(
            status=StudyCredit.Status.APPROVED, year=year, member_id__in=member_ids
        )
        .values_list("member_id")
        .annotate(h=Sum("hours"))
        .order_by()
    )
    return dict(rows)


def _people(ctx: CheckContext, org_ids: list[int], roles: list[str], on: dt.date):
    """(org id → [(member id, name)]): the org's own party members on the rolls (EDU-1),
    or the members holding ``roles`` in it (EDU-2). One query."""
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if roles:
        rows = (
            Position.objects.active(on)
            .filter(org_id__in=org_ids, role__in=roles, member__isnull=False)
            .values_list("org_id", "member_id", "member__name")
            .distinct()
        )
    else:
        rows = (
            Member.objects.on_rolls()
            .party_members()
            .filter(org_id__in=org_ids)
            .values_list("org_id", "pk", "name")
        )
    for org_id, member_id, name in plain_rows(rows.order_by()):  # ids and names: no converters
        out[org_id].append((member_id, name))
    return out


def _link(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@register(
    "study_hours",
    title="年度集中学习培训学时",
    period="year",
    link=("learning:hours",),
    params={
        "period": Param(
            "choice", choices=(("year", "每年"),), default="year", help="周期", label="检查周期"
        ),
        "min_hours": Param(
            "int", min=0, help="每年学时不少于", label="每年集中学习培训不少于", unit="学时"
        ),
        "roles": Param(
            "list",
            required=False,
            choices=ROLE_CHOICES,
            help="只检查担任这些职务的班子成员（空：全体党员）",
            label="适用的委员职务",
        ),
    },
)
def study_hours_check(ctx: CheckContext) -> Iterable[Finding]:
    """One finding per org; once the fourth quarter has begun, one per member still short
    instead (a city's closed year: 46,000). The statuses, the link of an org and the words
    that do not depend on the member are drawn once, not per finding."""
    period = ctx.period
    year = period.start.year
    need = Decimal(str(ctx.params.get("min_hours", ctx.rule.params.get("min_hours"))))
    roles = list(ctx.params.get("roles", ctx.rule.params.get("roles")) or [])
    if ctx.facts is not None:
        orgs = {o.id: o.name for o in ctx.targets()}
    else:
        orgs = dict(ctx.orgs().values_list("pk", "name"))
    people = _people(ctx, list(orgs), roles, ctx.as_of)
    ids = [m for rows in people.values() for m, _ in rows]
    hours = _hours(ctx, year, ids)
    exempt = _exempt(ctx, year, ids)
    fourth_quarter = dt.date(year, 10, 1)
    who = "班子成员" if roles else "党员"
    link = _link("learning:hours")
    make = ctx.make
    unmet = ctx.judge(period, met=False, due_from=fourth_quarter)
    ok, label, due_on = Finding.Status.OK, period.label, period.end - dt.timedelta(days=1)
    org_expected, member_expected = f"每名{who}每年不少于 {need} 学时", f"不少于 {need} 学时"
    zero = Decimal(0)
    out: list[Finding] = []
    append = out.append
    for org_id, name in orgs.items():
        rows = people.get(org_id, [])
        short = [(m, n, hours.get(m) or zero) for m, n in rows if m not in exempt]
        counted = len(short)
        short = [s for s in short if s[2] < need]
        actual = f"{counted - len(short)}/{counted} 名{who}达到 {need} 学时" + (
            f"，{len(rows) - counted} 人按规定不作硬性要求" if len(rows) > counted else ""
        )
        status = unmet if short else ok
        org_link = f"{link}?org={org_id}&year={year}" if link else ""
        if status in (Finding.Status.OK, Finding.Status.PENDING):
            message = f"{name}{year}年{actual}"
            append(
                make(org_id, label, status, org_expected, actual, message, org_link, due_on, name)
            )
            continue
        for member_id, member_name, got in short:
            message = f"{member_name}{year}年学时 {got}，还差 {need - got} 学时，请安排学习"
            append(
                make(
                    org_id,
                    label,
                    status,
                    member_expected,
                    f"{got} 学时",
                    message,
                    org_link,
                    due_on,
                    name,
                    member_id,
                    member_name,
                )
            )
    return out


CADRE_LEVELS = tuple((v, label) for v, label in Member.CadreLevel.choices if v)
CATEGORY_CHOICES = tuple(StudyCredit.Category.choices)


@register(
    "cadre_training_hours",
    title="干部教育培训学时",
    period="year",
    link=("learning:hours",),
    params={
        "period": Param(
            "choice", choices=(("year", "每年"),), default="year", help="周期", label="检查周期"
        ),
        "level": Param("choice", choices=CADRE_LEVELS, help="适用的干部层级", label="干部层级"),
        "min_hours": Param(
            "int", min=0, help="累计学时不少于", label="累计培训不少于", unit="学时"
        ),
        "years": Param(
            "int", min=1, default=1, help="累计的年数（含当年）", label="累计年数", unit="年"
        ),
        "categories": Param(
            "list",
            required=False,
            choices=CATEGORY_CHOICES,
            help="计入的学时类别（空：全部类别）",
            label="计入的学时类别",
        ),
    },
)
def cadre_training_check(ctx: CheckContext) -> Iterable[Finding]:
    """LRN-1 / LRN-2: party members whose record gives the cadre level, approved hours of
    the listed categories over the last ``years`` years (this one included) against
    ``min_hours``; EDU-6 exemptions left out. Three queries, whatever the tree's size."""
    period = ctx.period
    year = period.start.year
    p = {**ctx.rule.params, **ctx.params}
    need = Decimal(str(p.get("min_hours")))
    years = int(p.get("years") or 1)
    level = p.get("level")
    categories = list(p.get("categories") or [])
    if ctx.facts is not None:
        orgs = {o.id: o.name for o in ctx.targets()}
    else:
        orgs = dict(ctx.orgs().values_list("pk", "name"))
    people: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = (
        Member.objects.on_rolls()
        .party_members()
        .filter(org_id__in=list(orgs), cadre_level=level)
        .values_list("org_id", "pk", "name")
        .order_by()
    )
    for org_id, member_id, name in rows:
        people[org_id].append((member_id, name))
    ids = [m for r in people.values() for m, _ in r]
    credits = StudyCredit.objects.filter(
        status=StudyCredit.Status.APPROVED,
        member_id__in=ids,
        year__gte=year - years + 1,
        year__lte=year,
    )
    if categories:
        credits = credits.filter(category__in=categories)
    hours = dict(credits.values_list("member_id").annotate(h=Sum("hours")).order_by())
    exempt = _exempt(ctx, year, ids)
    span = f"{year - years + 1}—{year}年" if years > 1 else f"{year}年"
    label = dict(CADRE_LEVELS).get(level, level)
    link = _link("learning:hours")
    fourth_quarter = dt.date(year, 10, 1)
    out: list[Finding] = []
    for org_id, rows_ in people.items():
        for member_id, name in rows_:
            if member_id in exempt:
                continue
            got = hours.get(member_id) or Decimal(0)
            out.append(
                ctx.finding(
                    org_id=org_id,
                    period=period,
                    met=got >= need,
                    expected=f"{span}累计不少于 {need} 学时（{label}）",
                    actual=f"{got} 学时",
                    message=f"{name}（{label}）{span}培训 {got} 学时"
                    + ("" if got >= need else f"，还差 {need - got} 学时，请安排调训"),
                    member_id=member_id,
                    member_name=name,
                    due_from=fourth_quarter,
                    link=f"{link}?org={org_id}&year={year}" if link else "",
                )
            )
    return out


# The rule LRN-4 has no checker: the learning app reads it (progress.py, credits). Its
# parameters in words, for the library screens.
register_params(
    tiers=Param(
        "table",
        label="按课程时长认定学时",
        columns={
            "min_minutes": Param("int", min=0, label="课程时长不少于", unit="分钟"),
            "hours": Param("decimal", min=0, label="认定学时", unit="学时"),
        },
    ),
    test_hours=Param("decimal", min=0, label="通过测试另计", unit="学时"),
    complete_position=Param("decimal", min=0, max=1, label="音视频须播放到时长的", unit="%"),
    complete_credited=Param("decimal", min=0, max=1, label="实际学习时间须达到时长的", unit="%"),
    max_speed=Param("decimal", min=1, label="播放进度最快计入", unit="倍速"),
    tolerance_s=Param("int", min=0, label="每次上报允许的网络误差", unit="秒"),
    max_gap_s=Param("int", min=1, label="两次上报间隔最多计入", unit="秒"),
    text_min_dwell_s=Param("int", min=0, label="图文课时最短阅读时间", unit="秒"),
)

# Exams and points (learning/standards.toml, EXM-1 and PNT-*): read by exam_services and points.
register_params(
    grace_s=Param("int", min=0, max=600, label="超时交卷宽限", unit="秒"),
    event=Param("choice", choices=POINT_EVENTS, label="记分事项"),
    points=Param("int", min=1, max=100, label="每次记分", unit="分"),
    daily_cap=Param("int", min=0, label="每人每日上限（0 为不限）", unit="分"),
    yearly_cap=Param("int", min=0, label="每人每年上限（0 为不限）", unit="分"),
)

# LRN-3 and LRN-5 have no checker either: training classes read them (policy.training_policy).
register_params(
    max_absent_parts=Param("int", min=1, label="缺课不得超过总学时的 1/", unit=""),
    hour_hours=Param("decimal", min=0, label="每小时认定", unit="学时"),
    half_day_hours=Param("decimal", min=0, label="半天认定", unit="学时"),
    day_hours=Param("decimal", min=0, label="一天认定", unit="学时"),
    meeting_kinds=Param(
        "table",
        label="计入学时的组织生活",
        columns={
            "kind": Param(
                "choice",
                choices=tuple(Meeting.Kind.choices),
                label="会议类型",
            ),
            "hours": Param("decimal", min=0, label="出席计入", unit="学时"),
        },
    ),
)
