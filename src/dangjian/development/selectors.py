"""Reads of procedure cases: lists and timelines through the gate, a case's steps and
records (by number and by stable step code), the time window of a step, who may act."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import OuterRef, Q, QuerySet, Subquery

from dangjian.core.calendar import add_months
from dangjian.core.scope import reach_of, subtree_q
from dangjian.development.models import Case, CaseStep, Material, Procedure, ProcedureStep
from dangjian.development.steps import Step
from dangjian.development.validations import window_date
from dangjian.members.models import Member
from dangjian.standards.selectors import rule_in_force


class Records(dict):
    """A case's recorded steps by step number, also reachable by the step's stable code."""

    def __init__(self, rows=(), numbers: dict[str, int] | None = None) -> None:
        super().__init__((r.number, r) for r in rows)
        self.numbers = dict(numbers or {})

    def number(self, code: str) -> int:
        """The place of the step with this code in the case's template."""
        return self.numbers[code]

    def of(self, code: str) -> CaseStep | None:
        number = self.numbers.get(code)
        return None if number is None else self.get(number)

    def has(self, code: str) -> bool:
        return self.of(code) is not None

    def without(self, number: int) -> Records:
        out = Records(numbers=self.numbers)
        out.update((n, r) for n, r in self.items() if n != number)
        return out


def case_steps(case: Case, *, related: bool = False) -> tuple[dict[int, ProcedureStep], Records]:
    """The template steps of a case by number, and its records (two queries)."""
    steps = {s.number: s for s in case.procedure.steps.all()}
    rows = case.records.select_related("actor") if related else case.records.all()
    return steps, Records(rows, {s.code: s.number for s in steps.values() if s.code})


def step_number(case: Case, code: str) -> int:
    """The place of the step with this code in the case's template (for URLs and calls)."""
    return case.procedure.steps.values_list("number", flat=True).get(code=code)


# ---- who may act -------------------------------------------------------------------------
# Domain role rules (which org handles which step). Reach itself is checked by the gate
# (views and API answer 404 outside it); services raise ``Forbidden`` when these say no.


def _superior_path(case: Case) -> str:
    parents = case.org.ancestor_paths()[:-1]
    return parents[-1] if parents else ""


def can_act(actor, case: Case, step: ProcedureStep) -> bool:
    reach = reach_of(actor)
    if reach.everything:
        return True
    if step.actor == ProcedureStep.Actor.SUPERIOR:
        parent_path = _superior_path(case)
        return bool(parent_path) and reach.covers(parent_path)
    if step.actor == ProcedureStep.Actor.RECEIVER:
        org = case.target_org or case.org
        return reach.covers(org.path)
    if step.actor == ProcedureStep.Actor.MEMBER and reach.member_id == case.member_id:
        return True
    return reach.covers(case.org.path)


def can_correct(actor, case: Case) -> bool:
    """Only the superior org (or a platform admin) corrects a recorded step."""
    reach = reach_of(actor)
    if reach.everything:
        return True
    parent_path = _superior_path(case)
    return bool(parent_path) and reach.covers(parent_path)


# ---- deadlines ---------------------------------------------------------------------------


def probation_end(case: Case, records: Records) -> dt.date | None:
    """End of probation: the general meeting's date + probation (+ an extension), DEV-22."""
    admitted = records.of(Step.ADMISSION_MEETING)
    if admitted is None:
        return None
    meeting = admitted.done_on
    params = rule_in_force("DEV-22", meeting).params
    end = add_months(meeting, 12 * int(params["probation_years"]))
    return add_months(end, int(case.data.get("extension_months") or 0))


def _anchor(case: Case, records: Records, frm) -> dt.date | None:
    if isinstance(frm, int):  # a template stored before step codes: the step's number
        rec = records.get(frm)
        return rec.done_on if rec else None
    if frm in records.numbers:
        rec = records.of(frm)
        return rec.done_on if rec else None
    if frm == "probation_end":
        return probation_end(case, records)
    if frm == "term_end":
        return case.board.term_end if case.board_id else None
    raise ValueError(f"unknown anchor {frm}")


def step_window(case: Case, step: ProcedureStep, records: Records, on: dt.date) -> dict:
    """Earliest and latest allowed dates of ``step`` and the rules behind them."""
    earliest, latest, due = None, None, None
    earliest_rule = latest_rule = due_rule = ""
    previous = [r.done_on for n, r in records.items() if n < step.number]
    if previous:
        earliest = max(previous)
    for w in step.windows:
        anchor = _anchor(case, records, w["from"])
        if anchor is None:
            continue
        bound = window_date(anchor, w, rule_in_force(w["rule"], on).params)
        if w["kind"] == "min" and (earliest is None or bound >= earliest):
            earliest, earliest_rule = bound, w["rule"]
        elif w["kind"] == "max" and (latest is None or bound < latest):
            latest, latest_rule = bound, w["rule"]
        elif w["kind"] == "due" and (due is None or bound < due):
            due, due_rule = bound, w["rule"]
    return {
        "earliest": earliest,
        "earliest_rule": earliest_rule,
        "latest": latest,
        "latest_rule": latest_rule,
        "due": due if due is not None else latest,
        "due_rule": due_rule if due is not None else latest_rule,
    }


def in_activist_review(case: Case, records: Records) -> bool:
    """An activist under review: confirmed (DEV-3), not yet through the review step (DEV-6)."""
    if case.procedure.code != Procedure.Code.DEVELOPMENT or not records.has(Step.ACTIVIST):
        return False
    return records.number(Step.ACTIVIST) < case.current_step <= records.number(Step.ACTIVIST_REVIEW)


def in_probation(case: Case, records: Records) -> bool:
    """Approved as probationary member (DEV-17), the meeting on full membership not yet held."""
    if case.procedure.code != Procedure.Code.DEVELOPMENT:
        return False
    return (
        records.number(Step.ADMISSION_APPROVED)
        < case.current_step
        <= records.number(Step.FULL_MEETING)
    )


def review_due(case: Case, records: Records, on: dt.date) -> dt.date | None:
    """Next six-monthly review of an activist (DEV-6), while under review."""
    if not in_activist_review(case, records):
        return None
    confirmed = records.of(Step.ACTIVIST).done_on
    last = max([confirmed, *(dt.date.fromisoformat(d) for d in case.data.get("reviews", []))])
    return add_months(last, int(rule_in_force("DEV-6", on).params["review_every_months"]))


def case_list(
    *, user, code: str, org=None, status: str = "open", q: str = "", actor: str = ""
) -> QuerySet[Case]:
    """Cases of one procedure in reach, with the current step's name and acting role (for
    "waiting for the superior" lists): one query."""
    current = ProcedureStep.objects.filter(
        procedure=OuterRef("procedure"), number=OuterRef("current_step")
    )
    qs = (
        Case.objects.visible_to(user)
        .of(code)
        .select_related("org", "member", "target_org", "procedure", "board")
        .annotate(
            current_step_name=Subquery(current.values("name")[:1]),
            current_step_actor=Subquery(current.values("actor")[:1]),
        )
    )
    if actor:
        qs = qs.filter(current_step_actor=actor)
    if org is not None:
        qs = qs.filter(subtree_q(org) | subtree_q(org, "target_org"))
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(member__name__contains=q) | Q(org__name__contains=q))
    return qs.order_by("next_due_on", "-opened_on", "-id")


def case_timeline(*, user, case: Case) -> dict:
    """Everything the timeline shows: each step done / current / locked, with dates."""
    by_number, records = case_steps(case, related=True)
    steps = list(by_number.values())
    materials = defaultdict(list)
    for m in Material.objects.filter(case=case).order_by("step", "id"):
        materials[m.step].append(m)
    today = dt.date.today()
    titles = rule_titles([c for s in steps for c in s.rules])
    out = []
    for step in steps:
        rec = records.get(step.number)
        if rec is not None:
            state = "done"
        elif case.status == Case.Status.OPEN and step.number == case.current_step:
            state = "current"
        else:
            state = "locked"
        row = {
            "number": step.number,
            "stage": step.stage,
            "stage_name": step.stage_name,
            "name": step.name,
            "actor": step.actor,
            "actor_label": step.get_actor_display(),
            "state": state,
            "rules": step.rules,
            "rule_items": [{"code": c, "title": titles.get(c, "")} for c in step.rules],
            "code": step.code,
            "help": step.help,
            "materials_required": step.materials,
            "materials": materials.get(step.number, []),
            "missing_materials": [
                k for k in step.materials if k not in {m.kind for m in materials[step.number]}
            ],
            "done_on": rec.done_on if rec else None,
            "done_by": rec.actor_name if rec else "",
            "data": rec.data if rec else {},
            "note": rec.note if rec else "",
            "corrections": rec.corrections if rec else [],
            "earliest_on": None,
            "latest_on": None,
            "can_act": False,
            "step": step,
        }
        if state == "current":
            win = step_window(case, step, records, today)
            row["earliest_on"], row["latest_on"] = win["earliest"], win["latest"] or win["due"]
            row["can_act"] = can_act(user, case, step)
        out.append(row)
    stages: dict[int, dict] = {}
    for row in out:
        stage = stages.setdefault(
            row["stage"], {"number": row["stage"], "name": row["stage_name"], "steps": []}
        )
        stage["steps"].append(row)
    return {"steps": out, "stages": list(stages.values())}


def rule_titles(codes) -> dict[str, str]:
    from dangjian.standards.models import Rule

    return dict(Rule.objects.current().filter(code__in=set(codes)).values_list("code", "title"))


# ---- batch lists -------------------------------------------------------------------------


def candidates_due(*, user, org, start: dt.date, end: dt.date) -> list[Member]:
    """Activists whose minimum time as activist (DEV-7) is reached in [start, end)."""
    years = int(rule_in_force("DEV-7", start).params["activist_min_years"])
    qs = (
        Member.objects.visible_to(user)
        .on_rolls()
        .filter(
            status=Member.Status.ACTIVIST,
            activist_at__gte=add_months(start, -12 * years),
            activist_at__lt=add_months(end, -12 * years),
        )
        .select_related("org")
        .order_by("activist_at", "name_pinyin")
    )
    if org is not None:
        qs = qs.in_subtree(org)
    rows = list(qs)
    for m in rows:
        m.eligible_on = add_months(m.activist_at, 12 * years)
    return rows


def probation_ending(*, user, org, start: dt.date, end: dt.date) -> list[Member]:
    """Probationary members whose probation (DEV-22, with any extension) ends in [start, end).

    Two queries: members with a development case carry its probation end (extensions
    included); the others are judged from their joining date.
    """
    params = rule_in_force("DEV-22", start).params
    years = int(params["probation_years"])
    longest = 12 * years + int(params["extension_max_months"])
    base = (
        Member.objects.visible_to(user)
        .on_rolls()
        .filter(
            status=Member.Status.PROBATIONARY,
            joined_at__gte=add_months(start, -longest),
            joined_at__lt=add_months(end, -12 * years),
        )
    )
    if org is not None:
        base = base.in_subtree(org)
    cases = {
        c.member_id: c
        for c in Case.objects.of("development")
        .open()
        .filter(member__in=base.values("pk"))
        .only("member_id", "data")
    }
    rows = []
    for m in base.select_related("org").order_by("joined_at", "name_pinyin"):
        case = cases.get(m.pk)
        if case and case.data.get("probation_end"):
            ends = dt.date.fromisoformat(case.data["probation_end"])
        elif m.joined_at:
            ends = add_months(m.joined_at, 12 * years)
        else:
            continue
        if start <= ends < end:
            m.probation_end = ends
            m.case_id = case.pk if case else None
            rows.append(m)
    return rows
