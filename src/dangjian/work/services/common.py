"""Helpers shared by the work services: text, year and number checks, indicators."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from dangjian.core.checks import checked_text, checked_year
from dangjian.core.errors import DomainError
from dangjian.orgs.models import Org
from dangjian.work.models import (
    Indicator,
)

MAX_INDICATORS = 20
ATTACHMENT_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "application/zip",  # docx / xlsx are zip containers
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
)


def _text(value, *, field: str, label: str, limit: int, required: bool = True) -> str:
    return checked_text(value, field=field, label=label, limit=limit, required=required)


def _year(year) -> int:
    return checked_year(year)


def _members_within(members, org: Org, *, field: str) -> None:
    """Refuse members who do not belong to ``org``'s subtree, naming them."""
    outside = [m.name for m in members if not m.org.path.startswith(org.path)]
    if outside:
        raise DomainError(f"{'、'.join(outside)}不在{org.name}", field=field)


def _decimal(value, *, field: str, label: str, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise DomainError(f"请填写{label}", field=field)
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise DomainError(f"{label}应为数字", field=field) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise DomainError(f"{label}不合理", field=field)
    return number.quantize(Decimal("0.01"))


def _in_subtree(org: Org, top: Org) -> bool:
    return org.path.startswith(top.path)


def _indicators(rows: list[dict]) -> list[Indicator]:
    if len(rows) > MAX_INDICATORS:
        raise DomainError(f"业务指标最多 {MAX_INDICATORS} 项", field="indicators")
    out = []
    for i, row in enumerate(rows):
        f = f"indicators.{i}."
        out.append(
            Indicator(
                name=_text(row.get("name"), field=f"{f}name", label="指标名称", limit=100),
                target=_decimal(row.get("target"), field=f"{f}target", label="目标值"),
                unit=_text(
                    row.get("unit"), field=f"{f}unit", label="单位", limit=20, required=False
                ),
                owner=_text(
                    row.get("owner"), field=f"{f}owner", label="责任人", limit=50, required=False
                ),
            )
        )
    return out
