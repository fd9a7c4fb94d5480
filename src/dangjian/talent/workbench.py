"""What the talent app contributes to the workbench (工作台): nominations to review (for the
org above the nominating one), profiles due for their annual re-confirmation and certificates
about to expire (TAL-2), staff short of a training track's hours (TAL-1, from its due month),
and one figure (the pool within reach). Each provider reads a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q

from dangjian.core.workbench import DUE, OVERDUE, Figure, Todo, WorkbenchContext, provider, url
from dangjian.standards.selectors import rule_in_force
from dangjian.talent import selectors
from dangjian.talent.models import Talent
from dangjian.talent.services import can_review

SHOWN = 20
SOURCE = "人才库"


@provider("todos", order=80)
def nominations_to_review(ctx: WorkbenchContext) -> Iterable[Todo]:
    """One query; only the nominations this user may review (the org above)."""
    rows = (
        Talent.objects.manageable_by(ctx.user)
        .filter(status=Talent.Status.NOMINATED)
        .select_related("member", "org")
        .order_by("created_at", "id")[: SHOWN * 2]
    )
    shown = 0
    for t in rows:
        if shown >= SHOWN or not can_review(ctx.user, t):
            continue
        shown += 1
        yield Todo(
            what=f"审核人才库提名：{t.member.name}",
            org_name=t.org.name,
            due_on=None,
            status=DUE,
            action="审核",
            url=url("talent:talent", t.pk),
            source=SOURCE,
            detail="本人已同意" if t.consent_on else "待本人确认同意",
        )


@provider("todos", order=81)
def reconfirmations(ctx: WorkbenchContext) -> Iterable[Todo]:
    """Two queries (the rule, the talents)."""
    params = rule_in_force("TAL-2", ctx.today).params
    months = int(params["reconfirm_months"])
    rows = selectors.reconfirm_due(ctx.user, months=months, today=ctx.week_end)[:SHOWN]
    for t in rows:
        since = t.confirmed_on or (t.reviewed_at.date() if t.reviewed_at else ctx.today)
        due = _add_months(since, months)
        yield Todo(
            what=f"人才库年度复核：{t.member.name}",
            org_name=t.member.org.name,
            due_on=due,
            status=OVERDUE if due < ctx.today else DUE,
            action="复核",
            url=url("talent:talent", t.pk),
            source=SOURCE,
        )
    warn = int(params["cert_warn_days"])
    for c in selectors.expiring_certificates(ctx.user, within_days=warn, today=ctx.today)[:SHOWN]:
        expired = c.expires_on < ctx.today
        yield Todo(
            what=f"证书{'已过期' if expired else '即将到期'}：{c.talent.member.name}的{c.name}",
            org_name=c.talent.member.org.name,
            due_on=c.expires_on,
            status=OVERDUE if expired else DUE,
            action="更新证书",
            url=url("talent:talent", c.talent_id),
            source=SOURCE,
        )


@provider("todos", order=82)
def track_shortfalls(ctx: WorkbenchContext) -> Iterable[Todo]:
    """This year's tracks within reach (at most 5), each counted in the database."""
    if not ctx.reach.is_manager:
        return
    due_month = int(rule_in_force("TAL-1", ctx.today).params["due_month"])
    if ctx.today.month < due_month:
        return
    tracks = list(selectors.track_list(ctx.user, year=ctx.today.year)[:5])
    # Tracks of one org share one read of its holders, of every role any of them requires.
    roles = {h.role for t in tracks for h in t.hours.all()}
    read: dict[tuple, list] = {}

    def positions(root, org, _):
        if (root, org.pk) not in read:
            read[(root, org.pk)] = selectors.holder_positions(root, org, roles)
        return read[(root, org.pk)]

    for track in tracks:
        n, first = selectors.shortfall_for(ctx.user, track, positions=positions)
        if not n:
            continue
        yield Todo(
            what=f"培训专题「{track.title}」：{n} 名党务干部未完成学时",
            org_name=track.org.name,
            due_on=dt.date(track.year, 12, 31),
            status=DUE,
            action="督促学习",
            url=url("talent:track", track.pk),
            source=SOURCE,
            detail="、".join(first) + ("等" if n > len(first) else ""),
        )


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(y, m + 1, min(day.day, 28))


@provider("figures", order=80)
def pool_size(ctx: WorkbenchContext) -> Iterable[Figure]:
    """One aggregate."""
    if not ctx.reach.is_manager:
        return
    c = Talent.objects.manageable_by(ctx.user).aggregate(
        n=Count("id", filter=Q(status=Talent.Status.ADMITTED)),
        pending=Count("id", filter=Q(status=Talent.Status.NOMINATED)),
    )
    yield Figure(
        label="人才库在库人员",
        value=f"{c['n']} 人",
        url=url("talent:pool"),
        note=f"待审核提名 {c['pending']} 人" if c["pending"] else "无待审核提名",
        order=80,
    )
