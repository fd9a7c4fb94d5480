"""Dues API: ``router`` at /api/v1/dues, ``member_router`` at /api/v1/members (a member's
dues). Thin: the gate, then a selector or a service."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from django.db.models import Prefetch
from ninja import Query, Router, Schema, Status
from pydantic import Field

from dangjian.api.types import Id, Year
from dangjian.core.errors import DomainError
from dangjian.core.idempotency import idempotent
from dangjian.core.scope import get_manageable, get_visible
from dangjian.dues import selectors, services
from dangjian.dues.models import DuesPaidMonth, DuesPayment
from dangjian.dues.rates import RateBook, parse_amount, parse_month
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
    return book.quote(category=payload.category, base=base, month=month, farmer_amount=farmer)


class SheetQuery(Schema):
    org: int | None = None
    month: str | None = None


@router.get("/sheet", response=SheetOut, summary="党支部月度党费收缴表")
def dues_sheet(request, filters: Query[SheetQuery]):
    org = _managed_org(request, filters.org)
    month = parse_month(filters.month) if filters.month else selectors.current_month()
    return selectors.monthly_sheet(org=org, month=month)


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
    warn, violation = int(params["warn_months"]), int(params["violation_months"])

    def level(months: int) -> str:
        return "violation" if months >= violation else "warning" if months >= warn else "notice"

    return [{**dataclasses.asdict(a), "level": level(a.months)} for a in rows]


class SummaryQuery(Schema):
    org: Id | None = None
    year: Year | None = None


@router.get("/summary", response=list[SummaryRowOut], summary="年度党费收缴汇总（各支部及合计）")
def dues_summary(request, filters: Query[SummaryQuery]):
    org = _managed_org(request, filters.org)
    year = filters.year or selectors.current_month().year
    return selectors.yearly_summary(org=org, year=year)


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
        # Stored for repeats of the same key: the answer as JSON.
        return 201, PaymentOut.from_orm(_payments().get(pk=payment.pk)).model_dump(mode="json")

    status, body = idempotent(request, run, endpoint="dues.payment_create", payload=data)
    return Status(status, body)


@router.get("/payments/{payment_id}", response=PaymentOut, summary="交纳记录详情")
def dues_payment_detail(request, payment_id: Id):
    return get_visible(_payments(), request.user, pk=payment_id)


@router.post("/payments/{payment_id}/void", response=PaymentOut, summary="作废交纳记录")
def dues_payment_void(request, payment_id: Id, payload: VoidIn):
    payment = get_manageable(DuesPayment.objects.select_related("org"), request.user, pk=payment_id)
    services.dues_payment_void(actor=request.user, payment=payment, reason=payload.reason)
    return _payments().get(pk=payment.pk)


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
    payments = list(_payments().filter(pk__in=[p.pk for p in dues.payments]))
    return dataclasses.replace(dues, payments=payments)


@member_router.post(
    "/{member_id}/dues/profile", response={201: ProfileOut}, summary="设置党费档案（类别、基数）"
)
def member_dues_profile(request, member_id: Id, payload: ProfileIn):
    member = get_manageable(Member.objects.select_related("org"), request.user, pk=member_id)
    data = payload.model_dump()
    data["effective_month"] = parse_month(payload.effective_month, field="effective_month")
    data["components"] = [c for c in data["components"]]
    profile = services.dues_profile_set(actor=request.user, member=member, **data)
    return Status(201, profile)
