"""Input and output of the dues API. Amounts and bases are decimal strings ("4999.99")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field

from dangjian.api.types import Id
from dangjian.core.choices import choices_text
from dangjian.dues.models import Category, DuesPayment, DuesProfile

# Amounts and bases: a decimal string ("4999.99"; numbers are accepted too), validated by
# the service with a Chinese message (negative, not a number, more than two decimals).
Amount = Any


def _decimal_text(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _month_text(value: Any) -> Any:
    return f"{value:%Y-%m}" if isinstance(value, dt.date) else value


# Outputs read the selectors' objects: a Decimal is answered as its string ("4999.99"), a
# month (the first day of it) as "YYYY-MM".
DecimalText = Annotated[str, BeforeValidator(_decimal_text)]
MonthText = Annotated[str, BeforeValidator(_month_text)]


class QuoteIn(Schema):
    category: str = Field(description=choices_text(Category.choices))
    base: Amount | None = Field(None, description='月交纳基数（元），如 "4999.99"')
    farmer_amount: Amount | None = Field(None, description="农民党员自报月交额")
    month: str | None = Field(None, description="按该月生效的规则计算，YYYY-MM，默认本月")


class QuoteOut(Schema):
    rate: DecimalText | None
    amount: DecimalText
    rule: str = Field(alias="rule_code")
    rule_version: int
    explanation: str


class LineOut(Schema):
    member: int = Field(alias="member_id")
    name: str
    org: int = Field(alias="org_id")
    month: MonthText
    state: str
    state_label: str
    category: str
    base: DecimalText | None
    rate: DecimalText | None
    amount: DecimalText | None
    rule: str = Field(alias="rule_code")
    rule_version: int
    explanation: str
    paid_amount: DecimalText | None
    paid_on: dt.date | None
    method: str
    payment: int | None = Field(alias="payment_id")


class TotalsOut(Schema):
    members: int
    paid_members: int
    unpaid_members: int
    due: DecimalText
    paid: DecimalText
    rate: DecimalText | None = Field(description="按人数的收缴率（%）")
    amount_rate: DecimalText | None = Field(description="按金额的收缴率（%）")


class SheetOut(Schema):
    org: int = Field(alias="org.pk")
    org_name: str = Field(alias="org.name")
    month: MonthText
    totals: TotalsOut
    rows: list[LineOut] = Field(alias="lines")


class PaymentIn(Schema):
    member: Id
    paid_on: dt.date
    method: str = Field(description=choices_text(DuesPayment.Method.choices))
    months: list[str] = Field(default_factory=list, description='所交月份，如 ["2026-10"]')
    amount: Amount | None = Field(None, description="合计金额；填写时须等于应交")
    kind: str = Field("regular", description=choices_text(DuesPayment.Kind.choices))
    reference: str = ""
    receipt_no: str = ""
    proxy_payer: str = ""
    proxy_consent: bool = False
    note: str = ""


class PaidMonthOut(Schema):
    model_config = ConfigDict(populate_by_name=True)  # see PaymentOut

    month: MonthText
    amount: DecimalText
    rule: str = Field(alias="rule_code")
    rule_version: int


class PaymentOut(Schema):
    # A payment with its months (``months`` prefetched in month order). Also read from the
    # stored JSON answer of a repeated request (Idempotency-Key), by field name.
    model_config = ConfigDict(populate_by_name=True)

    id: int
    member: int = Field(alias="member_id")
    org: int = Field(alias="org_id")
    kind: str
    paid_on: dt.date
    amount: DecimalText
    method: str
    reference: str
    receipt_no: str
    proxy_payer: str
    months: list[PaidMonthOut]
    back_payment: bool
    remit_to_centre: bool
    voided: bool


class VoidIn(Schema):
    reason: str


class ComponentIn(Schema):
    name: str
    amount: Amount


class ProfileIn(Schema):
    category: str = Field(description=choices_text(Category.choices))
    effective_month: str = Field(description="YYYY-MM")
    base: Amount | None = None
    components: list[ComponentIn] = Field(default_factory=list, description="工资项目（DUE-1）")
    income_tax: Amount | None = None
    farmer_amount: Amount | None = None
    adjustment: str = Field("none", description=choices_text(DuesProfile.Adjustment.choices))
    adjusted_amount: Amount | None = None
    branch_decided_on: dt.date | None = None
    approved_on: dt.date | None = None
    approval_ref: str = ""
    note: str = ""


class ProfileOut(Schema):
    id: int
    category: str
    effective_month: MonthText
    base: DecimalText | None
    base_source: str
    components: list
    income_tax: DecimalText
    farmer_amount: DecimalText | None
    adjustment: str
    adjusted_amount: DecimalText | None
    approval_ref: str


class MemberDuesOut(Schema):
    # A member's dues (``selectors.MemberDues``; ``api.member_dues`` gives the payments with
    # their months prefetched).
    member: int = Field(alias="member.pk")
    name: str = Field(alias="member.name")
    paid_to: str | None
    profile: ProfileOut | None
    unpaid_months: list[MonthText]
    unpaid_total: DecimalText
    months: list[LineOut] = Field(alias="lines")
    payments: list[PaymentOut]

    @staticmethod
    def resolve_unpaid_months(obj) -> list[dt.date]:
        return [line.month for line in obj.unpaid]

    @staticmethod
    def resolve_unpaid_total(obj) -> Decimal:
        return obj.unpaid_total.quantize(Decimal("0.01"))


class ArrearOut(Schema):
    # A member in arrears (``selectors.Arrear``) and how serious it is by DUE-10.
    member: int = Field(alias="member_id")
    name: str
    org: int = Field(alias="org_id")
    months: int
    since: MonthText
    last_paid: MonthText | None
    level: str


class SummaryRowOut(Schema):
    # A branch's year (``selectors.SummaryRow``); the subtree's total is the last row, its
    # name marked "（合计）" (``api.dues_summary`` gives it as ``title``).
    org: int = Field(alias="org.pk")
    org_name: str = Field(alias="title")
    members: int = Field(alias="headcount")
    due: DecimalText = Field(alias="totals.due")
    paid: DecimalText = Field(alias="totals.paid")
    rate: DecimalText | None = Field(alias="totals.amount_rate")
