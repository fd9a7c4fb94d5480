"""Compliance checks of 党建+业务 (work/standards.toml): WRK-1 tasks done by their due date
(overdue ones per org), WRK-2 each branch runs at least one joint initiative a year, WRK-3
every full member makes a pledge at the start of the year. Each reads a constant number of
queries for the whole evaluated subtree."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Count, F
from django.urls import NoReverseMatch, reverse

from dangjian.core.bulk import plain_rows
from dangjian.members.models import Member
from dangjian.standards.registry import CheckContext, Finding, Param, register
from dangjian.work.models import Initiative, Pledge, Task

S = Finding.Status
YEAR = Param("choice", choices=(("year", "每年"),), default="year", help="周期", label="检查周期")
MONTH = Param("int", min=1, max=12, help="从该月起提示", label="提示起始月份", unit="月")
RATING_CHOICES = tuple((r.value, r.label) for r in Pledge.Rating)


def _link(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def overdue_by_org(root, today: dt.date, grace_days: int) -> dict[int, list[tuple[str, dt.date]]]:
    """Open tasks past their due date (plus the grace days) per assignee org: one query."""
    cutoff = today - dt.timedelta(days=grace_days)
    rows = (
        Task.objects.in_subtree(root)
        .exclude(status=Task.Status.DONE)
        .filter(due__lt=cutoff)
        .values_list("org_id", "title", "due")
        .order_by("due", "id")
    )
    out: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    for org_id, title, due in rows:
        out[org_id].append((title, due))
    return out


@register(
    "work_overdue_tasks",
    title="交办任务按期完成",
    params={
        "remind_days": Param(
            "int", min=0, max=60, help="到期前提醒的天数", label="到期前提醒", unit="天"
        ),
        "grace_days": Param(
            "int", min=0, max=60, help="超过时限多少天记为未达标", label="逾期宽限", unit="天"
        ),
    },
    period="none",
    batch=True,
    link=("work:tasks",),
)
def work_overdue_tasks(ctx: CheckContext) -> Iterable[Finding]:
    grace = int(ctx.params["grace_days"])
    as_of = ctx.as_of
    late = overdue_by_org(ctx.root, as_of, grace)
    targets = {o.id: o.name for o in ctx.targets()}
    link = _link("work:tasks")
    out = []
    for org_id, rows in late.items():
        if org_id not in targets:
            continue
        first = rows[0]
        finding = ctx.finding(
            org_id=org_id,
            period=ctx.period,
            met=False,
            status=S.OVERDUE,
            expected="交办任务按期完成",
            actual=f"{len(rows)} 项逾期",
            message=(
                f"{targets[org_id]}有 {len(rows)} 项交办任务逾期未完成"
                f"（最早：{first[0]}，时限 {first[1]}），请尽快办结并报告进展"
            ),
            link=f"{link}?org={org_id}&status=overdue" if link else "",
        )
        finding.due_on = first[1]
        out.append(finding)
    return out


@register(
    "joint_initiatives",
    title="党支部每年牵头或参与党建与业务融合项目",
    params={
        "period": YEAR,
        "min": Param("int", min=0, max=50, help="每年不少于", label="每年不少于", unit="个"),
        "due_month": MONTH,
    },
    period="year",
    link=("work:initiatives",),
)
def joint_initiatives(ctx: CheckContext) -> Iterable[Finding]:
    year = ctx.period.start.year
    need = int(ctx.params["min"])
    due_from = dt.date(year, int(ctx.params["due_month"]), 1)
    led = dict(
        ctx.facts.in_subtree(Initiative.objects.filter(year=year), "org__path")
        .values_list("org_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    joined = set(
        ctx.facts.in_subtree(
            # a task the leading branch gives itself is not a second initiative
            Task.objects.filter(initiative__year=year).exclude(initiative__org_id=F("org_id")),
            "org__path",
        )
        .values_list("org_id", "initiative_id")
        .distinct()
    )
    taking_part: dict[int, set[int]] = defaultdict(set)
    for org_id, initiative_id in joined:
        taking_part[org_id].add(initiative_id)
    link = _link("work:initiatives")
    out = []
    for org in ctx.targets():
        n = led.get(org.id, 0) + len(taking_part.get(org.id, ()))
        out.append(
            ctx.finding(
                org_id=org.id,
                period=ctx.period,
                met=n >= need,
                expected=f"每年不少于 {need} 个",
                actual=f"{n} 个",
                message=f"{org.name}{year}年牵头或参与融合项目 {n} 个（应不少于 {need} 个）",
                due_from=due_from,
                link=f"{link}?org={org.id}&year={year}" if link else "",
            )
        )
    return out


@register(
    "pledges_made",
    title="正式党员每年作出承诺",
    params={
        "period": YEAR,
        "due_month": Param(
            "int", min=1, max=12, help="该月底前完成承诺", label="承诺截止月份", unit="月"
        ),
        "fulfilled_ratings": Param(
            "list", choices=RATING_CHOICES, label="计为已践诺的评定", required=False
        ),
    },
    period="year",
    link=("work:posts",),
)
def pledges_made(ctx: CheckContext) -> Iterable[Finding]:
    """One finding per branch; after the deadline, one per full member without a pledge
    instead (a city's closed year: 45,000), built with the status and words of the branch
    drawn once."""
    year = ctx.period.start.year
    month = int(ctx.params["due_month"])
    deadline = dt.date(year + (month == 12), month % 12 + 1, 1)  # the day after the month
    targets = {o.id: o.name for o in ctx.targets()}
    # Every full member of the subtree through the cursor (ids and names, no converters);
    # those of orgs the rule does not judge are skipped below, not listed in the query.
    members = plain_rows(
        ctx.facts.in_subtree(Member.objects.on_rolls(), "org__path")
        .filter(status=Member.Status.FULL)
        .values_list("org_id", "pk", "name")
        .order_by("org_id", "pk")
    )
    pledged = set(
        ctx.facts.in_subtree(Pledge.objects.filter(year=year), "member__org__path").values_list(
            "member_id", flat=True
        )
    )
    missing: dict[int, list[tuple[int, str]]] = defaultdict(list)
    total: Counter = Counter()
    for org_id, member_id, name in members:
        if org_id not in targets:
            continue
        total[org_id] += 1
        if member_id not in pledged:
            missing[org_id].append((member_id, name))
    link = _link("work:posts")
    make = ctx.make
    before = ctx.as_of < deadline
    late = S.VIOLATION if ctx.today >= ctx.period.end else S.OVERDUE
    label, due_on = ctx.period.label, deadline - dt.timedelta(days=1)
    expected = f"{month}月底前每名正式党员作出承诺"
    out = []
    append = out.append
    for org_id, name in targets.items():
        if not total[org_id]:
            continue
        short = missing.get(org_id, [])
        status = S.OK if not short else (S.DUE if before else late)
        actual = f"{total[org_id] - len(short)}/{total[org_id]} 名正式党员已承诺"
        url = f"{link}?org={org_id}&year={year}" if link else ""
        if status in (S.OK, S.DUE):
            append(
                make(
                    org_id,
                    label,
                    status,
                    expected,
                    actual,
                    f"{name}{year}年{actual}",
                    url,
                    due_on,
                    name,
                )
            )
            continue
        for member_id, member_name in short:
            message = f"{member_name}尚未作出{year}年承诺，请支部督促"
            append(
                make(
                    org_id,
                    label,
                    status,
                    "作出年度承诺",
                    "未承诺",
                    message,
                    url,
                    due_on,
                    name,
                    member_id,
                    member_name,
                )
            )
    return out
