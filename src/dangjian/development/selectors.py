"""Reads of procedure cases, always through the gate."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import OuterRef, Q, QuerySet, Subquery

from dangjian.development.dates import add_months
from dangjian.development.models import Case, Material, ProcedureStep
from dangjian.development.services import can_act, step_window
from dangjian.members.models import Member
from dangjian.standards.selectors import rule_in_force


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
        qs = qs.filter(Q(org__path__startswith=org.path) | Q(target_org__path__startswith=org.path))
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(member__name__contains=q) | Q(org__name__contains=q))
    return qs.order_by("next_due_on", "-opened_on", "-id")


def case_timeline(*, user, case: Case) -> dict:
    """Everything the timeline shows: each step done / current / locked, with dates."""
    steps = list(case.procedure.steps.all())
    records = {r.number: r for r in case.records.select_related("actor")}
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
            "fields": step.fields,
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
