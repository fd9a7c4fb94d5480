"""Demo dues data: a dues profile for every party member, months of payments (monthly or a
quarter at once, some by proxy, cash, transfer or online), a few members in arrears (3 to
8 months, so the compliance board shows warnings and violations), a reduced and a waived
member with their approval record, and last year's disclosure for each branch.

Written with ``bulk_insert`` / ``insert_rows`` (COPY on PostgreSQL), amounts computed with
the same ``RateBook`` the services use, so the city and province scales stay within the
demo's time budget.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from dangjian.core.bulk import bulk_insert, insert_rows, reset_sequences
from dangjian.core.bulk import next_id as first_id
from dangjian.core.calendar import add_months, month_range, month_start
from dangjian.core.demo import DemoContext
from dangjian.dues.models import DuesPaidMonth, DuesPayment, DuesProfile
from dangjian.dues.rates import Quote, RateBook
from dangjian.members.models import Member

PARTY = {Member.Status.FULL, Member.Status.PROBATIONARY}
# DUE-1 pay items of a civil servant (included) and the subsidies that are not counted.
TAX_SHARE = (Decimal("0.02"), Decimal("0.08"))


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"))


def build(ctx: DemoContext) -> None:
    rng, today = ctx.random, ctx.today
    book = RateBook()
    this_month = month_start(today)
    # City scale: this year only; otherwise since January of last year.
    history_start = dt.date(today.year, 1, 1) if ctx.bulk else dt.date(today.year - 1, 1, 1)
    last_closed = add_months(this_month, -1, first=True)
    included = list(book.rule("DUE-1", this_month).params.get("included") or [])
    excluded = list(book.rule("DUE-1", this_month).params.get("excluded") or [])

    profiles: list[DuesProfile] = []
    plans: list[tuple[Member, DuesProfile, dt.date, int]] = []
    reduced_done = waived_done = False
    for branch in ctx.branches:
        for member in ctx.members_by_org.get(branch.pk, []):
            if member.status not in PARTY:
                continue
            joined = member.joined_at or member.full_at
            if joined is None:
                continue
            start = max(history_start, month_start(joined))
            if member.is_retired:
                profile = DuesProfile(
                    member=member,
                    category="retired",
                    effective_month=start,
                    base=_money(rng.uniform(3800, 7800)),
                    note="基本退休费",
                )
            else:
                items = [_money(rng.uniform(1500, 5200)) for _ in included]
                subsidies = [_money(rng.uniform(200, 1500)) for _ in excluded]
                gross = sum(items, Decimal("0"))
                tax = _money(float(gross * rng.choice(TAX_SHARE)))
                profile = DuesProfile(
                    member=member,
                    category="employed",
                    effective_month=start,
                    base=gross - tax,
                    base_source=DuesProfile.BaseSource.COMPONENTS,
                    income_tax=tax,
                    components=[
                        *(
                            {"name": n, "amount": str(a), "counted": True}
                            for n, a in zip(included, items, strict=True)
                        ),
                        *(
                            {"name": n, "amount": str(a), "counted": False}
                            for n, a in zip(excluded, subsidies, strict=True)
                        ),
                    ],
                )
                if not reduced_done and rng.random() < 0.01:
                    profile.adjustment = DuesProfile.Adjustment.REDUCED
                    profile.adjusted_amount = Decimal("5.00")
                    reduced_done = True
                elif not waived_done and rng.random() < 0.01:
                    profile.adjustment = DuesProfile.Adjustment.WAIVED
                    waived_done = True
                if profile.adjustment != DuesProfile.Adjustment.NONE:
                    profile.branch_decided_on = start
                    profile.approved_on = start + dt.timedelta(days=12)
                    profile.approval_ref = "家庭困难，支部研究、上级党委批准"
            profile.created_by = ctx.actor
            profiles.append(profile)
            # How many closed months are left unpaid: most none, a few in arrears.
            roll = rng.random()
            unpaid = 0
            if roll < 0.01:
                unpaid = rng.randint(6, 8)
            elif roll < 0.04:
                unpaid = rng.randint(3, 5)
            elif roll < 0.15:
                unpaid = rng.randint(1, 2)
            plans.append((member, profile, start, unpaid))
    bulk_insert(DuesProfile, profiles)
    ctx.log(f"党费：{len(profiles)} 份党费档案")

    # Payments: months from the profile start up to the last paid month, monthly or by
    # quarter; then the current month for some who pay early. Written as plain rows with
    # executemany: the city scale has several hundred thousand of them.
    ops = connection.ops
    dates: dict[dt.date, object] = {}

    def day_value(day: dt.date):
        if day not in dates:
            dates[day] = ops.adapt_datefield_value(day)
        return dates[day]

    now = ops.adapt_datetimefield_value(timezone.now())
    next_id = first_id(DuesPayment)
    payments: list[tuple] = []
    paid_months: list[tuple] = []
    methods = [DuesPayment.Method.CASH, DuesPayment.Method.TRANSFER, DuesPayment.Method.ONLINE]
    prices: dict[tuple, Quote] = {}
    for member, profile, start, unpaid in plans:
        if profile.adjustment == DuesProfile.Adjustment.WAIVED:
            continue
        paid_to = add_months(last_closed, -unpaid, first=True)
        if not unpaid and rng.random() < 0.4:
            paid_to = this_month
        months = month_range(start, paid_to)
        step = 3 if rng.random() < 0.25 else 1
        proxy = rng.random() < 0.03
        for i in range(0, len(months), step):
            chunk = months[i : i + step]
            total = Decimal("0.00")
            for month in chunk:
                code = (
                    "DUE-5"
                    if profile.adjustment != DuesProfile.Adjustment.NONE
                    else "DUE-3"
                    if profile.category == "retired"
                    else "DUE-2"
                )
                key = (
                    profile.category,
                    profile.base,
                    profile.adjusted_amount,
                    book.rule(code, month).pk,
                )
                if key not in prices:
                    prices[key] = book.due(profile=profile, base_profile=profile, month=month)
                quote = prices[key]
                total += quote.amount
                paid_months.append(
                    (
                        next_id,
                        member.pk,
                        member.org_id,
                        day_value(month),
                        ops.adapt_decimalfield_value(quote.amount),
                        quote.rule_code,
                        quote.rule_version,
                        False,
                    )
                )
            day = min(today, chunk[0] + dt.timedelta(days=rng.randint(2, 12)))
            method = rng.choice(methods)
            payments.append(
                (
                    next_id,
                    now,
                    now,
                    member.pk,
                    member.org_id,
                    DuesPayment.Kind.REGULAR.value,
                    day_value(day),
                    ops.adapt_decimalfield_value(total),
                    str(method),
                    f"DJ{day:%Y%m%d}{member.pk:06d}" if method != "cash" else "",
                    f"{day:%Y}-{len(payments) + 1:06d}" if method == "cash" else "",
                    "家属代交" if proxy else "",
                    proxy,
                    len(chunk),
                    day_value(chunk[0]),
                    day_value(chunk[-1]),
                    False,
                    False,
                    "",
                    ctx.actor.pk,
                    None,
                    "",
                )
            )
            next_id += 1
    insert_rows(DuesPayment, PAYMENT_COLUMNS, payments)
    insert_rows(DuesPaidMonth, MONTH_COLUMNS, paid_months)
    reset_sequences(DuesPayment, DuesPaidMonth)
    ctx.log(
        f"党费：{len(payments)} 笔交纳记录，"
        f"{sum(1 for p in plans if p[3] >= 3)} 名党员连续欠交 3 个月以上"
    )
    if not ctx.bulk and not ctx.small:
        _disclose(ctx, today.year - 1)


PAYMENT_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "member_id",
    "org_id",
    "kind",
    "paid_on",
    "amount",
    "method",
    "reference",
    "receipt_no",
    "proxy_payer",
    "proxy_consent",
    "months_count",
    "first_month",
    "last_month",
    "back_payment",
    "remit_to_centre",
    "note",
    "recorded_by_id",
    "voided_at",
    "void_reason",
)
MONTH_COLUMNS = (
    "payment_id",
    "member_id",
    "org_id",
    "month",
    "amount",
    "rule_code",
    "rule_version",
    "voided",
)


def _disclose(ctx: DemoContext, year: int) -> None:
    from dangjian.dues.services import dues_disclosure_publish

    for branch in ctx.branches[:20]:
        dues_disclosure_publish(
            actor=ctx.actor,
            org=branch,
            year=year,
            usage=f"{year}年收缴的党费按规定全额上缴上级党委；上级下拨党费用于党员教育培训和走访慰问困难党员。",
        )
