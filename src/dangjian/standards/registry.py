"""The checker registry: apps declare machine checks in their ``rules.py``.

    from dangjian.standards.registry import Param, register

    @register("meeting_frequency", title="会议频次", period="month",
              params={"kind": Param("choice", choices=[...]), "min": Param("int", min=0)})
    def meeting_frequency(ctx: CheckContext) -> Iterable[Finding]: ...

A checker receives a ``CheckContext`` (the rule version in force, the subtree root,
the period) and returns ``Finding``s. It must be set-based: one aggregate query over
the whole subtree, never a query per org. ``standards.apps`` imports every app's
``rules`` module at start-up, so registering is just defining the function.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from dangjian.core.choices import choices_text
from dangjian.core.errors import DomainError


@dataclass(frozen=True)
class Param:
    """One parameter of a checker: ``type`` is int, decimal, str, bool, date, choice, list
    or table (a list of objects, e.g. dues brackets).

    What the screens show: ``label`` (Chinese, e.g. "每个周期至少召开次数"), ``unit``
    ("次", "个月", "元"; "%" means the value is stored as a fraction and shown and edited
    as a percentage), the Chinese label of each choice (pass ``choices`` as
    ``(value, label)`` pairs, e.g. ``Meeting.Kind.choices``, or give ``choice_labels``),
    and for a ``table`` its ``columns`` (name → Param). A ``list`` with ``choices`` is a
    set of those choices."""

    type: str
    required: bool = True
    min: float | None = None
    max: float | None = None
    choices: tuple | list | None = None
    help: str = ""
    default: Any = None
    label: str = ""
    unit: str = ""
    choice_labels: dict | None = None
    columns: dict | None = None

    def __post_init__(self):
        # ``choices`` given as (value, label) pairs: keep the values, remember the labels.
        pairs = self.choices or ()
        if pairs and all(isinstance(c, tuple | list) and len(c) == 2 for c in pairs):
            object.__setattr__(self, "choices", tuple(c[0] for c in pairs))
            labels = {c[0]: str(c[1]) for c in pairs}
            object.__setattr__(self, "choice_labels", {**labels, **(self.choice_labels or {})})

    @property
    def title(self) -> str:
        """The Chinese label (falls back to the help text)."""
        return self.label or self.help

    def choice_label(self, value: Any) -> str:
        return (self.choice_labels or {}).get(value, str(value))


@dataclass(frozen=True)
class Period:
    kind: str  # "month" | "quarter" | "year" | "none"
    start: dt.date
    end: dt.date  # exclusive
    label: str  # "2026-03", "2026-Q1", "2026"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end


@dataclass(slots=True)  # slots: built by the hundred thousand, a fifth faster and smaller
class Finding:
    class Status:
        OK = "ok"
        # not yet met, the deadline ahead but beyond the "due soon" window (shown as 待完成;
        # not counted in the compliance rate)
        PENDING = "pending"
        DUE = "due"  # not yet met, the deadline ahead within the "due soon" window
        OVERDUE = "overdue"  # deadline passed within the period being judged
        VIOLATION = "violation"  # the period is over (or the fact is wrong) and the rule unmet

    rule_code: str
    rule_version: int
    org_id: int | None
    period: str
    status: str
    expected: Any = None
    actual: Any = None
    message: str = ""
    member_id: int | None = None
    link: str = ""
    due_on: dt.date | None = None
    # Filled by the engine (checkers may leave them empty).
    org_name: str = ""
    member_name: str = ""
    rule_title: str = ""
    citation: str = ""  # "《支部条例》第十二条"
    severity: str = ""
    # Set by ``params.describe_findings`` for pages: the numbers with their unit.
    expected_text: str = ""
    actual_text: str = ""

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.OK

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def css(self) -> str:
        return STATUS_CSS.get(self.status, "secondary")

    @classmethod
    def maker(cls, rule_code: str, rule_version: int, rule_title: str, citation: str, severity):
        """A constructor for the many findings of one rule version: the rule's fields bound,
        the others passed in order — ``make(org_id, period, status, expected, actual,
        message, link, due_on, org_name, member_id, member_name)``. A keyword call of the
        16 fields costs four times a positional one, and a city's evaluation builds 200,000
        findings (a province's 3.6 million)."""

        def make(
            org_id,
            period,
            status,
            expected,
            actual,
            message,
            link="",
            due_on=None,
            org_name="",
            member_id=None,
            member_name="",
        ):
            return cls(
                rule_code,
                rule_version,
                org_id,
                period,
                status,
                expected,
                actual,
                message,
                member_id,
                link,
                due_on,
                org_name,
                member_name,
                rule_title,
                citation,
                severity,
            )

        return make


STATUS_LABELS = {
    Finding.Status.OK: "达标",
    Finding.Status.PENDING: "待完成",
    Finding.Status.DUE: "即将到期",
    Finding.Status.OVERDUE: "已逾期",
    Finding.Status.VIOLATION: "未达标",
}
STATUS_CSS = {
    Finding.Status.OK: "success",
    Finding.Status.PENDING: "secondary",
    Finding.Status.DUE: "warning",
    Finding.Status.OVERDUE: "orange",
    Finding.Status.VIOLATION: "danger",
}


def judge(
    *,
    met: bool,
    period: Period,
    today: dt.date,
    outer: Period | None,
    due_soon: int,
    due_from: dt.date | None = None,
) -> str:
    """The status of one (rule, org, period) judgement; the statuses are explained in
    ``standards.engine``'s docstring."""
    if met:
        return Finding.Status.OK
    if today >= period.end:
        if outer is not None and today < outer.end:
            return Finding.Status.OVERDUE
        return Finding.Status.VIOLATION
    start = due_from if due_from is not None else period.end - dt.timedelta(days=due_soon)
    return Finding.Status.DUE if today >= start else Finding.Status.PENDING


# --- facts: shared reads that apps contribute ------------------------------------------

FACTS: dict[str, Callable[[Any], Any]] = {}


def fact(name: str):
    """Register ``load(facts)`` as the shared read ``name`` of one evaluation.

    An app contributes the facts its checkers share, next to them in its ``rules.py``
    (members: member counts per org; meetings: held meetings per org, kind and month), the
    way it registers checkers; ``standards.engine.Facts.get(name)`` loads each once per
    evaluation. So the engine imports no domain app.
    """

    def deco(load: Callable[[Any], Any]) -> Callable[[Any], Any]:
        FACTS[name] = load
        return load

    return deco


# --- watches: which events of an app make kept findings stale -----------------------


@dataclass(frozen=True)
class Watch:
    model: str  # "app_label.Model"
    orgs: Callable[[Any], Iterable[int | None]]  # the orgs whose findings change
    whole_tree: bool  # re-evaluate the whole tree of those orgs (e.g. member counts)
    checkers: tuple[str, ...]  # the checkers whose facts the event changes (documentation)
    years: Callable[[Any], Iterable[int]] | None = None  # closed years the facts fall in
    above: bool = False  # the own findings of the orgs above change too (member counts)
    moves: bool = False  # a save can move the row to other orgs or years: mark both


WATCHES: list[Watch] = []


def watch(
    model: str,
    *,
    orgs: Callable[[Any], Iterable[int | None]],
    checkers: Iterable[str] = (),
    whole_tree: bool = False,
    above: bool = False,
    years: Callable[[Any], Iterable[int]] | None = None,
    moves: bool = False,
) -> None:
    """Declare that saving or deleting a ``model`` ("meetings.Meeting") changes the facts
    of ``checkers`` for the orgs ``orgs(instance)`` returns: their kept findings of this
    year are marked stale and the worker re-evaluates them (``standards.kept``).
    ``years(instance)``: the years its facts fall in, so a fact of a closed year recorded
    late re-judges that year too (other changes leave a closed year as it was judged).
    ``above``: the change reaches the orgs above too (a member joining, moving or leaving
    changes the member counts of every committee over the branch): their own findings are
    re-evaluated, and the orgs the row had before a save are marked as well.
    ``whole_tree``: the change reaches beyond that (an org moved in the tree), so the
    org's whole tree is re-evaluated. ``moves``: a save can move the row to other orgs or
    years (a meeting rescheduled from December into January): the orgs and years the row
    had before the save are marked as well (``above`` implies it). Apps declare their
    watches in ``rules.py``, next to their checkers; the engine imports no domain app."""
    WATCHES.append(Watch(model, orgs, whole_tree, tuple(checkers), years, above, moves or above))


def applies(applies_to: dict | None, kinds: Iterable[str], full_members: int | None = None) -> bool:
    """Whether a rule's ``applies_to`` takes an org of any of ``kinds`` with ``full_members``
    direct full members on the rolls (None: not known, the size bounds are not checked).

    ``applies_to`` keys: ``kinds`` (empty: every kind), ``min_full_members``,
    ``max_full_members``. The one reading of it: the engine's targets and the meeting plan
    both ask here.
    """
    applies_to = applies_to or {}
    wanted = applies_to.get("kinds")
    if wanted and not set(kinds) & set(wanted):
        return False
    if full_members is None:
        return True
    low, high = applies_to.get("min_full_members"), applies_to.get("max_full_members")
    return not (
        (low is not None and full_members < low) or (high is not None and full_members > high)
    )


def counts_members(applies_to: dict | None) -> bool:
    """Whether ``applies_to`` has a size bound (so the member counts are needed)."""
    applies_to = applies_to or {}
    return (
        applies_to.get("min_full_members") is not None
        or applies_to.get("max_full_members") is not None
    )


@dataclass
class CheckContext:
    rule: Any  # standards.models.Rule, the version in force for this period
    root: Any  # orgs.models.Org: the subtree being evaluated
    period: Period
    today: dt.date
    params: dict = field(default_factory=dict)
    # Set by the engine (standards.engine.evaluate):
    periods: list[Period] = field(default_factory=list)  # the sub-periods this version judges
    outer: Period | None = None  # the period asked for (e.g. the year)
    facts: Any = None  # standards.engine.Facts: per-evaluation shared, set-based reads
    due_soon_days: int = 14

    def orgs(self):
        """Active orgs of the subtree that the rule applies to (``applies_to``: kinds and
        conditions such as ``min_full_members``), as one queryset."""
        from django.db.models import Count, Q

        from dangjian.orgs.models import Org

        qs = Org.objects.active().in_subtree(self.root)
        applies = self.rule.applies_to or {}
        if applies.get("kinds"):
            qs = qs.filter(kind__in=applies["kinds"])
        low, high = applies.get("min_full_members"), applies.get("max_full_members")
        if low is not None or high is not None:
            qs = qs.annotate(
                _full=Count(
                    "members",
                    filter=Q(members__status="full", members__left_on__isnull=True),
                )
            )
            if low is not None:
                qs = qs.filter(_full__gte=low)
            if high is not None:
                qs = qs.filter(_full__lte=high)
        return qs

    def targets(self) -> list:
        """Like ``orgs()`` but from the evaluation's shared facts (no query of its own)."""
        return self.facts.targets(self.rule.applies_to or {})

    @property
    def periods_or_self(self) -> list[Period]:
        return self.periods or [self.period]

    @property
    def as_of(self) -> dt.date:
        """The day a state rule is judged on: today, or the last day of a past period."""
        last = self.period.end - dt.timedelta(days=1)
        return min(self.today, last)

    def finding(
        self,
        *,
        org_id: int | None,
        period: Period,
        met: bool,
        expected: Any,
        actual: Any,
        message: str,
        member_id: int | None = None,
        due_from: dt.date | None = None,
        status: str | None = None,
        link: str = "",
        member_name: str = "",
    ) -> Finding:
        """A finding whose status follows the engine's rules (ok / pending / due /
        overdue / violation) unless ``status`` is given (for state rules)."""
        if status is None:
            status = self.judge(period, met=met, due_from=due_from)
        due_on = period.end - dt.timedelta(days=1) if period.kind != "none" else None
        return self.make(
            org_id,
            period.label,
            status,
            expected,
            actual,
            message,
            link,
            due_on,
            "",
            member_id,
            member_name,
        )

    def judge(self, period: Period, *, met: bool, due_from: dt.date | None = None) -> str:
        """The status of one judgement of this evaluation (``registry.judge``): a batch
        checker judges an unmet period once and reuses the status for every org."""
        return judge(
            met=met,
            period=period,
            today=self.today,
            outer=self.outer,
            due_soon=self.due_soon_days,
            due_from=due_from,
        )

    @cached_property
    def make(self):
        """Complete findings of this rule version, built positionally (``Finding.maker``:
        ``make(org_id, period, status, expected, actual, message, link, due_on, org_name,
        member_id, member_name)``), for checkers that build thousands."""
        rule = self.rule
        return Finding.maker(rule.code, rule.version, rule.title, self.cite(), rule.severity)

    def cite(self) -> str:
        short = self.rule.standard.short_name
        return f"《{short}》{self.rule.article}" if self.rule.article else f"《{short}》"


@dataclass(frozen=True)
class Checker:
    name: str
    title: str
    params: dict[str, Param]
    func: Callable[[CheckContext], Iterable[Finding]]
    period: str = "none"
    # batch: called once with ``ctx.periods`` (all sub-periods of one rule version);
    # otherwise once per sub-period with ``ctx.period`` set to it.
    batch: bool = False
    # Page that fixes a finding (URL name, reversed defensively), e.g. "meetings:create".
    link: tuple[str, ...] = ()


CHECKERS: dict[str, Checker] = {}


def register(
    name: str,
    *,
    title: str,
    params: dict[str, Param],
    period: str = "none",
    batch: bool = False,
    link: tuple[str, ...] | str = (),
):
    def decorator(func):
        CHECKERS[name] = Checker(
            name=name,
            title=title,
            params=params,
            func=func,
            period=period,
            batch=batch,
            link=(link,) if isinstance(link, str) else tuple(link),
        )
        return func

    return decorator


def validate_params(checker: str, params: dict) -> dict:
    """Check ``params`` against the checker's schema; raise DomainError naming each problem."""
    spec = CHECKERS.get(checker)
    if spec is None:
        raise DomainError(f"未知的检查器：{checker}", field="checker")
    errors = []
    clean: dict[str, Any] = {}
    for key in params:
        if key not in spec.params:
            errors.append({"field": f"params.{key}", "message": f"检查器不支持参数 {key}"})
    for key, p in spec.params.items():
        if key not in params or params[key] is None:
            if p.required and p.default is None:
                errors.append({"field": f"params.{key}", "message": f"缺少参数 {key}"})
            elif p.default is not None:
                clean[key] = p.default
            continue
        value = params[key]
        try:
            clean[key] = _coerce(p, value)
        except (ValueError, TypeError, decimal.InvalidOperation) as exc:
            errors.append({"field": f"params.{key}", "message": str(exc) or f"参数 {key} 无效"})
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    return clean


def _coerce(p: Param, value: Any) -> Any:
    if p.type == "int":
        if isinstance(value, bool) or int(value) != float(value):
            raise ValueError("应为整数")
        value = int(value)
    elif p.type == "decimal":
        value = str(decimal.Decimal(str(value)))
        number = decimal.Decimal(value)
        if p.min is not None and number < decimal.Decimal(str(p.min)):
            raise ValueError(f"不能小于 {p.min}")
        if p.max is not None and number > decimal.Decimal(str(p.max)):
            raise ValueError(f"不能大于 {p.max}")
        return value
    elif p.type == "bool":
        if not isinstance(value, bool):
            raise ValueError("应为 true 或 false")
    elif p.type == "date":
        value = dt.date.fromisoformat(str(value)).isoformat()
    elif p.type == "choice":
        if value not in (p.choices or ()):
            pairs = ((c, p.choice_label(c)) for c in p.choices or ())
            raise ValueError(f"应为以下之一：{choices_text(pairs)}")
    elif p.type in {"list", "table"}:
        if not isinstance(value, list):
            raise ValueError("应为列表")
    elif p.type == "str":
        value = str(value)
    if p.type == "int":
        if p.min is not None and value < p.min:
            raise ValueError(f"不能小于 {p.min}")
        if p.max is not None and value > p.max:
            raise ValueError(f"不能大于 {p.max}")
    return value
