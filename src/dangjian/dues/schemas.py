"""Input and output of the dues API. Amounts and bases are decimal strings ("4999.99")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from dangjian.api.types import Id
from dangjian.core.choices import choices_text
from dangjian.dues.models import Category, DuesPayment, DuesProfile

# Amounts and bases: a decimal string ("4999.99"; numbers are accepted too), validated by
# the service with a Chinese message (negative, not a number, more than two decimals).
Amount = Any


class QuoteIn(Schema):
    category: str = Field(description=choices_text(Category.choices))
    base: Amount | None = Field(None, description='月交纳基数（元），如 "4999.99"')
    farmer_amount: Amount | None = Field(None, description="农民党员自报月交额")
    month: str | None = Field(None, description="按该月生效的规则计算，YYYY-MM，默认本月")


class QuoteOut(Schema):
    rate: str | None
    amount: str
    rule: str
    rule_version: int
    explanation: str


class LineOut(Schema):
    member: int
    name: str
    org: int
    month: str
    state: str
    state_label: str
    category: str
    base: str | None
    rate: str | None
    amount: str | None
    rule: str
    rule_version: int
    explanation: str
    paid_amount: str | None
    paid_on: dt.date | None
    method: str
    payment: int | None


class TotalsOut(Schema):
    members: int
    paid_members: int
    unpaid_members: int
    due: str
    paid: str
    rate: str | None = Field(description="按人数的收缴率（%）")
    amount_rate: str | None = Field(description="按金额的收缴率（%）")


class SheetOut(Schema):
    org: int
    org_name: str
    month: str
    totals: TotalsOut
    rows: list[LineOut]


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
    month: str
    amount: str
    rule: str
    rule_version: int


class PaymentOut(Schema):
    id: int
    member: int
    org: int
    kind: str
    paid_on: dt.date
    amount: str
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
    effective_month: str
    base: str | None
    base_source: str
    components: list
    income_tax: str
    farmer_amount: str | None
    adjustment: str
    adjusted_amount: str | None
    approval_ref: str


class MemberDuesOut(Schema):
    member: int
    name: str
    paid_to: str | None
    profile: ProfileOut | None
    unpaid_months: list[str]
    unpaid_total: str
    months: list[LineOut]
    payments: list[PaymentOut]


class ArrearOut(Schema):
    member: int
    name: str
    org: int
    months: int
    since: str
    last_paid: str | None
    level: str


class SummaryRowOut(Schema):
    org: int
    org_name: str
    members: int
    due: str
    paid: str
    rate: str | None
