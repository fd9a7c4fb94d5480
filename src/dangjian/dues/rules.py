"""Compliance checks the dues app contributes to the standards engine."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.urls import NoReverseMatch, reverse

from dangjian.core.calendar import add_months
from dangjian.dues.rates import RateBook, month_label
from dangjian.dues.selectors import arrears, closed_month, members_of, paid_counts
from dangjian.members.models import Member
from dangjian.orgs.models import Org
from dangjian.standards.registry import CheckContext, Finding, Param, register, watch

_ONE_DAY = dt.timedelta(days=1)

# A payment recorded or voided, a dues profile changed: the org's dues findings go stale.
watch("dues.DuesPayment", orgs=lambda p: [p.org_id], checkers=("dues_arrears",))
watch(
    "dues.DuesProfile",
    orgs=lambda p: Member.objects.filter(pk=p.member_id).values_list("org_id", flat=True),
    checkers=("dues_arrears",),
)


def _link(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


@register(
    "dues_arrears",
    title="连续未交党费月数；支部月度收缴率",
    period="month",
    batch=True,
    link=("dues:arrears",),
    params={
        "warn_months": Param(
            "int",
            min=1,
            help="连续未交达到该月数时提醒（警告）",
            label="连续未交达到此月数时提醒",
            unit="个月",
        ),
        "violation_months": Param(
            "int",
            min=1,
            help="连续未交达到该月数时为违规（自行脱党）",
            label="连续未交达到此月数按自行脱党处理",
            unit="个月",
        ),
    },
)
def dues_arrears(ctx: CheckContext) -> Iterable[Finding]:
    """DUE-10 / MTG-10: consecutive unpaid months per member, a state judged once, as of the
    last closed month of the latest period asked for (the current month is still being
    collected): overdue (a warning) at ``warn_months``, a violation at ``violation_months``.
    Each branch without such members gets an ok finding carrying its collection rate for
    that month (members who paid / members who owe). A fixed number of queries."""
    warn = int(ctx.params.get("warn_months", ctx.rule.params.get("warn_months")))
    violation = int(ctx.params.get("violation_months", ctx.rule.params.get("violation_months")))
    period = ctx.periods_or_self[-1]
    as_of = closed_month(period.start, ctx.today)
    book = RateBook()
    found = arrears(org=ctx.root, as_of=as_of, min_months=1, book=book)
    if ctx.facts is not None:
        branches = {o.id: o.name for o in ctx.targets()}
    else:
        branches = dict(ctx.orgs().filter(kind=Org.Kind.BRANCH).values_list("pk", "name"))
    code, version, label = ctx.rule.code, ctx.rule.version, period.label
    flagged: Counter = Counter()
    unpaid: Counter = Counter()
    out: list[Finding] = []
    for a in found:
        unpaid[a.org_id] += 1
        if a.months < warn or a.org_id not in branches:
            continue
        flagged[a.org_id] += 1
        is_violation = a.months >= violation
        out.append(
            Finding(
                rule_code=code,
                rule_version=version,
                org_id=a.org_id,
                period=label,
                status=Finding.Status.VIOLATION if is_violation else Finding.Status.OVERDUE,
                expected=f"连续未交少于 {warn} 个月",
                actual=f"自 {month_label(a.since)} 起连续 {a.months} 个月未交",
                message=(
                    f"{a.name}已连续 {a.months} 个月未交纳党费"
                    + (
                        f"，达到 {violation} 个月，按规定应视为自行脱党，请支部及时处理"
                        if is_violation
                        else f"，请督促交纳（满 {violation} 个月将视为自行脱党）"
                    )
                ),
                member_id=a.member_id,
                member_name=a.name,
                link=_link("dues:member", member_id=a.member_id),
                due_on=None
                if is_violation
                else add_months(a.since, violation, first=True) - _ONE_DAY,
            )
        )
    # Collection rate per branch for the month judged: who owes (one grouped count) and
    # who paid (one aggregate).
    owing = Counter(
        members_of(ctx.root, as_of)
        .filter(org_id__in=list(branches))
        .values_list("org_id", flat=True)
    )
    paid = paid_counts(org=ctx.root, month=as_of)
    sheet = _link("dues:sheet")
    for org_id, name in branches.items():
        if flagged[org_id]:
            continue
        total = owing[org_id]
        done = paid.get(org_id, 0)
        rate = f"{done * 100 / total:.1f}%" if total else "—"
        out.append(
            Finding(
                rule_code=code,
                rule_version=version,
                org_id=org_id,
                period=label,
                status=Finding.Status.OK,
                expected=f"无连续 {warn} 个月以上未交党费的党员",
                actual=f"{month_label(as_of)} 收缴率 {rate}（已交 {done}/{total} 人），"
                f"当月未交 {unpaid[org_id]} 人",
                message=f"{name} {month_label(as_of)} 党费收缴率 {rate}",
                link=f"{sheet}?org={org_id}&month={month_label(as_of)}" if sheet else "",
            )
        )
    return out
