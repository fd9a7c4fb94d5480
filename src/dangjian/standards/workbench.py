"""What the standards engine contributes to the workbench (工作台): open compliance
findings of this year (overdue, then due soon) and the compliance rate.

Read from the kept findings (``standards.kept``): a few queries per top org of the user's
reach, whatever the number of branches below it; where nothing fresh is kept, the engine
evaluates (set-based, also a constant number of queries) and the tree is queued for the
worker — a tree too large for a request (``kept.too_large``) waits for the worker, and the
rate says so."""

from __future__ import annotations

from collections.abc import Iterable

from dangjian.core.workbench import (
    DUE,
    OVERDUE,
    Figure,
    Todo,
    Unlisted,
    WorkbenchContext,
    provider,
    sort_todos,
    url,
)
from dangjian.orgs.selectors import tree_roots
from dangjian.standards import kept
from dangjian.standards import periods as P
from dangjian.standards.engine import sort_worst_first, summarize_counts
from dangjian.standards.registry import Finding
from dangjian.standards.selectors import OPEN

DUE_STATUS = Finding.Status.DUE


def _open(ctx: WorkbenchContext) -> tuple[list[Finding], int, int, dict[str, int], bool]:
    """The findings of this year's worst ``ctx.limit`` rows of the user's reach (one row
    per late or not, rule, org and member), the number of rows late and not late, the
    number of findings per status, and whether a tree waits for the worker: read from the
    kept findings where they are fresh (the rows chosen, ordered and counted in the
    database), else evaluated (and queued) — except a tree too large to evaluate on a
    request (``kept.too_large``: a city took 5 s), which waits for the worker."""

    def load():
        from dangjian.standards.engine import evaluate

        roots = ctx.once("orgs.roots", lambda: tree_roots(user=ctx.user))
        year = ctx.today.year
        out: list[Finding] = []
        late_rows = due_rows = 0
        counts: dict[str, int] = {}
        waiting = False
        for root in roots:
            if kept.kept_at(root, year, today=ctx.today) is not None:
                found, (late, due) = kept.open_groups(root, year, today=ctx.today, limit=ctx.limit)
                out.extend(found)
                late_rows, due_rows = late_rows + late, due_rows + due
                by_status = kept.status_counts(root, year)
            else:
                kept.queue(root)
                if kept.too_large(root):
                    waiting = True
                    continue
                live = evaluate(root, P.year(year), today=ctx.today)
                found = [f for f in live if f.status in OPEN]
                out.extend(found)
                keys = {(f.status != DUE_STATUS, f.rule_code, f.org_id, f.member_id) for f in found}
                late = sum(1 for k in keys if k[0])
                late_rows, due_rows = late_rows + late, due_rows + len(keys) - late
                by_status = {}
                for f in live:
                    by_status[f.status] = by_status.get(f.status, 0) + 1
            for status, n in by_status.items():
                counts[status] = counts.get(status, 0) + n
        return out, late_rows, due_rows, counts, waiting

    return ctx.once("standards.findings", load)


def period_text(label: str) -> str:
    """ "2026-03" → "2026年3月", "2026-Q1" → "2026年第1季度", "2026" → "2026年"."""
    year, _, rest = label.partition("-")
    if not rest:
        return f"{year}年"
    if rest.startswith("Q"):
        return f"{year}年第{rest[1:]}季度"
    return f"{year}年{int(rest)}月" if rest.isdigit() else label


@provider("todos", order=60)
def findings_open(ctx: WorkbenchContext) -> Iterable[Todo]:
    """Open findings, one row per rule and org (and member): the periods missed this year
    are counted in one row instead of one row each."""
    found, late_rows, due_rows, _, _ = _open(ctx)
    groups: dict[tuple, list[Finding]] = {}
    for f in sort_worst_first(found):
        late = f.status != DUE_STATUS
        groups.setdefault((late, f.rule_code, f.org_id, f.member_id), []).append(f)
    todos = [_todo(ctx, late, rows) for (late, *_), rows in groups.items()]
    listed = sort_todos(todos)[: ctx.limit]
    yield from listed
    late_listed = sum(1 for t in listed if t.status == OVERDUE)
    yield Unlisted(overdue=late_rows - late_listed, due=due_rows - (len(listed) - late_listed))


def _todo(ctx: WorkbenchContext, late: bool, found: list[Finding]) -> Todo:
    """One row: the findings of one rule, org (and member), late or not."""
    found.sort(key=lambda f: (f.due_on or ctx.today, f.period))
    first, last = found[0], found[-1]
    subject = f"（{first.member_name}）" if first.member_name else ""
    if len(found) > 1:
        detail = f"{period_text(first.period)}至{period_text(last.period)}共 {len(found)} 期未达标"
    else:
        detail = first.message
    due_on = first.due_on
    if late and due_on and due_on >= ctx.today:
        due_on = None  # a state rule unmet now (未达标), not a deadline missed
    return Todo(
        what=f"{first.rule_title}{subject}",
        org_name=first.org_name,
        due_on=due_on,
        status=OVERDUE if late else DUE,
        action="去办理" if last.link else "查看",
        url=last.link or url("standards:board"),
        source="合规",
        detail=detail,
    )


@provider("figures", order=30)
def compliance_rate(ctx: WorkbenchContext) -> Iterable[Figure]:
    _, _, _, counts, waiting = _open(ctx)
    if not counts and waiting:
        note = "评估结果尚未生成：范围较大，已交后台评估，稍后刷新"
        yield Figure("本年合规率", "评估中", url("standards:board"), note, order=30)
        return
    if not counts:
        yield Figure("本年合规率", "缺项", url("standards:board"), "尚无可检查的规则", order=30)
        return
    s = summarize_counts(counts)
    late = s["overdue"] + s["violation"]
    yield Figure(
        label="本年合规率",
        value=f"{s['rate']:.1%}",
        url=url("standards:board"),
        note=f"逾期/未达标 {late} 项，即将到期 {s['due']} 项",
        tone="overdue" if late else ("due" if s["due"] else "ok"),
        order=30,
    )
