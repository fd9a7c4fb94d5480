"""Compliance checks of the talent app (talent/standards.toml):

- TAL-1 (local practice, L): party-affairs staff complete the hours of the training tracks
  set for their role by the orgs above them; one finding per org with someone short.
- SUP-6 (机关条例 第三十条, V): full-time party-affairs staff are normally 1 %–2 % of the
  agency's staff; one finding per unit (on its top org in the subtree), from the unit's staff
  count and the positions flagged full-time. A unit without a staff count is reported as
  missing data, never as 0 %.

TAL-2 (annual re-confirmation and certificate warnings) has no checker: the workbench reads
its parameters (``register_params``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction

from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from dangjian.core.bulk import plain_rows
from dangjian.core.scope import lineage, subtree_q
from dangjian.orgs.models import Org
from dangjian.standards.params import register_params
from dangjian.standards.registry import CheckContext, Finding, Param, register
from dangjian.talent.models import Track
from dangjian.talent.selectors import full_time_counts, track_progress

S = Finding.Status


def _link(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _pct(value: Fraction) -> str:
    return f"{float(value) * 100:.2f}".rstrip("0").rstrip(".") + "%"


@register(
    "staff_track_hours",
    title="党务干部完成培训专题学时",
    params={
        "period": Param("choice", choices=(("year", "每年"),), default="year", label="检查周期"),
        "due_month": Param(
            "int", min=1, max=12, help="从该月起提示即将到期", label="提示起始月份", unit="月"
        ),
    },
    period="year",
    link=("talent:tracks",),
)
def staff_track_hours(ctx: CheckContext) -> Iterable[Finding]:
    year = ctx.period.start.year
    due_from = dt.date(year, int(ctx.params["due_month"]), 1)
    root = ctx.root
    tracks = (
        Track.objects.filter(year=year)
        .filter(subtree_q(root) | Q(org__path__in=lineage(root.path)))
        .prefetch_related("hours")
    )
    targets = {o.id for o in ctx.targets()}
    out = []
    for track in tracks.order_by("id"):
        people = track_progress(track, root=root)
        short: dict[int, list] = {}
        names: dict[int, str] = {}
        for p in people:
            names[p.org_id] = p.org_name
            if not p.done:
                short.setdefault(p.org_id, []).append(p)
        link = _link("talent:track", track.pk)
        for org_id, name in names.items():
            if org_id not in targets:
                continue
            rows = short.get(org_id, [])
            who = "、".join(f"{p.name}（差 {p.short} 学时）" for p in rows[:5])
            out.append(
                ctx.finding(
                    org_id=org_id,
                    period=ctx.period,
                    met=not rows,
                    expected=f"「{track.title}」按职务完成应修学时",
                    actual=f"{len(rows)} 人未完成" if rows else "全部完成",
                    message=(
                        f"{name}有 {len(rows)} 名党务干部未完成{year}年培训专题「{track.title}」"
                        f"的学时：{who}"
                        if rows
                        else f"{name}党务干部已完成培训专题「{track.title}」"
                    ),
                    due_from=due_from,
                    link=link,
                )
            )
    return out


@register(
    "full_time_staff_share",
    title="专职党务工作人员占机关职工人数的比例",
    params={
        "min_rate": Param(
            "decimal", min=0, max=1, unit="%", label="不低于", help="专职党务人员占职工人数下限"
        ),
        "max_rate": Param(
            "decimal", min=0, max=1, unit="%", label="不高于", help="专职党务人员占职工人数上限"
        ),
    },
    period="none",
    link=("talent:staffing",),
)
def full_time_staff_share(ctx: CheckContext) -> Iterable[Finding]:
    low = Fraction(str(ctx.params["min_rate"]))
    high = Fraction(str(ctx.params["max_rate"]))
    # Each unit's highest org of the subtree (the first by path), read through the cursor:
    # a city's 4,000 orgs as models were most of the rule's time.
    rows = plain_rows(
        Org.objects.active()
        .in_subtree(ctx.root)
        .filter(unit__isnull=False)
        .values_list("id", "unit_id", "unit__name", "unit__staff_count")
        .order_by("path")
    )
    top: dict[int, tuple] = {}
    for row in rows:
        top.setdefault(row[1], row)
    targets = {o.id for o in ctx.targets()}
    tops = [row for row in top.values() if row[0] in targets]
    counts = full_time_counts([unit_id for _, unit_id, _, _ in tops], ctx.as_of)
    link = _link("talent:staffing")
    expected = f"{_pct(low)}–{_pct(high)}"
    out = []
    for org_id, unit_id, unit_name, staff in tops:
        n = counts.get(unit_id, 0)
        if not staff:
            out.append(
                ctx.finding(
                    org_id=org_id,
                    period=ctx.period,
                    met=False,
                    status=S.DUE,
                    expected=expected,
                    actual="缺项：未登记职工人数",
                    message=f"{unit_name}未登记职工人数，无法核对专职党务工作人员比例，请登记",
                    link=link,
                )
            )
            continue
        share = Fraction(n, staff)
        met = low <= share <= high
        out.append(
            ctx.finding(
                org_id=org_id,
                period=ctx.period,
                met=met,
                status=S.OK if met else S.VIOLATION,
                expected=expected,
                actual=f"{n}/{staff}（{_pct(share)}）",
                message=(
                    f"{unit_name}专职党务工作人员 {n} 人，占职工 {staff} 人的 {_pct(share)}"
                    + ("" if met else f"，不在 {expected} 之间")
                ),
                link=link,
            )
        )
    return out


register_params(
    reconfirm_months=Param(
        "int", min=1, max=60, label="复核周期", unit="个月", help="入库人员每隔多久复核一次"
    ),
    cert_warn_days=Param(
        "int", min=0, max=365, label="证书到期提醒", unit="天", help="证书到期前多少天提醒"
    ),
)
