"""Every change to dues data: a member's dues profile, payments (and voiding one), and the
branch's yearly disclosure. Amounts always come from the rules in force for each month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.core.actors import actor_user
from dangjian.core.audit import audit
from dangjian.core.calendar import month_start
from dangjian.core.choices import choices_text
from dangjian.core.dates import check_sensible_date
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import AuditEntry
from dangjian.dues.models import Category, DuesDisclosure, DuesPaidMonth, DuesPayment, DuesProfile
from dangjian.dues.rates import (
    BRACKET_RULE,
    RateBook,
    base_from_components,
    month_label,
    parse_amount,
)
from dangjian.dues.selectors import Ledger, current_month, yearly_summary
from dangjian.members.models import Member
from dangjian.orgs.models import Org

TEXT_MAX = 100


def _clean_text(value: str | None, *, field: str, label: str, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise DomainError(f"{label}过长（最多 {limit} 字）", field=field)
    return value


@transaction.atomic
def dues_profile_set(
    *,
    actor,
    member: Member,
    category: str,
    effective_month: dt.date,
    base=None,
    components: list[dict] | None = None,
    income_tax=None,
    farmer_amount=None,
    adjustment: str = DuesProfile.Adjustment.NONE,
    adjusted_amount=None,
    branch_decided_on: dt.date | None = None,
    approved_on: dt.date | None = None,
    approval_ref: str = "",
    note: str = "",
) -> DuesProfile:
    """Record a member's dues category and base from ``effective_month`` on. The previous
    versions stay (history). The base is either the pay items of DUE-1 minus income tax, or
    entered directly (for retired members: the basic pension, DUE-3)."""
    if member.status not in (Member.Status.FULL, Member.Status.PROBATIONARY):
        raise DomainError("只有正式党员和预备党员交纳党费", field="member")
    if category not in Category.values:
        raise DomainError(
            "党员类别无效，可选：" + choices_text(Category.choices),
            field="category",
        )
    if not isinstance(effective_month, dt.date):
        raise DomainError("请填写起始月份", field="effective_month")
    effective_month = month_start(effective_month)
    book = RateBook()
    profile = DuesProfile(
        member=member,
        category=category,
        effective_month=effective_month,
        note=_clean_text(note, field="note", label="备注", limit=200),
        created_by=actor_user(actor),
    )
    if category in BRACKET_RULE:
        if components:
            if category == Category.RETIRED:
                raise DomainError(
                    "离退休党员以基本退休费为交纳基数（DUE-3），请直接填写基数", field="base"
                )
            tax = parse_amount(
                income_tax if income_tax not in (None, "") else "0",
                field="income_tax",
                label="个人所得税",
            )
            params = book.rule("DUE-1", effective_month).params
            profile.base, profile.components = base_from_components(components, tax, params)
            profile.income_tax = tax
            profile.base_source = DuesProfile.BaseSource.COMPONENTS
        else:
            profile.base = parse_amount(base, field="base", label="交纳基数")
            profile.base_source = DuesProfile.BaseSource.DIRECT
    elif base not in (None, "") or components:
        raise DomainError(
            f"{Category(category).label}党员按固定标准交纳（DUE-4），无需填写基数", field="base"
        )
    if category == Category.FARMER and farmer_amount not in (None, ""):
        profile.farmer_amount = parse_amount(
            farmer_amount, field="farmer_amount", label="农民党员月交额"
        )
    if adjustment not in DuesProfile.Adjustment.values:
        raise DomainError(
            "少交/免交取值无效，可选：" + choices_text(DuesProfile.Adjustment.choices),
            field="adjustment",
        )
    profile.adjustment = adjustment
    if adjustment != DuesProfile.Adjustment.NONE:
        params = book.rule("DUE-5", effective_month).params
        missing = []
        if params.get("require_approval_record", True):
            if not branch_decided_on:
                missing.append(("branch_decided_on", "支部研究日期"))
            if not approved_on:
                missing.append(("approved_on", "上级党委批准日期"))
            if not (approval_ref or "").strip():
                missing.append(("approval_ref", "批准文件或记录"))
        if missing:
            raise DomainError(
                "少交或免交须经党支部研究、上一级党委批准（DUE-5），请填写"
                + "、".join(label for _, label in missing),
                errors=[{"field": f, "message": f"请填写{label}"} for f, label in missing],
                rule="DUE-5",
            )
        if branch_decided_on and approved_on and approved_on < branch_decided_on:
            raise DomainError("上级党委批准日期不能早于支部研究日期", field="approved_on")
        if approved_on and approved_on > timezone.localdate():
            raise DomainError("批准日期不能晚于今天", field="approved_on")
        profile.branch_decided_on, profile.approved_on = branch_decided_on, approved_on
        profile.approval_ref = _clean_text(approval_ref, field="approval_ref", label="批准文件")
        if adjustment == DuesProfile.Adjustment.REDUCED:
            profile.adjusted_amount = parse_amount(
                adjusted_amount, field="adjusted_amount", label="核准月交额", allow_zero=False
            )
    # Compute once with the rules in force, so a profile that cannot be priced is refused.
    quote = book.due(profile=profile, base_profile=profile, month=effective_month)
    profile.save()
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=profile,
        org=member.org,
        verb="设置党费档案",
        changes={
            "member": member.pk,
            "category": category,
            "effective_month": month_label(effective_month),
            "base": profile.base,
            "adjustment": adjustment,
            "amount": quote.amount,
            "rule": f"{quote.rule_code} v{quote.rule_version}",
        },
    )
    return profile


def _parse_months(months) -> list[dt.date]:
    from dangjian.dues.rates import parse_month

    out = []
    for i, value in enumerate(months or []):
        month = (
            month_start(value)
            if isinstance(value, dt.date)
            else parse_month(str(value), field=f"months.{i}")
        )
        out.append(month)
    if len(set(out)) != len(out):
        raise DomainError("所交月份有重复", field="months")
    return sorted(out)


@transaction.atomic
def dues_payment_record(
    *,
    actor,
    member: Member,
    paid_on: dt.date,
    method: str,
    months=None,
    amount=None,
    kind: str = DuesPayment.Kind.REGULAR,
    reference: str = "",
    receipt_no: str = "",
    proxy_payer: str = "",
    proxy_consent: bool = False,
    note: str = "",
) -> DuesPayment:
    """Record a payment. Regular dues cover one or more months (a quarter at once, or back
    payments); each month's amount is what the rule then in force requires, and ``amount``,
    if given, must equal their sum. A month already paid is refused (409), so a payment is
    never recorded twice. Back payment beyond DUE-9's months is recorded and flagged; a
    voluntary one-off payment at or above DUE-8's threshold is marked for the centre."""
    if member.status not in (Member.Status.FULL, Member.Status.PROBATIONARY):
        raise DomainError("只有正式党员和预备党员交纳党费", field="member")
    if kind not in DuesPayment.Kind.values:
        raise DomainError("类型无效，可选：" + choices_text(DuesPayment.Kind.choices), field="kind")
    if method not in DuesPayment.Method.values:
        raise DomainError(
            "交纳方式无效，可选：" + choices_text(DuesPayment.Method.choices),
            field="method",
        )
    if not isinstance(paid_on, dt.date):
        raise DomainError("请填写交纳日期", field="paid_on")
    check_sensible_date(paid_on, field="paid_on")
    today = timezone.localdate()
    if paid_on > today:
        raise DomainError("交纳日期不能晚于今天", field="paid_on")
    reference = _clean_text(reference, field="reference", label="流水号")
    receipt_no = _clean_text(receipt_no, field="receipt_no", label="收据号", limit=50)
    proxy_payer = _clean_text(proxy_payer, field="proxy_payer", label="代交人", limit=50)
    if method in (DuesPayment.Method.TRANSFER, DuesPayment.Method.ONLINE) and not reference:
        raise DomainError("银行转账或线上支付须填写流水号", field="reference")
    book = RateBook()
    rule9 = book.rule("DUE-9", month_start(paid_on))
    if proxy_payer and rule9.params.get("proxy_needs_consent", True) and not proxy_consent:
        raise DomainError(
            "委托他人代交须经党支部同意（DUE-9），请确认已取得支部同意",
            field="proxy_consent",
            rule="DUE-9",
        )
    payment = DuesPayment(
        member=member,
        org=member.org,
        kind=kind,
        paid_on=paid_on,
        method=method,
        reference=reference,
        receipt_no=receipt_no,
        proxy_payer=proxy_payer,
        proxy_consent=bool(proxy_payer) and bool(proxy_consent),
        note=_clean_text(note, field="note", label="备注", limit=200),
        recorded_by=actor_user(actor),
    )
    rows: list[DuesPaidMonth] = []
    if kind == DuesPayment.Kind.VOLUNTARY:
        if months:
            raise DomainError("自愿多交党费不对应月份，请不要选择月份", field="months")
        payment.amount = parse_amount(amount, field="amount", label="金额", allow_zero=False)
        threshold = book.rule("DUE-8", month_start(paid_on)).params.get("remit_threshold")
        payment.remit_to_centre = threshold is not None and payment.amount >= Decimal(
            str(threshold)
        )
    else:
        month_list = _parse_months(months)
        if not month_list:
            raise DomainError("请选择所交月份", field="months")
        ledger = Ledger(Member.objects.filter(pk=member.pk), month_list[0], month_list[-1])
        row = ledger.members[0]
        total = Decimal("0.00")
        for month in month_list:
            line = ledger.line(row, month)
            label = f"{month:%Y年%-m月}"
            if line.state == "paid":
                raise Conflict(f"{label}党费已交纳，不能重复记录", field="months")
            if line.state == "not_owed":
                raise DomainError(f"{label}该党员无需交纳党费（DUE-6）", field="months")
            if line.state == "no_profile":
                raise DomainError(f"{label}尚无党费档案，请先设置交纳基数", field="months")
            if line.state == "error":
                raise DomainError(f"{label}：{line.explanation}", field="months")
            if line.state == "waived":
                raise DomainError(f"{label}经批准免交，无需交纳", field="months")
            total += line.amount
            rows.append(
                DuesPaidMonth(
                    member=member,
                    org=member.org,
                    month=month,
                    amount=line.amount,
                    rule_code=line.rule_code,
                    rule_version=line.rule_version,
                )
            )
        if amount not in (None, ""):
            given = parse_amount(amount, field="amount", label="金额")
            if given != total:
                detail = "，".join(f"{r.month:%Y-%m} {r.amount} 元" for r in rows)
                raise DomainError(
                    f"金额 {given} 元与应交 {total} 元不符（{detail}）", field="amount"
                )
        payment.amount = total
        payment.months_count = len(rows)
        payment.first_month, payment.last_month = month_list[0], month_list[-1]
        back = [m for m in month_list if m < month_start(paid_on)]
        limit = rule9.params.get("back_payment_max_months")
        payment.back_payment = limit is not None and len(back) > int(limit)
    try:
        with transaction.atomic():
            payment.save()
            for r in rows:
                r.payment = payment
            DuesPaidMonth.objects.bulk_create(rows)
    except IntegrityError:
        raise Conflict("所选月份的党费已交纳，不能重复记录", field="months")
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=payment,
        verb="记录党费交纳",
        changes={
            "member": member.pk,
            "amount": payment.amount,
            "months": [month_label(r.month) for r in rows],
            "method": method,
            "proxy_payer": proxy_payer,
            "back_payment": payment.back_payment,
            "remit_to_centre": payment.remit_to_centre,
        },
    )
    return payment


@transaction.atomic
def dues_payment_void(*, actor, payment: DuesPayment, reason: str) -> DuesPayment:
    """Cancel a wrongly recorded payment: its months become unpaid again; kept for audit."""
    reason = _clean_text(reason, field="reason", label="作废原因", limit=200)
    if not reason:
        raise DomainError("请填写作废原因", field="reason")
    payment = DuesPayment.objects.select_for_update().get(pk=payment.pk)
    if payment.voided_at is not None:
        raise Conflict("该交纳记录已作废")
    payment.voided_at, payment.void_reason = timezone.now(), reason
    payment.save(update_fields=["voided_at", "void_reason", "updated_at"])
    DuesPaidMonth.objects.filter(payment=payment).update(voided=True)
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=payment,
        verb="作废党费交纳记录",
        changes={"voided": [False, True], "reason": reason},
    )
    return payment


@transaction.atomic
def dues_disclosure_publish(*, actor, org: Org, year: int, usage: str) -> DuesDisclosure:
    """Publish (or re-publish) a branch's yearly collection and use of dues (DUE-12), with
    the figures frozen at publication."""
    if org.kind != Org.Kind.BRANCH:
        raise DomainError("党费收缴使用情况由党支部公开，请选择党支部", field="org")
    today = timezone.localdate()
    if not 2000 <= int(year) <= today.year:
        raise DomainError(f"年度应在 2000—{today.year} 之间", field="year")
    usage = (usage or "").strip()
    if not usage:
        raise DomainError("请填写党费使用情况（如：全额上缴上级党委、用于……）", field="usage")
    if len(usage) > 2000:
        raise DomainError("使用情况过长（最多 2000 字）", field="usage")
    rows = yearly_summary(org=org, year=int(year), today=today)
    total = rows[-1]
    last = min(dt.date(int(year), 12, 1), current_month(today))
    remitted = DuesPayment.objects.valid().filter(org=org, paid_on__year=year, remit_to_centre=True)
    figures = {
        "members": total.headcount,
        "due": str(total.totals.due),
        "paid": str(total.totals.paid),
        "rate": str(total.totals.amount_rate) if total.totals.amount_rate is not None else None,
        "through": month_label(last),
        "voluntary_to_centre": str(sum((p.amount for p in remitted), Decimal("0.00"))),
    }
    disclosure, created = DuesDisclosure.objects.update_or_create(
        org=org,
        year=int(year),
        defaults={
            "figures": figures,
            "usage": usage,
            "published_at": timezone.now(),
            "published_by": actor_user(actor),
        },
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=disclosure,
        verb="公开党费收缴使用情况",
        changes={"year": year, **figures},
    )
    return disclosure
