"""What a member owes for a month, computed from the rules in force for that month.

The numbers (brackets, rates, fixed amounts, rounding) are rule parameters in the standards
library (``dues/standards.toml``: DUE-2, DUE-3, DUE-4, DUE-5, DUE-6); nothing here holds a
regulation number. ``RateBook`` loads every version of those rules in one query and picks the
version in force for each month exactly as ``standards.selectors.rule_in_force`` does, so a
sheet of 50,000 members or a member's history of many months costs one query.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from dataclasses import dataclass
from decimal import Decimal

from dangjian.core.choices import choices_text
from dangjian.core.errors import DomainError
from dangjian.dues.models import Category, DuesProfile
from dangjian.standards.models import Rule

RATE_RULES = tuple(f"DUE-{n}" for n in range(1, 13))
BRACKET_RULE = {Category.EMPLOYED: "DUE-2", Category.RETIRED: "DUE-3"}
ROUNDING = {
    "half_up": decimal.ROUND_HALF_UP,
    "up": decimal.ROUND_UP,
    "down": decimal.ROUND_DOWN,
    "half_even": decimal.ROUND_HALF_EVEN,
}
CENT = Decimal("0.01")
MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})(?:-01)?$")
BASE_MAX = Decimal("9999999999.99")


# --- months -------------------------------------------------------------------------------


def parse_month(text: str | None, *, field: str = "month") -> dt.date:
    """``"2026-11"`` → 2026-11-01; a Chinese error for anything else."""
    text = (text or "").strip()
    match = MONTH_RE.match(text)
    try:
        if not match:
            raise ValueError
        return dt.date(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise DomainError(f"月份格式应为 YYYY-MM（例如 2026-11），收到“{text}”", field=field)


def month_label(month: dt.date | None) -> str | None:
    return f"{month:%Y-%m}" if month else None


# --- amounts ------------------------------------------------------------------------------


def parse_amount(value, *, field: str, label: str, allow_zero: bool = True) -> Decimal:
    """A decimal string (or number) of yuan, not negative, at most two decimals."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DomainError(f"请填写{label}", field=field)
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise DomainError(f"{label}应为数字（元），例如 4999.99", field=field)
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except decimal.InvalidOperation:
        raise DomainError(f"{label}应为数字（元），例如 4999.99，收到“{value}”", field=field)
    if not number.is_finite():
        raise DomainError(f"{label}应为数字（元）", field=field)
    if number < 0:
        raise DomainError(f"{label}不能为负数", field=field)
    if number == 0 and not allow_zero:
        raise DomainError(f"{label}须大于0", field=field)
    if number > BASE_MAX:
        raise DomainError(f"{label}过大", field=field)
    if number != number.quantize(CENT):
        raise DomainError(f"{label}最多保留两位小数（精确到分）", field=field)
    return number.quantize(CENT)


def rounding_of(params: dict, code: str) -> tuple[Decimal, str]:
    try:
        quantum = Decimal(str(params.get("quantum", "0.01")))
        mode = ROUNDING[params.get("rounding", "half_up")]
        if not quantum.is_finite() or quantum <= 0:
            raise decimal.InvalidOperation
    except (KeyError, decimal.InvalidOperation):
        raise DomainError(
            f"规则 {code} 的舍入参数无效（quantum 应为 0.01 或 0.1 等，"
            f"rounding 应为 {'/'.join(ROUNDING)}）",
            rule=code,
        )
    return quantum, mode


def parse_brackets(brackets, code: str) -> list[tuple[Decimal | None, Decimal]]:
    """``[{"up_to": "3000", "rate": "0.005"}, ..., {"rate": "0.02"}]`` → checked pairs:
    increasing limits, the last without one, rates between 0 and 1."""
    out: list[tuple[Decimal | None, Decimal]] = []
    try:
        for bracket in brackets or []:
            up_to = bracket.get("up_to")
            limit = None if up_to in (None, "") else Decimal(str(up_to))
            rate = Decimal(str(bracket["rate"]))
            if not (0 <= rate <= 1) or (limit is not None and not limit.is_finite()):
                raise ValueError
            if out and (out[-1][0] is None or (limit is not None and limit <= out[-1][0])):
                raise ValueError
            out.append((limit, rate))
        if not out or out[-1][0] is not None:
            raise ValueError
    except (KeyError, AttributeError, TypeError, ValueError, decimal.InvalidOperation):
        raise DomainError(
            f"规则 {code} 的档次参数无效（应为按上限递增的档次，最后一档不设上限），"
            "请在标准库中检查",
            rule=code,
        )
    return out


def bracket_rate(base: Decimal, brackets: list[tuple[Decimal | None, Decimal]]) -> Decimal:
    """The one rate for the whole base: the first bracket whose limit ≥ base."""
    for limit, rate in brackets:
        if limit is None or base <= limit:
            return rate
    return brackets[-1][1]


@dataclass(frozen=True)
class Quote:
    category: str
    base: Decimal | None
    rate: Decimal | None
    amount: Decimal
    rule_code: str
    rule_version: int
    explanation: str

    @property
    def rule_label(self) -> str:
        return f"{self.rule_code}（第{self.rule_version}版）"


class RateBook:
    """The dues rules, every version, loaded once; ``rule(code, month)`` is the version in
    force on the first day of that month (highest version wins, as ``rule_in_force``)."""

    def __init__(self, codes: tuple[str, ...] = RATE_RULES) -> None:
        self._versions: dict[str, list[Rule]] = {}
        rules = Rule.objects.filter(code__in=codes, enabled=True).select_related("standard")
        for rule in rules.order_by("-version"):
            self._versions.setdefault(rule.code, []).append(rule)
        self._cache: dict[tuple[str, dt.date], Rule] = {}
        self._tables: dict[int, tuple] = {}

    def codes(self, on: dt.date) -> set[str]:
        """Codes with a version in force on ``on``."""
        return {
            code
            for code, versions in self._versions.items()
            if any(
                v.effective_from <= on and (v.effective_to is None or v.effective_to > on)
                for v in versions
            )
        }

    def table(self, rule: Rule) -> tuple[list, Decimal, str]:
        """The rule's brackets and rounding, parsed once per rule version."""
        if rule.pk not in self._tables:
            self._tables[rule.pk] = (
                parse_brackets(rule.params.get("brackets"), rule.code),
                *rounding_of(rule.params, rule.code),
            )
        return self._tables[rule.pk]

    def rule(self, code: str, on: dt.date) -> Rule:
        key = (code, on)
        if key not in self._cache:
            for rule in self._versions.get(code, []):
                if rule.effective_from <= on and (
                    rule.effective_to is None or rule.effective_to > on
                ):
                    self._cache[key] = rule
                    break
            else:
                raise DomainError(
                    f"标准库中没有 {on} 生效的规则 {code}，请先加载或启用该规则", rule=code
                )
        return self._cache[key]

    # The amount for a category and base, by the rule in force in ``month``.
    def quote(
        self,
        *,
        category: str,
        base: Decimal | None,
        month: dt.date,
        farmer_amount: Decimal | None = None,
    ) -> Quote:
        if category in BRACKET_RULE:
            code = BRACKET_RULE[category]
            rule = self.rule(code, month)
            if base is None:
                raise DomainError("请填写交纳基数", field="base")
            brackets, quantum, mode = self.table(rule)
            rate = bracket_rate(base, brackets)
            amount = (base * rate).quantize(quantum, rounding=mode).quantize(CENT)
            percent = (rate * 100).normalize()
            return Quote(
                category,
                base,
                rate,
                amount,
                code,
                rule.version,
                f"基数 {base} 元 × {percent:f}% = {amount} 元（{rule.standard.short_name}"
                f"{rule.article}）",
            )
        if category not in Category.values:
            raise DomainError(
                "未知的党员类别，可选：" + choices_text(Category.choices),
                field="category",
            )
        rule = self.rule("DUE-4", month)
        params = rule.params
        label = Category(category).label
        if category == Category.FARMER:
            low = Decimal(str(params.get("farmer_min", "0")))
            high = Decimal(str(params.get("farmer_max", "0")))
            amount = low if farmer_amount is None else farmer_amount
            if not low <= amount <= high:
                raise DomainError(
                    f"农民党员每月交纳 {low}—{high} 元，{amount} 元不在此范围内",
                    field="farmer_amount",
                    rule="DUE-4",
                )
            explanation = f"农民党员每月 {low}—{high} 元，本人 {amount:.2f} 元"
        else:
            if category not in (params.get("fixed_categories") or []):
                raise DomainError(f"规则 DUE-4 未规定{label}党员的交纳标准", rule="DUE-4")
            amount = Decimal(str(params.get("fixed_amount", "0")))
            explanation = f"{label}党员每月 {amount:.2f} 元"
        amount = amount.quantize(CENT)
        return Quote(
            category,
            None,
            None,
            amount,
            "DUE-4",
            rule.version,
            f"{explanation}（{rule.standard.short_name}{rule.article}）",
        )

    def due(self, *, profile: DuesProfile, base_profile: DuesProfile, month: dt.date) -> Quote:
        """The amount due for ``month``: the category and any reduction of the profile in
        force, with the base of ``base_profile`` (the same one, or the one fixed at the start
        of the year in agency mode, DUE-7)."""
        if profile.adjustment != DuesProfile.Adjustment.NONE:
            rule = self.rule("DUE-5", month)
            waived = profile.adjustment == DuesProfile.Adjustment.WAIVED
            amount = Decimal("0.00") if waived else Decimal(profile.adjusted_amount).quantize(CENT)
            what = "免交" if waived else f"少交，核准每月 {amount} 元"
            return Quote(
                profile.category,
                profile.base,
                None,
                amount,
                "DUE-5",
                rule.version,
                f"经上级党委批准{what}（{profile.approval_ref or '批准记录见档案'}）",
            )
        base = base_profile.base if profile.category in BRACKET_RULE else None
        if profile.category in BRACKET_RULE and base_profile.category != profile.category:
            base = profile.base
        return self.quote(
            category=profile.category,
            base=base,
            month=month,
            farmer_amount=profile.farmer_amount,
        )


def base_from_components(
    components: list[dict], income_tax: Decimal, params: dict
) -> tuple[Decimal, list[dict]]:
    """DUE-1: the base is the included pay items minus personal income tax; the excluded
    subsidies (housing fund, rent, communication, transport) are listed but not counted.
    Returns the base and the cleaned items, each marked ``counted``."""
    excluded = set(params.get("excluded") or [])
    items, total = [], Decimal("0")
    for i, item in enumerate(components):
        name = str(item.get("name", "")).strip()
        if not name:
            raise DomainError("工资项目须填写名称", field=f"components.{i}.name")
        amount = parse_amount(
            item.get("amount"), field=f"components.{i}.amount", label=f"“{name}”金额"
        )
        counted = name not in excluded
        if counted:
            total += amount
        items.append({"name": name, "amount": str(amount), "counted": counted})
    if params.get("deduct_income_tax", True):
        total -= income_tax
    if total < 0:
        raise DomainError("个人所得税大于计入基数的工资合计，请核对", field="income_tax")
    return total.quantize(CENT), items
