"""Compliance checks the dues app contributes to the standards engine."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db.models import Count
from django.urls import NoReverseMatch, reverse

from dangjian.core.calendar import add_months
from dangjian.dues.rates import RateBook, month_label
from dangjian.dues.selectors import PARTY, arrears, closed_month, members_of, paid_counts
from dangjian.members.models import Member
from dangjian.orgs.models import Org
from dangjian.standards.registry import CheckContext, Finding, Param, register, watch

_ONE_DAY = dt.timedelta(days=1)

# A payment recorded or voided, a dues profile changed: the org's dues findings go stale.
watch(
    "dues.DuesPayment",
    orgs=lambda p: [p.org_id],
    checkers=("dues_arrears",),
    years=lambda p: {d.year for d in (p.paid_on, p.first_month, p.last_month) if d},
)
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
    # Collection rate per branch for the month judged: who owes (one grouped count, read
    # from the rolls index alone — ``COUNT(*)``, no list of 2,000 branch ids for the
    # planner: 41 ms to 11 ms on PostgreSQL) and who paid (one aggregate).
    if ctx.facts is not None:  # the engine's subtree filter (none for a top-level root)
        owing_qs = ctx.facts.in_subtree(
            Member.objects.filter(status__in=PARTY).exclude(left_on__lt=as_of), "org__path"
        )
    else:
        owing_qs = members_of(ctx.root, as_of)
    owing = dict(
        owing_qs.values("org_id").annotate(n=Count("*")).values_list("org_id", "n").order_by()
    )
    paid = paid_counts(org=ctx.root, month=as_of)
    sheet = _link("dues:sheet")
    # Per branch only the counts differ: the month's label and the status are drawn once
    # (``month_label`` three times per branch was a quarter of the rule).
    month = month_label(as_of)
    expected = f"无连续 {warn} 个月以上未交党费的党员"
    make = ctx.make
    ok = Finding.Status.OK
    for org_id, name in branches.items():
        if flagged[org_id]:
            continue
        total = owing.get(org_id, 0)
        done = paid.get(org_id, 0)
        rate = f"{done * 100 / total:.1f}%" if total else "—"
        out.append(
            make(
                org_id,
                label,
                ok,
                expected,
                f"{month} 收缴率 {rate}（已交 {done}/{total} 人），当月未交 {unpaid[org_id]} 人",
                f"{name} {month} 党费收缴率 {rate}",
                f"{sheet}?org={org_id}&month={month}" if sheet else "",
                None,
                name,
            )
        )
    return out


# Parameters of the dues rules that the rate book and pages read directly (dues/standards.toml).
from dangjian.standards.params import register_params  # noqa: E402 (with its block)

register_params(
    included=Param("list", label="计入交纳基数的收入项目"),
    excluded=Param("list", label="不计入交纳基数的项目"),
    deduct_income_tax=Param("bool", label="按税后收入计算"),
    quantum=Param(
        "choice",
        label="党费金额精确到",
        choices=(("0.01", "分（0.01元）"), ("0.1", "角（0.1元）"), ("1", "元")),
    ),
    rounding=Param(
        "choice",
        label="舍入方式",
        choices=(
            ("half_up", "四舍五入"),
            ("up", "进位"),
            ("down", "舍去"),
            ("half_even", "银行家舍入"),
        ),
    ),
    brackets=Param(
        "table",
        label="交纳比例档次（按整个基数适用一个比例）",
        columns={
            "up_to": Param(
                "decimal", required=False, min=0, label="月收入上限（含；最后一档留空）", unit="元"
            ),
            "rate": Param("decimal", min=0, max=1, label="交纳比例", unit="%"),
        },
    ),
    farmer_min=Param("decimal", min=0, label="农民党员每月至少", unit="元"),
    farmer_max=Param("decimal", min=0, label="农民党员每月至多", unit="元"),
    fixed_amount=Param("decimal", min=0, label="固定交纳金额（每月）", unit="元"),
    fixed_categories=Param(
        "list",
        label="按固定金额交纳的党员",
        choices=(
            ("student", "学生党员"),
            ("unemployed", "下岗失业党员"),
            ("relief", "领取救济或低保的党员"),
        ),
    ),
    decided_by=Param("choice", label="提出意见", choices=(("branch", "党支部"),)),
    approved_by=Param("choice", label="批准", choices=(("next_level_committee", "上一级党委"),)),
    require_approval_record=Param("bool", label="须留存批准记录"),
    owe_from=Param(
        "choice", label="开始交纳党费", choices=(("joined_at", "支部大会通过为预备党员之日"),)
    ),
    include_first_month=Param("bool", label="通过当月即开始交纳"),
    modes=Param(
        "list",
        label="交纳基数核定方式",
        choices=(("agency", "机关单位年初核定、一年不变"), ("follow_pay", "随工资变动调整")),
    ),
    agency_fix_month=Param("int", min=1, max=12, label="机关单位每年核定基数的月份", unit="月"),
    remit_threshold=Param("decimal", min=0, label="一次性多交党费全部上缴中央的起点", unit="元"),
    max_months_at_once=Param("int", min=1, label="经同意一次最多交纳", unit="个月"),
    back_payment_max_months=Param("int", min=0, label="补交一般不超过", unit="个月"),
    proxy_needs_consent=Param("bool", label="委托他人代交须经党支部同意"),
    forbidden_methods=Param(
        "list",
        label="不得采用的交纳方式",
        choices=(("unit_funds", "用公款代缴"), ("payroll_deduction", "单位代扣")),
    ),
    collection_day=Param("int", min=1, max=31, label="每月固定收缴日", unit="日"),
    disclosures_per_year=Param("int", min=0, label="每年公开收缴使用情况", unit="次"),
)
