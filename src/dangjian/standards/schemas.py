from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import ConfigDict


class SummaryOut(Schema):
    ok: int
    due: int
    overdue: int
    violation: int
    pending: int
    rate: float


class FindingOut(Schema):
    rule: str
    rule_version: int
    rule_title: str
    org: int | None
    org_name: str
    member: int | None = None
    member_name: str = ""
    period: str
    status: str
    expected: Any = None
    actual: Any = None
    message: str
    citation: str
    severity: str
    due_on: dt.date | None = None
    link: str = ""


class ComplianceOut(Schema):
    org: int
    period: str
    summary: SummaryOut
    findings: list[FindingOut]


class ArticleOut(Schema):
    id: int
    number: str
    text: str
    rules: list[str]


class StandardOut(Schema):
    id: int
    code: str
    title: str
    short_name: str
    issuer: str
    document_number: str
    category: str
    category_label: str
    effective_on: dt.date | None
    version: str
    status: str
    summary: str
    articles: list[ArticleOut]


class RuleOut(Schema):
    code: str
    version: int
    title: str
    standard: str
    standard_title: str
    article: str
    verification: str
    verification_label: str
    checker: str
    checked: bool
    period: str
    params: dict
    applies_to: dict
    severity: str
    effective_from: dt.date
    effective_to: dt.date | None
    enabled: bool
    description: str
    change_reason: str
    is_local_edit: bool


class RuleDetailOut(RuleOut):
    versions: list[RuleOut]


class RulePatch(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown field is a 422 naming it

    # A field left out stays as it is; null is refused for a column that cannot be empty.
    effective_from: dt.date
    change_reason: str = ""
    params: dict = None
    applies_to: dict = None
    severity: str = None
    enabled: bool = None
    title: str = None
    description: str = None
