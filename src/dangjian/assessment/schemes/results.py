"""The results of a scheme: every target's score, indicator by indicator, in one set-based
pass — one ``compute`` per metric for all targets, one query for the stored scores — so the
number of queries does not grow with the number of targets.

A value the platform lacks, or a manual indicator not yet scored, is 缺项 (``missing``):
never 0, and the target's total is marked incomplete. Orgs are ranked by total (complete
totals only); people never are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from dangjian.assessment.schemes.common import AUTOMATIC, CENT, targets
from dangjian.assessment.schemes.models import Indicator, Scheme, Score
from dangjian.core import metrics
from dangjian.core.errors import DomainError
from dangjian.core.metrics import Metric, Reading
from dangjian.core.scope import reach_of

M = Indicator.Method
S = Score.Status


@dataclass
class Cell:
    indicator: Indicator
    status: str  # auto | scored | reviewed | missing
    score: Decimal | None = None
    value: Decimal | None = None  # the metric's value (a rate as a fraction, or a count)
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    source: str = ""  # the URL of the records behind an automatic value
    record: Score | None = None  # the stored score (manual, or frozen automatic)
    note: str = ""  # why it is missing

    @property
    def is_missing(self) -> bool:
        return self.status == S.MISSING

    @property
    def status_label(self) -> str:
        return S(self.status).label

    @property
    def weighted(self) -> Decimal | None:
        if self.score is None:
            return None
        sign = -1 if self.indicator.method == M.DEDUCTION else 1
        return sign * self.score * self.indicator.weight


@dataclass
class Row:
    org: object
    cells: list[Cell]
    total: Decimal = Decimal("0")
    max_total: Decimal = Decimal("0")
    complete: bool = True
    missing: int = 0
    grade: str = ""
    rank: int | None = None

    @property
    def percent(self) -> Decimal | None:
        if not self.max_total:
            return None
        return (self.total * 100 / self.max_total).quantize(Decimal("0.1"))


@dataclass
class Results:
    scheme: Scheme
    leaves: list[Indicator]
    rows: list[Row]
    metrics: dict[str, Metric | None] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def complete(self) -> int:
        return sum(1 for r in self.rows if r.complete)


def sees_every_target(user, scheme: Scheme) -> bool:
    """The scheme's own managers and the managers of an org that scores in it see every
    target; an org assessed by it sees only the rows within its reach."""
    reach = reach_of(user)
    if reach.covers(scheme.org.path):
        return True
    scoring = scheme.indicators.filter(scoring_org__isnull=False).values_list(
        "scoring_org__path", flat=True
    )
    return any(reach.covers(path) for path in scoring)


def limit_to_reach(results: Results, user) -> Results:
    """Keep only the rows this user may read (ranks stay those among every target)."""
    if not sees_every_target(user, results.scheme):
        reach = reach_of(user)
        results.rows = [r for r in results.rows if reach.covers(r.org.path)]
    return results


def leaves_of(indicators: list[Indicator]) -> list[Indicator]:
    parents = {i.parent_id for i in indicators if i.parent_id}
    return [i for i in indicators if i.pk not in parents]


def auto_score(indicator: Indicator, reading: Reading, unit: str) -> tuple[Decimal, Decimal]:
    """(value, score) of an automatic indicator: ``max_score ×`` the rate (a count: its
    share of ``mapping.full``), or the ratio of the first step the value reaches."""
    value = Decimal(reading.numerator) if unit == "count" else reading.rate
    mapping = indicator.mapping or {}
    if mapping.get("kind") == "steps":
        ratio = Decimal(0)
        for step in mapping.get("steps", []):
            if value >= Decimal(step["min"]):
                ratio = Decimal(step["ratio"])
                break
    elif unit == "count":
        ratio = value / Decimal(mapping.get("full") or 1)
    else:
        ratio = value
    ratio = min(max(ratio, Decimal(0)), Decimal(1))
    return value, (indicator.max_score * ratio).quantize(CENT)


def grade_of(percent: Decimal | None, bands: list[dict]) -> str:
    if percent is None:
        return ""
    for band in sorted(bands or [], key=lambda b: Decimal(str(b.get("min", 0))), reverse=True):
        if percent >= Decimal(str(band.get("min", 0))):
            return str(band.get("label", ""))
    return ""


def scheme_results(scheme: Scheme, *, org_ids=None) -> Results:
    """The results of every target (of ``org_ids`` only, for one target's page)."""
    indicators = list(scheme.indicators.select_related("scoring_org").order_by("sort", "id"))
    leaves = leaves_of(indicators)
    orgs = targets(scheme)
    if org_ids is not None:
        orgs = orgs.filter(pk__in=list(org_ids))
    orgs = list(orgs)
    scores = Score.objects.filter(scheme=scheme).select_related("scorer", "reviewer")
    if org_ids is not None:
        scores = scores.filter(org__in=[o.pk for o in orgs])
    stored = {(s.indicator_id, s.org_id): s for s in scores.order_by()}
    results = Results(scheme, leaves, [])
    readings: dict[str, dict[int, Reading]] = {}
    if not scheme.is_closed and orgs:
        for key in sorted({i.metric for i in leaves if i.method in AUTOMATIC and i.metric}):
            found = metrics.resolve(key)
            results.metrics[key] = found
            if found is None:
                codes = "、".join(i.code for i in leaves if i.metric == key)
                results.warnings.append(f"指标 {codes} 所用的平台指标已不存在，记为缺项")
                continue
            try:
                readings[key] = found.compute(orgs, scheme.year)
            except DomainError as exc:
                results.warnings.append(f"{found.title}：{exc.message}")
    elif scheme.is_closed:
        for key in sorted({i.metric for i in leaves if i.method in AUTOMATIC and i.metric}):
            results.metrics[key] = metrics.resolve(key)
    for org in orgs:
        row = Row(org, [])
        for ind in leaves:
            cell = _cell(scheme, ind, org, stored, readings, results.metrics)
            row.cells.append(cell)
            if ind.method != M.DEDUCTION:
                row.max_total += ind.max_score * ind.weight
            if cell.is_missing:
                row.missing += 1
            else:
                row.total += cell.weighted
        row.complete = row.missing == 0
        row.total = row.total.quantize(CENT)
        row.max_total = row.max_total.quantize(CENT)
        row.grade = grade_of(row.percent, scheme.bands) if row.complete else ""
        results.rows.append(row)
    _rank(results.rows)
    return results


def _cell(scheme, ind, org, stored, readings, found_metrics) -> Cell:
    record = stored.get((ind.pk, org.pk))
    if ind.method in AUTOMATIC:
        if scheme.is_closed:
            if record is None:
                return Cell(ind, S.MISSING, note="结束考核时平台无此数据")
            return Cell(
                ind,
                S.AUTO,
                score=record.score,
                value=record.value,
                numerator=record.numerator,
                denominator=record.denominator,
                source=record.source_url,
                record=record,
            )
        found = found_metrics.get(ind.metric)
        reading = readings.get(ind.metric, {}).get(org.pk)
        source = found.source_url(org, scheme.year) if found is not None else ""
        if found is None or reading is None:
            return Cell(ind, S.MISSING, source=source, note="平台无此数据")
        if found.unit == "rate" and reading.rate is None:
            return Cell(ind, S.MISSING, source=source, note="没有应统计的事项")
        value, score = auto_score(ind, reading, found.unit)
        return Cell(
            ind,
            S.AUTO,
            score=score,
            value=value,
            numerator=Decimal(reading.numerator),
            denominator=None if reading.denominator is None else Decimal(reading.denominator),
            source=source,
        )
    if record is None:
        return Cell(ind, S.MISSING, note="尚未评分")
    return Cell(ind, record.status, score=record.score, record=record)


def _rank(rows: list[Row]) -> None:
    """Rank complete totals, highest first; equal totals share a rank."""
    ranked = sorted((r for r in rows if r.complete), key=lambda r: r.total, reverse=True)
    last_total, last_rank = None, 0
    for i, row in enumerate(ranked, start=1):
        if row.total != last_total:
            last_total, last_rank = row.total, i
        row.rank = last_rank
