"""Demo dues data: a dues profile for every party member, months of payments (monthly or a
quarter at once, some by proxy, cash, transfer or online), a few members in arrears (3 to
8 months, so the compliance board shows warnings and violations), a reduced and a waived
member with their approval record, and last year's disclosure for each branch.

Written with ``bulk_create`` (amounts computed with the same ``RateBook`` the services use),
so the city scale (50,000 members) stays within the demo's time budget.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dangjian.core.demo import DemoContext
from dangjian.dues.models import DuesPaidMonth, DuesPayment, DuesProfile
from dangjian.dues.rates import Quote, RateBook, add_months, month_range, month_start
from dangjian.members.models import Member

BATCH = 5000
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
    last_closed = add_months(this_month, -1)
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
    DuesProfile.objects.bulk_create(profiles, batch_size=BATCH)
    ctx.log(f"党费：{len(profiles)} 份党费档案")

    # Payments: months from the profile start up to the last paid month, monthly or by
    # quarter; then the current month for some who pay early.
    payments: list[DuesPayment] = []
    months_of: list[list[DuesPaidMonth]] = []
    methods = [DuesPayment.Method.CASH, DuesPayment.Method.TRANSFER, DuesPayment.Method.ONLINE]
    prices: dict[tuple, Quote] = {}
    for member, profile, start, unpaid in plans:
        if profile.adjustment == DuesProfile.Adjustment.WAIVED:
            continue
        paid_to = add_months(last_closed, -unpaid)
        if not unpaid and rng.random() < 0.4:
            paid_to = this_month
        months = month_range(start, paid_to)
        by_quarter = rng.random() < 0.25
        step = 3 if by_quarter else 1
        proxy = rng.random() < 0.03
        for i in range(0, len(months), step):
            chunk = months[i : i + step]
            rows = []
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
                rows.append(
                    DuesPaidMonth(
                        member=member,
                        org_id=member.org_id,
                        month=month,
                        amount=quote.amount,
                        rule_code=quote.rule_code,
                        rule_version=quote.rule_version,
                    )
                )
            day = min(today, chunk[0] + dt.timedelta(days=rng.randint(2, 12)))
            method = rng.choice(methods)
            payments.append(
                DuesPayment(
                    member=member,
                    org_id=member.org_id,
                    paid_on=day,
                    amount=sum((r.amount for r in rows), Decimal("0.00")),
                    method=method,
                    reference=f"DJ{day:%Y%m%d}{member.pk:06d}" if method != "cash" else "",
                    receipt_no=f"{day:%Y}-{len(payments) + 1:06d}" if method == "cash" else "",
                    proxy_payer="家属代交" if proxy else "",
                    proxy_consent=proxy,
                    months_count=len(rows),
                    first_month=chunk[0],
                    last_month=chunk[-1],
                    recorded_by=ctx.actor,
                )
            )
            months_of.append(rows)
    for start in range(0, len(payments), BATCH):
        chunk = payments[start : start + BATCH]
        DuesPayment.objects.bulk_create(chunk)
        rows = []
        for payment, paid in zip(chunk, months_of[start : start + BATCH], strict=True):
            for row in paid:
                row.payment = payment
                rows.append(row)
        DuesPaidMonth.objects.bulk_create(rows, batch_size=BATCH)
    ctx.log(
        f"党费：{len(payments)} 笔交纳记录，"
        f"{sum(1 for p in plans if p[3] >= 3)} 名党员连续欠交 3 个月以上"
    )
    if not ctx.bulk and not ctx.small:
        _disclose(ctx, today.year - 1)


def _disclose(ctx: DemoContext, year: int) -> None:
    from dangjian.dues.services import dues_disclosure_publish

    for branch in ctx.branches[:20]:
        dues_disclosure_publish(
            actor=ctx.actor,
            org=branch,
            year=year,
            usage=f"{year}年收缴的党费按规定全额上缴上级党委；上级下拨党费用于党员教育培训和走访慰问困难党员。",
        )
