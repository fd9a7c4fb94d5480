"""What dues contribute to the workbench (工作台): members in arrears and members who have
not paid this month, per branch, and the month's collection progress."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count

from dangjian.core.calendar import add_months, month_start
from dangjian.core.workbench import DUE, OVERDUE, Figure, Todo, WorkbenchContext, provider, url
from dangjian.dues import selectors
from dangjian.dues.rates import RateBook, month_label
from dangjian.orgs.models import Org
from dangjian.orgs.selectors import tree_roots


def roots(ctx: WorkbenchContext) -> list[Org]:
    """The tops of the user's reach (one query, shared by every provider of the page)."""
    return ctx.once("orgs.roots", lambda: tree_roots(user=ctx.user))


def _progress(ctx: WorkbenchContext) -> dict[int, tuple[str, int, int]]:
    """Per org of the reach: (name, members on the rolls, members who paid this month).
    Two aggregates per reach root, whatever the number of branches."""

    def load():
        month = month_start(ctx.today)
        out: dict[int, list] = {}
        for root in roots(ctx):
            on_rolls = (
                selectors.members_of(root, month)
                .values("org_id", "org__name")
                .annotate(n=Count("id"))
                .values_list("org_id", "org__name", "n")
            )
            for org_id, name, n in on_rolls:
                out[org_id] = [name, n, 0]
            for org_id, n in selectors.paid_counts(org=root, month=month).items():
                if org_id in out:
                    out[org_id][2] = n
        return {k: tuple(v) for k, v in out.items()}

    return ctx.once("dues.progress", load)


@provider("todos", order=30)
def dues_arrears(ctx: WorkbenchContext) -> Iterable[Todo]:
    """Members with unpaid months before this one (DUE-10), one row per branch."""
    as_of = add_months(month_start(ctx.today), -1)
    book = RateBook()
    per_org: dict[int, list] = defaultdict(list)
    for root in roots(ctx):
        for a in selectors.arrears(org=root, as_of=as_of, min_months=1, book=book):
            per_org[a.org_id].append(a)
    if not per_org:
        return
    names = dict(Org.objects.filter(pk__in=per_org).values_list("pk", "name"))
    for org_id, rows in per_org.items():
        since = min(a.since for a in rows)
        longest = max(a.months for a in rows)
        yield Todo(
            what=f"{len(rows)} 名党员欠缴党费（最长 {longest} 个月）",
            org_name=names.get(org_id, ""),
            # A month's dues fall due at the month's end.
            due_on=add_months(since, 1, first=True) - dt.timedelta(days=1),
            status=OVERDUE,
            action="催缴党费",
            url=url("dues:arrears", query=f"org={org_id}"),
            source="党费",
        )


@provider("todos", order=31)
def dues_this_month(ctx: WorkbenchContext) -> Iterable[Todo]:
    """This month's dues not yet collected, when the month ends this week."""
    last_day = ctx.month_end - dt.timedelta(days=1)
    if last_day > ctx.week_end:
        return
    month = month_label(month_start(ctx.today))
    for org_id, (name, on_rolls, paid) in _progress(ctx).items():
        if on_rolls > paid:
            yield Todo(
                what=f"本月党费未交 {on_rolls - paid} 人（已交 {paid} / {on_rolls}）",
                org_name=name,
                due_on=last_day,
                status=DUE,
                action="登记党费",
                url=url("dues:sheet", query=f"org={org_id}&month={month}"),
                source="党费",
            )


def _last_month_rate(ctx: WorkbenchContext) -> float | None:
    """Last month's collection rate over the reach (two aggregates per reach root)."""
    month = add_months(month_start(ctx.today), -1)
    on_rolls = paid = 0
    for root in roots(ctx):
        on_rolls += selectors.members_of(root, month).count()
        paid += sum(selectors.paid_counts(org=root, month=month).values())
    return paid / on_rolls if on_rolls else None


@provider("figures", order=10)
def collection_rate(ctx: WorkbenchContext) -> Iterable[Figure]:
    progress = _progress(ctx).values()
    on_rolls = sum(n for _, n, _ in progress)
    paid = sum(p for _, _, p in progress)
    if not on_rolls:
        yield Figure("本月党费收缴率", "缺项", url("dues:sheet"), "名册上没有党员", order=10)
        return
    rate = paid / on_rolls
    before = _last_month_rate(ctx)
    trend = f"，上月 {before:.1%}" if before is not None else ""
    yield Figure(
        label="本月党费收缴率",
        value=f"{rate:.1%}",
        url=url("dues:sheet"),
        note=f"已交 {paid} / {on_rolls} 人{trend}",
        tone="ok" if rate >= 1 else "",
        order=10,
    )
