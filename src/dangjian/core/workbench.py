"""The workbench (工作台): the first screen of every staff user, collected from the apps.

Apps contribute to it the way they contribute checkers to the standards engine: each
domain app has a ``workbench.py``, imported by its ``AppConfig.ready()``, that registers
providers::

    from dangjian.core.workbench import Todo, WorkbenchContext, provider

    @provider("todos", order=10)
    def overdue_meetings(ctx: WorkbenchContext) -> Iterable[Todo]: ...

Three kinds of provider:

- ``todos``: ``Todo`` rows (what, for which org, since when, one action), sorted here
  worst first: overdue (oldest first), then due this week. A provider with many rows (the
  open compliance findings of a whole city) lists only its worst ``ctx.limit`` in that
  order and yields one ``Unlisted`` with the number of the others, so the page's worst
  rows and its totals stay exact without building every row;
- ``calendar``: ``CalendarEntry`` items of this month's organizational life;
- ``figures``: ``Figure`` key numbers, each linking to its list.

A provider reads through the gate (``visible_to`` / ``manageable_by`` with ``ctx.user``)
and existing selectors, and makes a constant number of queries whatever the number of
orgs or items it covers (``tests/core/test_workbench.py`` asserts it). This module imports
no domain app; the inbox (``core.Notification``) is core's own.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dangjian.core.errors import DomainError
from dangjian.core.scope import Reach, reach_of

log = logging.getLogger(__name__)

KINDS = ("todos", "calendar", "figures")
OVERDUE, DUE = "overdue", "due"
# How many to-do rows the page shows; the rest are counted and reachable through each
# source's list.
TODO_LIMIT = 20


@dataclass
class WorkbenchContext:
    user: Any
    reach: Reach
    today: dt.date
    week_end: dt.date  # the last day counted as "this week" (Sunday)
    month_start: dt.date
    month_end: dt.date  # exclusive
    memo: dict = field(default_factory=dict)
    limit: int = TODO_LIMIT  # to-do rows a provider needs to list (the rest: ``Unlisted``)

    @classmethod
    def for_user(
        cls, user, today: dt.date | None = None, limit: int = TODO_LIMIT
    ) -> WorkbenchContext:
        today = today or timezone.localdate()
        week_end = today + dt.timedelta(days=6 - today.weekday())
        month_start = today.replace(day=1)
        month_end = (month_start + dt.timedelta(days=32)).replace(day=1)
        return cls(user, reach_of(user), today, week_end, month_start, month_end, limit=limit)

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        """Share one computation between providers of the same page (e.g. an evaluation)."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]


@dataclass
class Todo:
    what: str  # "召开支部委员会会议：学习贯彻…"
    org_name: str
    due_on: dt.date | None  # the deadline (overdue since / due by)
    status: str  # OVERDUE | DUE
    action: str  # the button: 记录会议, 登记党费, 办理第3步 …
    url: str
    source: str = ""  # 会议, 党费, 发展党员, 整改, 合规 …
    detail: str = ""
    late_days: int = 0  # set by the collector: days past ``due_on``

    @property
    def is_overdue(self) -> bool:
        return self.status == OVERDUE

    def days_overdue(self, today: dt.date) -> int:
        return (today - self.due_on).days if self.due_on and self.due_on < today else 0


@dataclass
class Unlisted:
    """To-do rows a provider counted but did not list: none of them is worse than its
    ``ctx.limit`` listed rows (by ``sort_todos``'s order)."""

    overdue: int = 0
    due: int = 0


@dataclass
class CalendarEntry:
    day: dt.date
    title: str
    org_name: str
    status: str  # done | planned | overdue
    url: str = ""

    @property
    def status_label(self) -> str:
        return {"done": "已召开", "planned": "计划", "overdue": "逾期未开"}.get(self.status, "")


@dataclass
class Figure:
    label: str
    value: str  # already formatted: "93.8%", "12 件"
    url: str = ""
    note: str = ""  # "本月已交 42 / 应交 45 人"
    tone: str = ""  # "", ok, due, overdue: the status colour of the value
    order: int = 100


@dataclass(frozen=True)
class Provider:
    kind: str
    name: str
    func: Callable[[WorkbenchContext], Iterable[Any]]
    order: int = 100


PROVIDERS: dict[str, dict[str, Provider]] = {kind: {} for kind in KINDS}


def provider(kind: str, *, order: int = 100, name: str = ""):
    """Register ``func(ctx)`` as a provider of ``kind`` (todos, calendar or figures)."""
    if kind not in KINDS:
        raise ValueError(f"unknown workbench kind {kind!r}")

    def decorator(func):
        key = name or f"{func.__module__}.{func.__qualname__}"
        PROVIDERS[kind][key] = Provider(kind, key, func, order)
        return func

    return decorator


def url(name: str, *args, query: str = "") -> str:
    """Reverse defensively: a provider's link to a page not installed is empty."""
    try:
        out = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{out}?{query}" if query else out


def _collect(kind: str, ctx: WorkbenchContext, problems: list[str]) -> list:
    """Every provider's items. A provider that cannot answer (a ``DomainError``, e.g. a rule
    missing from the standards library) is reported on the page instead of breaking it."""
    items: list = []
    for p in sorted(PROVIDERS[kind].values(), key=lambda p: (p.order, p.name)):
        try:
            items.extend(p.func(ctx))
        except DomainError as exc:
            log.warning("workbench provider %s: %s", p.name, exc)
            if exc.message not in problems:
                problems.append(exc.message)
    return items


def sort_todos(todos: list[Todo]) -> list[Todo]:
    """Worst first: overdue (longest overdue first), then due (soonest first)."""
    far = dt.date.max
    return sorted(
        todos,
        key=lambda t: (0 if t.status == OVERDUE else 1, t.due_on or far, t.source, t.what),
    )


@dataclass
class Workbench:
    ctx: WorkbenchContext
    todos: list[Todo]  # the worst TODO_LIMIT, for the page
    all_todos: list[Todo]  # every row listed (a provider's rows beyond ``limit``: counted)
    todo_total: int
    overdue_total: int
    calendar: list[CalendarEntry]
    figures: list[Figure]
    notices: list
    unread: int
    problems: list[str] = field(default_factory=list)  # providers that could not answer

    @property
    def due_total(self) -> int:
        return self.todo_total - self.overdue_total

    def calendar_days(self) -> list[dict]:
        """The month as a strip: each day with its entries (days without any are kept so
        the strip reads as a calendar)."""
        by_day: dict[dt.date, list[CalendarEntry]] = {}
        for e in self.calendar:
            by_day.setdefault(e.day, []).append(e)
        days = []
        day = self.ctx.month_start
        while day < self.ctx.month_end:
            days.append(
                {
                    "day": day,
                    "entries": by_day.get(day, []),
                    "today": day == self.ctx.today,
                    "weekend": day.weekday() >= 5,
                }
            )
            day += dt.timedelta(days=1)
        return days


def workbench_for(user, *, today: dt.date | None = None, limit: int = TODO_LIMIT) -> Workbench:
    """The page of ``user``: the worst ``limit`` to-do rows, the totals, the calendar and
    the figures."""
    ctx = WorkbenchContext.for_user(user, today, limit)
    problems: list[str] = []
    collected = _collect("todos", ctx, problems)
    todos = sort_todos([t for t in collected if not isinstance(t, Unlisted)])
    unlisted = [u for u in collected if isinstance(u, Unlisted)]
    for t in todos:
        t.late_days = t.days_overdue(ctx.today)
    calendar = sorted(
        _collect("calendar", ctx, problems), key=lambda e: (e.day, e.org_name, e.title)
    )
    figures = sorted(_collect("figures", ctx, problems), key=lambda f: f.order)
    notifications = user.notifications.all()
    notices = list(notifications[:5])
    unread = notifications.filter(read_at__isnull=True).count()
    return Workbench(
        ctx=ctx,
        todos=todos[:limit],
        all_todos=todos,
        todo_total=len(todos) + sum(u.overdue + u.due for u in unlisted),
        overdue_total=sum(1 for t in todos if t.status == OVERDUE)
        + sum(u.overdue for u in unlisted),
        calendar=calendar,
        figures=figures,
        notices=notices,
        unread=unread,
        problems=problems,
    )
