"""The standards and compliance API (mounted at /api/v1/)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Query, Router, Schema
from pydantic import Field

from dangjian.api.types import Id, Year
from dangjian.core.errors import DomainError, NotFound
from dangjian.core.scope import get_manageable
from dangjian.orgs.models import Org
from dangjian.standards import periods as P
from dangjian.standards import selectors, services
from dangjian.standards.engine import evaluate, sort_worst_first, summarize
from dangjian.standards.models import Rule
from dangjian.standards.schemas import (
    ComplianceOut,
    RuleDetailOut,
    RuleOut,
    RulePatch,
    StandardOut,
)

# One router per path prefix, mounted at /compliance, /standards and /rules.
compliance_router = Router(tags=["标准规范与合规"])
library_router = Router(tags=["标准规范与合规"])
rules_router = Router(tags=["标准规范与合规"])


class ComplianceFilter(Schema):
    org: Id | None = None
    year: Year | None = None
    quarter: Annotated[int, Field(ge=1, le=4)] | None = None
    month: Annotated[int, Field(ge=1, le=12)] | None = None
    status: str = ""


@compliance_router.get(
    "",
    response=ComplianceOut,
    summary="合规检查：组织（含下级）在某年/季度/月的各项规则达标情况",
)
def compliance(request, filters: Query[ComplianceFilter]):
    """``org`` defaults to the top of the caller's reach, ``year`` to this year; give at
    most one of ``quarter`` (1-4) and ``month`` (1-12). An org outside the caller's reach
    answers 404."""
    if filters.org is not None:
        org = get_manageable(Org.objects.active(), request.user, pk=filters.org)
    else:
        org = selectors.default_org(request.user)
        if org is None:
            raise NotFound()
    year = filters.year if filters.year is not None else P.local_today().year
    period = P.from_parts(year, filters.quarter, filters.month)
    findings = sort_worst_first(evaluate(org, period))
    summary = summarize(findings)
    if filters.status:
        wanted = set(filters.status.split(","))
        unknown = wanted - {"ok", "pending", "due", "overdue", "violation"}
        if unknown:
            raise DomainError("状态应为 ok/pending/due/overdue/violation", field="status")
        findings = [f for f in findings if f.status in wanted]
    return {
        "org": org.pk,
        "period": period.label,
        "summary": summary,
        "findings": findings,
    }


@library_router.get("", response=list[StandardOut], summary="标准库：法规、本地制度、一件事流程")
def standard_list(request, category: str = ""):
    return [
        std for std in selectors.standards_with_rules() if not category or std.category == category
    ]


@rules_router.get("", response=list[RuleOut], summary="规则：某日生效的版本（默认今天）")
def rule_list(request, on: dt.date | None = None, all_versions: bool = False):
    if all_versions:
        rules = Rule.objects.select_related("standard").order_by("code", "version")
    else:
        rules = selectors.current_rules(on or P.local_today())
    return sorted(rules, key=selectors.rule_sort_key)


def _versions(code: str) -> list[Rule]:
    versions = list(Rule.objects.select_related("standard").filter(code=code).order_by("version"))
    if not versions:
        raise NotFound(f"规则 {code} 不存在")
    return versions


def _with_versions(versions: list[Rule]) -> Rule:
    # The current version, carrying every version for RuleDetailOut.versions.
    current = versions[-1]
    current.versions = versions
    return current


@rules_router.get("/{code}", response=RuleDetailOut, summary="规则详情与全部版本")
def rule_detail(request, code: str):
    return _with_versions(_versions(code))


@rules_router.patch(
    "/{code}",
    response=RuleDetailOut,
    summary="修改规则：生成新版本，自 effective_from 起生效（仅平台管理员，否则 403）",
)
def rule_patch(request, code: str, payload: RulePatch):
    _versions(code)
    data = payload.dict(exclude_unset=True)
    new = services.rule_update(
        actor=request.user,
        code=code,
        effective_from=data.pop("effective_from"),
        change_reason=data.pop("change_reason", ""),
        **data,
    )
    return _with_versions(_versions(new.code))
