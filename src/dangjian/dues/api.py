"""Dues API: ``router`` at /api/v1/dues, ``member_router`` at /api/v1/members (a member's
dues). Thin: the gate, then a selector or a service."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from django.db.models import Prefetch
from ninja import Query, Router, Schema, Status
from pydantic import Field

from dangjian.api.types import Id, Year
from dangjian.core.errors import DomainError
from dangjian.core.idempotency import idempotent
from dangjian.core.scope import get_manageable, get_visible
from dangjian.dues import selectors, services
from dangjian.dues.models import DuesPaidMonth, DuesPayment, DuesProfile
from dangjian.dues.rates import RateBook, month_label, parse_amount, parse_month
from dangjian.dues.schemas import (
    ArrearOut,
    MemberDuesOut,
    PaymentIn,
    PaymentOut,
    ProfileIn,
    ProfileOut,
    QuoteIn,
    QuoteOut,
    SheetOut,
    SummaryRowOut,
    VoidIn,
)
from dangjian.members.models import Member
from dangjian.orgs.models import Org

router = Router(tags=["党费"])
member_router = Router(tags=["党费"])


def _s(value) -> str | None:
    return None if value is None else str(value)


def line_out(line: selectors.Line) -> dict:
    return {
        "member": line.member_id,
        "name": line.name,
        "org": line.org_id,
        "month": month_label(line.month),
        "state": line.state,
        "state_label": line.state_label,
        "category": line.category,
        "base": _s(line.base),
        "rate": _s(line.rate),
        "amount": _s(line.amount),
        "rule": line.rule_code,
        "rule_version": line.rule_version,
        "explanation": line.explanation,
        "paid_amount": _s(line.paid_amount),
        "paid_on": line.paid_on,
        "method": line.method,
        "payment": line.payment_id,
    }


def totals_out(t: selectors.Totals) -> dict:
    return {
        "members": t.members,
        "paid_members": t.paid_members,
        "unpaid_members": t.unpaid_members,
        "due": str(t.due),
        "paid": str(t.paid),
        "rate": _s(t.rate),
        "amount_rate": _s(t.amount_rate),
    }


def payment_out(p: DuesPayment) -> dict:
    return {
        "id": p.pk,
        "member": p.member_id,
        "org": p.org_id,
        "kind": p.kind,
        "paid_on": p.paid_on.isoformat(),
        "amount": str(p.amount),
        "method": p.method,
        "reference": p.reference,
        "receipt_no": p.receipt_no,
        "proxy_payer": p.proxy_payer,
        "months": [
            {
                "month": month_label(m.month),
                "amount": str(m.amount),
                "rule": m.rule_code,
                "rule_version": m.rule_version,
            }
            for m in p.months.all()
        ],
        "back_payment": p.back_payment,
        "remit_to_centre": p.remit_to_centre,
        "voided": p.voided_at is not None,
    }


def profile_out(p: DuesProfile | None) -> dict | None:
    if p is None:
        return None
    return {
        "id": p.pk,
        "category": p.category,
        "effective_month": month_label(p.effective_month),
        "base": _s(p.base),
        "base_source": p.base_source,
        "components": p.components,
        "income_tax": str(p.income_tax),
        "farmer_amount": _s(p.farmer_amount),
        "adjustment": p.adjustment,
        "adjusted_amount": _s(p.adjusted_amount),
        "approval_ref": p.approval_ref,
    }


def _payments():
    return DuesPayment.objects.prefetch_related(
        Prefetch("months", queryset=DuesPaidMonth.objects.order_by("month"))
    )


def _managed_org(request, org_id: Id | None) -> Org:
    if org_id is None:
        raise DomainError("请指定党组织（org）", field="org")
    return get_manageable(Org.objects.all(), request.user, pk=org_id)


@router.post("/quote", response=QuoteOut, summary="按现行规则测算月交党费")
def dues_quote(request, payload: QuoteIn):
    """例：`{"category": "employed", "base": "4999.99"}` →
    `{"rate": "0.01", "amount": "50.00", "rule": "DUE-2"}`。固定标准类别的 rate 为 null。"""
    month = parse_month(payload.month) if payload.month else selectors.current_month()
    book = RateBook()
    base = None
    if payload.category in ("employed", "retired") or payload.base not in (None, ""):
        base = parse_amount(payload.base, field="base", label="交纳基数")
    farmer = None
    if payload.farmer_amount not in (None, ""):
        farmer = parse_amount(payload.farmer_amount, field="farmer_amount", label="月交额")
    quote = book.quote(category=payload.category, base=base, month=month, farmer_amount=farmer)
    return {
        "rate": _s(quote.rate),
        "amount": str(quote.amount),
        "rule": quote.rule_code,
        "rule_version": quote.rule_version,
        "explanation": quote.explanation,
    }


class SheetQuery(Schema):
    org: int | None = None
    month: str | None = None


@router.get("/sheet", response=SheetOut, summary="党支部月度党费收缴表")
def dues_sheet(request, filters: Query[SheetQuery]):
    org = _managed_org(request, filters.org)
    month = parse_month(filters.month) if filters.month else selectors.current_month()
    sheet = selectors.monthly_sheet(org=org, month=month)
    return {
        "org": org.pk,
        "org_name": org.name,
        "month": sheet.month_label,
        "totals": totals_out(sheet.totals),
        "rows": [line_out(x) for x in sheet.lines],
    }


class ArrearsQuery(Schema):
    org: int | None = None
    month: str | None = None
    min_months: Annotated[int, Field(ge=1, le=1200)] = 1


@router.get("/arrears", response=list[ArrearOut], summary="连续未交党费的党员（DUE-10）")
def dues_arrears(request, filters: Query[ArrearsQuery]):
    org = _managed_org(request, filters.org)
    today = selectors.current_month()
    month = parse_month(filters.month) if filters.month else today
    as_of = selectors.closed_month(month, today)
    book = RateBook()
    params = book.rule("DUE-10", as_of).params
    rows = selectors.arrears(org=org, as_of=as_of, min_months=max(1, filters.min_months), book=book)
    out = []
    for a in rows:
        level = (
            "violation"
            if a.months >= int(params["violation_months"])
            else "warning"
            if a.months >= int(params["warn_months"])
            else "notice"
        )
        out.append(
            {
                "member": a.member_id,
                "name": a.name,
                "org": a.org_id,
                "months": a.months,
                "since": month_label(a.since),
                "last_paid": month_label(a.last_paid),
                "level": level,
            }
        )
    return out


class SummaryQuery(Schema):
    org: Id | None = None
    year: Year | None = None


@router.get("/summary", response=list[SummaryRowOut], summary="年度党费收缴汇总（各支部及合计）")
def dues_summary(request, filters: Query[SummaryQuery]):
    org = _managed_org(request, filters.org)
    year = filters.year or selectors.current_month().year
    rows = selectors.yearly_summary(org=org, year=year)
    return [
        {
            "org": r.org.pk,
            "org_name": r.org.name if r is not rows[-1] else f"{r.org.name}（合计）",
            "members": r.headcount,
            "due": str(r.totals.due),
            "paid": str(r.totals.paid),
            "rate": _s(r.totals.amount_rate),
        }
        for r in rows
    ]


@router.post(
    "/payments", response={201: PaymentOut}, summary="记录党费交纳（支持 Idempotency-Key）"
)
def dues_payment_create(request, payload: PaymentIn):
    """请求头 `Idempotency-Key` 相同的重试只记录一次，返回首次的结果。"""
    data = payload.model_dump(mode="json")

    def run():
        member = get_manageable(
            Member.objects.select_related("org"), request.user, pk=payload.member
        )
        payment = services.dues_payment_record(
            actor=request.user,
            member=member,
            paid_on=payload.paid_on,
            method=payload.method,
            months=payload.months,
            amount=payload.amount,
            kind=payload.kind,
            reference=payload.reference,
            receipt_no=payload.receipt_no,
            proxy_payer=payload.proxy_payer,
            proxy_consent=payload.proxy_consent,
            note=payload.note,
        )
        return 201, payment_out(_payments().get(pk=payment.pk))

    status, body = idempotent(request, run, endpoint="dues.payment_create", payload=data)
    return Status(status, body)


@router.get("/payments/{payment_id}", response=PaymentOut, summary="交纳记录详情")
def dues_payment_detail(request, payment_id: Id):
    return payment_out(get_visible(_payments(), request.user, pk=payment_id))


@router.post("/payments/{payment_id}/void", response=PaymentOut, summary="作废交纳记录")
def dues_payment_void(request, payment_id: Id, payload: VoidIn):
    payment = get_manageable(DuesPayment.objects.select_related("org"), request.user, pk=payment_id)
    services.dues_payment_void(actor=request.user, payment=payment, reason=payload.reason)
    return payment_out(_payments().get(pk=payment.pk))


class MemberDuesQuery(Schema):
    first: str | None = None
    last: str | None = None


@member_router.get(
    "/{member_id}/dues", response=MemberDuesOut, summary="党员的党费：每月应交、已交"
)
def member_dues(request, member_id: Id, filters: Query[MemberDuesQuery]):
    member = get_visible(Member.objects.select_related("org"), request.user, pk=member_id)
    last = parse_month(filters.last, field="last") if filters.last else None
    first = parse_month(filters.first, field="first") if filters.first else None
    if first and last and first > last:
        raise DomainError("起始月份不能晚于截止月份", field="first")
    if first and last and (last.year - first.year) * 12 + last.month - first.month > 119:
        raise DomainError("一次最多查询 120 个月", field="first")
    dues = selectors.member_dues(member=member, first=first, last=last)
    payments = _payments().filter(pk__in=[p.pk for p in dues.payments])
    return {
        "member": member.pk,
        "name": member.name,
        "paid_to": dues.paid_to,
        "profile": profile_out(dues.profile),
        "unpaid_months": [month_label(x.month) for x in dues.unpaid],
        "unpaid_total": str(dues.unpaid_total.quantize(Decimal("0.01"))),
        "months": [line_out(x) for x in dues.lines],
        "payments": [payment_out(p) for p in payments],
    }


@member_router.post(
    "/{member_id}/dues/profile", response={201: ProfileOut}, summary="设置党费档案（类别、基数）"
)
def member_dues_profile(request, member_id: Id, payload: ProfileIn):
    member = get_manageable(Member.objects.select_related("org"), request.user, pk=member_id)
    data = payload.model_dump()
    data["effective_month"] = parse_month(payload.effective_month, field="effective_month")
    data["components"] = [c for c in data["components"]]
    profile = services.dues_profile_set(actor=request.user, member=member, **data)
    return Status(201, profile_out(profile))
