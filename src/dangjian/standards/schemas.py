from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field


class SummaryOut(Schema):
    ok: int
    due: int
    overdue: int
    violation: int
    pending: int
    rate: float


class FindingOut(Schema):
    """Read from an engine ``Finding``."""

    rule: str = Field(alias="rule_code")
    rule_version: int
    rule_title: str
    org: int | None = Field(alias="org_id")
    org_name: str
    member: int | None = Field(None, alias="member_id")
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

    @staticmethod
    def resolve_rules(article) -> list[str]:
        return [r.code for r in article.rule_list]


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
    articles: list[ArticleOut] = Field(alias="article_list")

    @staticmethod
    def resolve_category_label(standard) -> str:
        return standard.get_category_display()


class RuleOut(Schema):
    """Read from a ``Rule`` with its standard."""

    code: str
    version: int
    title: str
    standard: str = Field(alias="standard.short_name")
    standard_title: str = Field(alias="standard.title")
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

    @staticmethod
    def resolve_verification_label(rule) -> str:
        return rule.get_verification_display()

    @staticmethod
    def resolve_checked(rule) -> bool:
        from dangjian.standards.registry import CHECKERS

        return bool(rule.checker) and rule.checker in CHECKERS

    @staticmethod
    def resolve_period(rule) -> str:
        from dangjian.standards.engine import rule_period

        return rule_period(rule)

    @staticmethod
    def resolve_params(rule) -> dict:
        return rule.params or {}

    @staticmethod
    def resolve_applies_to(rule) -> dict:
        return rule.applies_to or {}


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
