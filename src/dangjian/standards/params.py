"""Rule parameters in words: the schema of a rule's params and their display.

A rule with a registered checker takes its schema from the checker's ``Param``s (declared
in each app's ``rules.py``). A rule that modules read directly (no checker: dues rates,
votes, development steps) takes it from ``VOCABULARY`` below, keyed by parameter name;
a parameter missing from both is described from its value.
"""

from __future__ import annotations

import dataclasses
import decimal
import re
from typing import Any

from dangjian.standards.registry import CHECKERS, Param

_PERIODS = (("month", "每月"), ("quarter", "每季度"), ("year", "每年"))
_FRACTIONS = (("1/2", "半数（1/2）"), ("2/3", "三分之二（2/3）"), ("4/5", "五分之四（4/5）"))

VOCABULARY: dict[str, Param] = {
    # development (RULES.md §C, §F, §G)
    "min_age": Param("int", min=0, label="申请人年龄不小于", unit="周岁"),
    "talk_within_months": Param("int", min=0, label="收到申请书后派人谈话不超过", unit="个月"),
    "contacts_min": Param("int", min=0, label="培养联系人至少", unit="名"),
    "contacts_max": Param("int", min=0, label="培养联系人至多", unit="名"),
    "review_every_months": Param("int", min=1, label="对积极分子考察间隔", unit="个月"),
    "activist_min_years": Param("int", min=0, label="确定发展对象前培养考察不少于", unit="年"),
    "sponsors": Param("int", min=1, label="入党介绍人", unit="名"),
    "review_valid_years": Param("int", min=0, label="政审结论有效期", unit="年"),
    "training_min_days": Param("int", min=0, label="集中培训不少于", unit="天"),
    "training_min_hours": Param("int", min=0, label="或集中培训不少于", unit="学时"),
    "leave_within_months": Param(
        "int", min=0, label="将离开工作单位、一般不进行预审的期限", unit="个月"
    ),
    "vote_rule": Param("str", label="到会人数和表决规则（按规则编号）"),
    "approval_within_months": Param("int", min=0, label="上级党委审批期限", unit="个月"),
    "approval_max_months": Param("int", min=0, label="特殊情况审批最长", unit="个月"),
    "probation_years": Param("int", min=0, label="预备期", unit="年"),
    "extension_min_months": Param("int", min=0, label="延长预备期不少于", unit="个月"),
    "extension_max_months": Param("int", min=0, label="延长预备期最长", unit="个月"),
    "extension_max_times": Param("int", min=0, label="预备期最多延长", unit="次"),
    "notice_working_days": Param("int", min=0, label="公示不少于", unit="个工作日"),
    "meeting_within_months": Param("int", min=0, label="预审后召开支部大会不超过", unit="个月"),
    "reminder_months": Param("int", min=0, label="任期届满前提醒", unit="个月"),
    "shift_max_years": Param("int", min=0, label="提前或推迟换届不超过", unit="年"),
    "excluded_statuses": Param(
        "list",
        label="没有表决权、选举权的人员",
        choices=(
            ("applicant", "入党申请人"),
            ("activist", "入党积极分子"),
            ("candidate", "发展对象"),
            ("probationary", "预备党员"),
            ("on_probation", "受留党察看处分的党员"),
        ),
    ),
    "quorum_more_than": Param("choice", label="到会人数须超过应到会的", choices=_FRACTIONS),
    "pass_more_than": Param("choice", label="赞成票须超过", choices=_FRACTIONS),
    "pass_base": Param(
        "choice",
        label="赞成票比例的计算基数",
        choices=(("expected", "应到会有表决权的党员"), ("present", "实到会有选举权的党员")),
    ),
    "candidates_margin": Param("str", label="候选人数多于应选人数的比例"),
    "letter_valid_months": Param("int", min=1, label="组织关系介绍信有效期", unit="个月"),
    # education (§E)
    "period": Param("choice", label="检查周期", choices=_PERIODS),
    "min_hours": Param("int", min=0, label="每个周期集中学习培训不少于", unit="学时"),
    "roles": Param(
        "list",
        label="适用的委员职务",
        choices=(
            ("secretary", "书记"),
            ("deputy_secretary", "副书记"),
            ("organizer", "组织委员"),
            ("publicity", "宣传委员"),
            ("discipline", "纪检委员"),
        ),
    ),
    "months": Param("int", min=1, label="期限", unit="个月"),
    "max_months": Param("int", min=1, label="限期改正一般不超过", unit="个月"),
    # dues (§D)
    "included": Param("list", label="计入交纳基数的收入项目"),
    "excluded": Param("list", label="不计入交纳基数的项目"),
    "deduct_income_tax": Param("bool", label="按税后收入计算"),
    "quantum": Param(
        "choice",
        label="党费金额精确到",
        choices=(("0.01", "分（0.01元）"), ("0.1", "角（0.1元）"), ("1", "元")),
    ),
    "rounding": Param(
        "choice",
        label="舍入方式",
        choices=(
            ("half_up", "四舍五入"),
            ("up", "进位"),
            ("down", "舍去"),
            ("half_even", "银行家舍入"),
        ),
    ),
    "brackets": Param(
        "table",
        label="交纳比例档次（按整个基数适用一个比例）",
        columns={
            "up_to": Param(
                "decimal", required=False, min=0, label="月收入上限（含；最后一档留空）", unit="元"
            ),
            "rate": Param("decimal", min=0, max=1, label="交纳比例", unit="%"),
        },
    ),
    "farmer_min": Param("decimal", min=0, label="农民党员每月至少", unit="元"),
    "farmer_max": Param("decimal", min=0, label="农民党员每月至多", unit="元"),
    "fixed_amount": Param("decimal", min=0, label="固定交纳金额（每月）", unit="元"),
    "fixed_categories": Param(
        "list",
        label="按固定金额交纳的党员",
        choices=(
            ("student", "学生党员"),
            ("unemployed", "下岗失业党员"),
            ("relief", "领取救济或低保的党员"),
        ),
    ),
    "decided_by": Param("choice", label="提出意见", choices=(("branch", "党支部"),)),
    "approved_by": Param("choice", label="批准", choices=(("next_level_committee", "上一级党委"),)),
    "require_approval_record": Param("bool", label="须留存批准记录"),
    "owe_from": Param(
        "choice", label="开始交纳党费", choices=(("joined_at", "支部大会通过为预备党员之日"),)
    ),
    "include_first_month": Param("bool", label="通过当月即开始交纳"),
    "modes": Param(
        "list",
        label="交纳基数核定方式",
        choices=(("agency", "机关单位年初核定、一年不变"), ("follow_pay", "随工资变动调整")),
    ),
    "agency_fix_month": Param("int", min=1, max=12, label="机关单位每年核定基数的月份", unit="月"),
    "remit_threshold": Param("decimal", min=0, label="一次性多交党费全部上缴中央的起点", unit="元"),
    "max_months_at_once": Param("int", min=1, label="经同意一次最多交纳", unit="个月"),
    "back_payment_max_months": Param("int", min=0, label="补交一般不超过", unit="个月"),
    "proxy_needs_consent": Param("bool", label="委托他人代交须经党支部同意"),
    "forbidden_methods": Param(
        "list",
        label="不得采用的交纳方式",
        choices=(("unit_funds", "用公款代缴"), ("payroll_deduction", "单位代扣")),
    ),
    "collection_day": Param("int", min=1, max=31, label="每月固定收缴日", unit="日"),
    "disclosures_per_year": Param("int", min=0, label="每年公开收缴使用情况", unit="次"),
}


def _inferred(value: Any) -> Param:
    """A schema for a value nobody declared (its name is shown as the label)."""
    if isinstance(value, bool):
        return Param("bool")
    if isinstance(value, int):
        return Param("int")
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            keys: dict[str, Param] = {}
            for row in value:
                for k in row:
                    keys.setdefault(k, Param("str", required=False, label=k))
            return Param("table", columns=keys)
        return Param("list")
    return Param("str")


def schema_for(rule) -> dict[str, Param]:
    """The parameters of ``rule`` with their labels, in display order."""
    spec = CHECKERS.get(rule.checker or "")
    if spec is not None:
        return dict(spec.params)
    params = rule.params or {}
    out = {}
    for key, value in params.items():
        p = VOCABULARY.get(key) or _inferred(value)
        out[key] = p if p.title else dataclasses.replace(p, label=key)
    return out


def number(value: Any, unit: str = "") -> str:
    """A number in words: percentages from fractions, no trailing zeros, thousands
    separators for amounts."""
    try:
        d = decimal.Decimal(str(value))
    except (decimal.InvalidOperation, ValueError):
        return f"{value}{unit}"
    if unit == "%":
        d *= 100
    d = d.normalize()
    if d == d.to_integral_value():
        d = d.quantize(decimal.Decimal(1))
    text = f"{d:,f}" if unit == "元" else f"{d:f}"
    if unit == "元" and "." in text and len(text.split(".")[1]) == 1:
        text += "0"
    return f"{text}{unit}" if unit in ("%", "元") or not unit else f"{text} {unit}"


def value_text(p: Param, value: Any) -> str:
    """One parameter value in words (tables: see ``table_rows``)."""
    if value is None or value == "":
        return "—（未设置）" if p.type != "table" else "—"
    if p.type == "bool" or isinstance(value, bool):
        return "是" if value else "否"
    if p.type == "choice":
        return p.choice_label(value)
    if p.type == "list" and isinstance(value, list):
        return "、".join(p.choice_label(v) for v in value) or "（无）"
    if p.type == "table" and isinstance(value, list):
        return "；".join(" ".join(cells) for cells in table_rows(p, value)[1]) or "（无）"
    if p.type in ("int", "decimal"):
        return number(value, p.unit)
    return f"{value}{' ' + p.unit if p.unit else ''}"


def table_rows(p: Param, value: Any) -> tuple[list[str], list[list[str]]]:
    columns = p.columns or {}
    headers = [c.title + (f"（{c.unit}）" if c.unit else "") for c in columns.values()]
    rows = []
    for row in value or []:
        if isinstance(row, dict):
            rows.append(
                [
                    value_text(c, row.get(k)) if row.get(k) not in (None, "") else "—"
                    for k, c in columns.items()
                ]
            )
    return headers, rows


def param_items(rule) -> list[dict]:
    """``[{"label", "text", "table": (headers, rows) or None}]`` for a rule's params."""
    params = rule.params or {}
    out = []
    for key, p in schema_for(rule).items():
        if key not in params and p.default is None:
            continue
        value = params.get(key, p.default)
        item = {"name": key, "label": p.title, "text": value_text(p, value), "table": None}
        if p.type == "table":
            item["table"] = table_rows(p, value)
        out.append(item)
    return out


def params_summary(rule) -> str:
    """All params on one line, for the version history."""
    return "；".join(f"{i['label']}：{i['text']}" for i in param_items(rule)) or "无参数"


def finding_value(value: Any, unit: str = "") -> str:
    """``Finding.expected`` / ``actual`` in words."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | decimal.Decimal):
        return number(value, unit)
    if isinstance(value, list | tuple | set):
        return "、".join(finding_value(v, unit) for v in value) or "—"
    if isinstance(value, dict):
        return "，".join(f"{k} {finding_value(v, unit)}" for k, v in value.items())
    return str(value)


_PROCEDURES = {"development": "发展党员", "election": "换届选举", "transfer": "组织关系转接"}


def applies_text(applies: dict | None) -> str:
    """``Rule.applies_to`` in words."""
    from dangjian.orgs.models import Org

    applies = applies or {}
    parts = []
    if applies.get("kinds"):
        labels = dict(Org.Kind.choices)
        parts.append("、".join(str(labels.get(k, k)) for k in applies["kinds"]))
    if applies.get("min_full_members") is not None:
        parts.append(f"直属正式党员不少于 {applies['min_full_members']} 人")
    if applies.get("max_full_members") is not None:
        parts.append(f"直属正式党员不多于 {applies['max_full_members']} 人")
    if applies.get("procedure"):
        name = _PROCEDURES.get(applies["procedure"], "一件事")
        step = applies.get("step")
        parts.append(f"“{name}”流程" + (f"第 {step} 步" if step else ""))
    return "，".join(parts) or "全部党组织"


def label_findings(findings) -> list:
    """Set ``expected_text`` / ``actual_text`` on findings: numbers with the unit of their
    checker's ``min`` parameter ("至少 1 次" / "0 次"). One query (rule code → checker)."""
    from dangjian.standards.models import Rule

    findings = list(findings)
    codes = {f.rule_code for f in findings}
    checker_of = dict(Rule.objects.filter(code__in=codes).values_list("code", "checker").distinct())
    for f in findings:
        spec = CHECKERS.get(checker_of.get(f.rule_code) or "")
        low = spec.params.get("min") if spec else None
        unit = low.unit if low else ""
        expected = finding_value(f.expected, unit)
        if low is not None and isinstance(f.expected, int | float | decimal.Decimal):
            expected = f"至少 {expected}"
        f.expected_text = expected
        f.actual_text = finding_value(f.actual, unit)
    return findings


_SHORT_CUT_WORDS = ("一般", "应当", "每届", "每年", "每月", "每季度", "至少", "不少于", "不超过")


def _shorten(title: str, limit: int = 8) -> str:
    head = re.split("[：，；（、]", title)[0]
    cuts = [head.find(w) for w in _SHORT_CUT_WORDS if head.find(w) >= 2]
    if cuts:
        head = head[: min(cuts)]
    return head if len(head) <= limit else head[: limit - 1] + "…"


def short_titles(codes, titles: dict[str, str]) -> dict[str, str]:
    """A short title per rule code for column headers (the code goes in a tooltip): the
    Chinese label of the rule's ``kind`` parameter (meeting rules: "主题党日"), else its
    checker's title when only one column uses that checker, else the rule title cut at
    its first qualifier. One query."""
    from dangjian.standards.models import Rule

    latest: dict[str, Rule] = {}
    for rule in Rule.objects.filter(code__in=list(codes)).order_by("code", "-version"):
        latest.setdefault(rule.code, rule)
    checker_uses: dict[str, int] = {}
    for rule in latest.values():
        checker_uses[rule.checker] = checker_uses.get(rule.checker, 0) + 1
    out = {}
    for code in codes:
        rule = latest.get(code)
        spec = CHECKERS.get(rule.checker) if rule else None
        short = ""
        if spec and "kind" in spec.params and (rule.params or {}).get("kind"):
            short = spec.params["kind"].choice_label(rule.params["kind"])
        if not short and spec and checker_uses.get(rule.checker) == 1:
            head = _shorten(spec.title, limit=10)
            short = head if not head.endswith("…") else ""
        out[code] = short or _shorten(titles.get(code) or (rule.title if rule else code))
    return out
