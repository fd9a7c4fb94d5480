"""What dues contribute to the workbench (工作台): members in arrears and members who have
not paid this month, per branch, and the month's collection progress.

The per-branch to-dos (催缴, 登记党费) are the chores of the orgs that collect dues and
oversee the branches doing it: a branch, a general branch, a committee. A work committee's
reach (every branch of an agency system) gets the collection rate and, through the
compliance rows, the members whose arrears reach DUE-10's months; listing thousands of
branches a month behind would be noise there, and reading every member's payments on
each visit took seconds for a province."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils import timezone

from dangjian.core import panels
from dangjian.core.calendar import add_months, month_start
from dangjian.core.workbench import DUE, OVERDUE, Figure, Todo, WorkbenchContext, provider, url
from dangjian.dues import selectors
from dangjian.dues.rates import RateBook, month_label
from dangjian.orgs.models import Org
from dangjian.orgs.selectors import tree_roots


def roots(ctx: WorkbenchContext) -> list[Org]:
    """The tops of the user's reach (one query, shared by every provider of the page)."""
    return ctx.once("orgs.roots", lambda: tree_roots(user=ctx.user))


def collecting_roots(ctx: WorkbenchContext) -> list[Org]:
    """The tops of the reach whose branches' dues chores are listed: all but work
    committees."""
    return [r for r in roots(ctx) if r.kind != Org.Kind.WORK_COMMITTEE]


def _progress(ctx: WorkbenchContext, root: Org) -> dict[int, tuple[int, int, int, int]]:
    """Per org of ``root``'s subtree: (members on the rolls this month, members who paid
    it, members on the rolls last month, members who paid last month). One grouped count
    of both months and two aggregates of who paid, whatever the number of branches."""

    def load():
        month = month_start(ctx.today)
        before = add_months(month, -1)
        rows: dict[int, list] = {}
        still = Q(left_on__isnull=True) | Q(left_on__gte=month)
        on_rolls = (
            selectors.members_of(root, before)
            .values("org_id")
            .annotate(now=Count("id", filter=still), then=Count("id"))
            .values_list("org_id", "now", "then")
            .order_by()
        )
        for org_id, now, then in on_rolls:
            rows[org_id] = [now, 0, then, 0]
        for col, when in ((1, month), (3, before)):
            for org_id, n in selectors.paid_counts(org=root, month=when).items():
                if org_id in rows:
                    rows[org_id][col] = n
        return {k: tuple(v) for k, v in rows.items()}

    return ctx.once(f"dues.progress.{root.pk}", load)


def _totals(ctx: WorkbenchContext) -> tuple[tuple[int, int, int, int], dt.datetime | None]:
    """The four numbers of ``_progress`` summed over the reach, and when the kept ones
    were built if any were read: a work committee's from the 驾驶舱's kept dues figures
    (``core.panels.kept``, its row covering its subtree) when they stand at this month,
    else counted live like everyone's."""
    wide = [r for r in roots(ctx) if r.kind == Org.Kind.WORK_COMMITTEE]
    kept = panels.kept("dues", ctx.today.year, [r.pk for r in wide]) if wide else None
    if kept is not None and (
        month_start(kept.as_of) != month_start(ctx.today)
        or any(not set(KEPT_MONTH) <= kept.rows.get(r.pk, {}).keys() for r in wide)
    ):
        # Built last month (before the nightly run), a new work committee, or figures kept
        # before the month's were: counted live.
        kept = None
    totals = [0, 0, 0, 0]
    for root in roots(ctx):
        if kept is not None and root.pk in kept.rows:
            figures = kept.rows[root.pk]
            rows = [tuple(int(figures.get(k) or 0) for k in KEPT_MONTH)]
        else:
            rows = _progress(ctx, root).values()
        for row in rows:
            for i in range(4):
                totals[i] += row[i]
    return tuple(totals), kept.built_at if kept is not None else None


KEPT_MONTH = ("month_due", "month_paid", "prev_due", "prev_paid")  # dues.panels, in order


@provider("todos", order=30)
def dues_arrears(ctx: WorkbenchContext) -> Iterable[Todo]:
    """Members with unpaid months before this one (DUE-10), one row per branch."""
    as_of = add_months(month_start(ctx.today), -1)
    book = RateBook()
    per_org: dict[int, list] = defaultdict(list)
    for root in collecting_roots(ctx):
        for a in selectors.arrears(org=root, as_of=as_of, min_months=1, book=book):
            per_org[a.org_id].append(a)
    if not per_org:
        return
    names = dict(Org.objects.filter(pk__in=per_org).values_list("pk", "name"))
    page = url("dues:arrears")  # reversed once, not per branch
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
            url=f"{page}?org={org_id}" if page else "",
            source="党费",
        )


@provider("todos", order=31)
def dues_this_month(ctx: WorkbenchContext) -> Iterable[Todo]:
    """This month's dues not yet collected, when the month ends this week."""
    last_day = ctx.month_end - dt.timedelta(days=1)
    if last_day > ctx.week_end:
        return
    month = month_label(month_start(ctx.today))
    behind = {
        org_id: row
        for root in collecting_roots(ctx)
        for org_id, row in _progress(ctx, root).items()
        if row[0] > row[1]
    }
    if not behind:
        return
    names = dict(Org.objects.filter(pk__in=list(behind)).values_list("pk", "name"))
    for org_id, (on_rolls, paid, *_) in behind.items():
        yield Todo(
            what=f"本月党费未交 {on_rolls - paid} 人（已交 {paid} / {on_rolls}）",
            org_name=names.get(org_id, ""),
            due_on=last_day,
            status=DUE,
            action="登记党费",
            url=url("dues:sheet", query=f"org={org_id}&month={month}"),
            source="党费",
        )


@provider("figures", order=10)
def collection_rate(ctx: WorkbenchContext) -> Iterable[Figure]:
    (on_rolls, paid, before_rolls, before_paid), built_at = _totals(ctx)
    if not on_rolls:
        yield Figure("本月党费收缴率", "缺项", url("dues:sheet"), "名册上没有党员", order=10)
        return
    rate = paid / on_rolls
    before = before_paid / before_rolls if before_rolls else None
    trend = f"，上月 {before:.1%}" if before is not None else ""
    when = f"（{timezone.localtime(built_at):%H:%M} 统计）" if built_at else ""
    yield Figure(
        label="本月党费收缴率",
        value=f"{rate:.1%}",
        url=url("dues:sheet"),
        note=f"已交 {paid} / {on_rolls} 人{trend}{when}",
        tone="ok" if rate >= 1 else "",
        order=10,
    )
