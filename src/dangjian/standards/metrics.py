"""The standards engine's metrics for the assessment: ``rule:<CODE>`` for every rule of the
library, the compliance rate of an org's subtree for that rule and year, read from the kept
findings (``standards.kept``), never re-evaluated. Met / judged (ok, due, overdue,
violation); pending items are left out as on the compliance board. Nothing kept for an org
(the tree not evaluated for that year, or the rule never judged there) is no value (缺项)."""

from __future__ import annotations

from django.db.models import Count

from dangjian.core import metrics
from dangjian.core.metrics import Metric, Reading
from dangjian.standards.engine import COUNTED
from dangjian.standards.models import KeptFinding, Rule
from dangjian.standards.registry import Finding


def _compute_for(code: str):
    def compute(orgs, year: int) -> dict[int, Reading]:
        """Two queries: the owners of the subtrees' orgs, one GROUP BY of the kept rows; for
        branches only, one GROUP BY on the kept rows' branch (groups folded in), answered
        from the (year, branch, rule, status) index."""
        kept = KeptFinding.objects.filter(year=year, rule_code=code, status__in=COUNTED)
        if orgs and all(o.kind == "branch" for o in orgs):
            ids = {o.pk for o in orgs}
            return _tally(kept.filter(branch__isnull=False), "branch_id", lambda b: b in ids and b)
        owner_of = metrics.owners(orgs)  # rows of other trees have no owner: skipped
        return _tally(kept, "org_id", owner_of.get)

    return compute


def _tally(kept, field: str, owner) -> dict[int, Reading]:
    """Met / judged per owner of the rows' ``field`` (``owner(id)``: None to skip)."""
    rows = (
        kept.values(field, "status")
        .annotate(n=Count("id"))
        .values_list(field, "status", "n")
        .order_by()
    )
    counts: dict[int, list[int]] = {}
    for org_id, status, n in rows:
        target = owner(org_id)
        if not target:
            continue
        acc = counts.setdefault(target, [0, 0])
        acc[1] += n
        if status == Finding.Status.OK:
            acc[0] += n
    return {org_id: Reading(ok, judged) for org_id, (ok, judged) in counts.items() if judged}


def _source_for(code: str):
    def source(org, year: int) -> str:
        return metrics.link("standards:board_org", org_id=org.pk, query=f"year={year}&rule={code}")

    return source


def resolve(name: str) -> Metric | None:
    rule = (
        Rule.objects.filter(code=name)
        .exclude(checker="")
        .order_by("-version")
        .values_list("title")
        .first()
    )
    if rule is None:  # no such rule, or one no checker judges (it has no findings)
        return None
    return Metric(
        key=f"rule:{name}",
        title=f"{rule[0]}（{name}）达标率",
        unit="rate",
        compute=_compute_for(name),
        source=_source_for(name),
        description="本组织及下级组织该规则的达标项 / 应检项（合规评估保存的结果）",
    )


def names() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for code, title, checker in Rule.objects.order_by("code", "-version").values_list(
        "code", "title", "checker"
    ):
        if checker:  # a rule with no checker produces no findings
            seen.setdefault(code, f"{title}（{code}）达标率")
    return [(f"rule:{c}", t) for c, t in seen.items()]


metrics.family("rule", resolve=resolve, names=names)
