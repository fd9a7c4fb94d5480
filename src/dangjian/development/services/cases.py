"""The engine of every procedure case: open one, record a step, correct it, cancel the case.

``case_step_record`` checks order (409), who may act (403, a domain role rule: the caller
has already checked reach through the gate), the date against every time window of the
step (422 citing the rule), the step's data against its validation's schema and the named
validation, then stores the step, applies its effect on the member or org (``effects``, by
step code) and recomputes the case's next deadline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.core.actors import actor_name, actor_user
from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.models import AuditEntry
from dangjian.core.scope import reach_of
from dangjian.development.models import Case, CaseStep, Procedure, ProcedureStep
from dangjian.development.procedures import procedure_current
from dangjian.development.selectors import (
    Records,
    can_act,
    can_correct,
    case_steps,
    probation_end,
    review_due,
    step_window,
)
from dangjian.development.services.effects import apply_effect, reapply_dates
from dangjian.development.stepdata import parse
from dangjian.development.steps import Step
from dangjian.development.validations import VALIDATIONS, StepContext
from dangjian.standards.selectors import rule_in_force


def lock(case: Case) -> Case:
    # Lock only the case row: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer joins that select_related makes for member / target_org / board.
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("procedure", "org", "member", "target_org", "board")
        .get(pk=case.pk)
    )


def refresh_deadline(case: Case, steps: dict, records: Records) -> None:
    """The current step's earliest and latest dates (and the activist review) on the case."""
    today = dt.date.today()
    case.next_earliest_on = case.next_due_on = None
    case.next_due_rule = ""
    if case.status != Case.Status.OPEN:
        return
    step = steps.get(case.current_step)
    if step is None:
        return
    win = step_window(case, step, records, today)
    case.next_earliest_on = win["earliest"]
    case.next_due_on, case.next_due_rule = win["due"], win["due_rule"]
    review = review_due(case, records, today)
    if review and (case.next_due_on is None or review < case.next_due_on):
        case.next_due_on, case.next_due_rule = review, "DEV-6"
    if case.procedure.code == Procedure.Code.DEVELOPMENT and records.has(Step.ADMISSION_MEETING):
        case.data["probation_end"] = str(probation_end(case, records))


def save_case(case: Case) -> None:
    case.save(
        update_fields=[
            "status",
            "current_step",
            "closed_on",
            "next_earliest_on",
            "next_due_on",
            "next_due_rule",
            "data",
            "close_reason",
            "updated_at",
        ]
    )


def case_open(
    *,
    actor,
    code: str,
    holder: str,
    opened_on: dt.date,
    verb: str,
    changes: dict[str, Any],
    **fields: Any,
) -> Case:
    """Open a case of the procedure ``code`` on its current version, with ``fields`` (org,
    member, board, target…): refused (409) while a case of the same procedure is open for the
    same member (or, without a member, the same org), named ``holder`` in the message; the
    first deadline computed; audited with ``verb`` and ``changes``. The procedure's service
    has validated its own input and runs inside its transaction."""
    same = {"member": fields["member"]} if fields.get("member") else {"org": fields["org"]}
    busy = Case.objects.of(code).open().filter(**same).first()
    if busy:
        noun = Procedure.Code(code).label
        raise Conflict(f"{holder}已有办理中的{noun}案卷（编号 {busy.pk}）")
    case = Case.objects.create(procedure=procedure_current(code), opened_on=opened_on, **fields)
    steps, records = case_steps(case)
    refresh_deadline(case, steps, records)
    save_case(case)
    audit(actor=actor, action=AuditEntry.Action.CREATE, obj=case, verb=verb, changes=changes)
    return case


def _check_actor(actor, case: Case, step: ProcedureStep) -> None:
    if not can_act(actor, case, step):
        who = step.get_actor_display()
        if step.actor == ProcedureStep.Actor.RECEIVER and case.target_org_id:
            who = f"接收方党组织（{case.target_org.name}）"
        raise Forbidden(f"第{step.number}步“{step.name}”须由{who}办理")


EARLIEST_DAY = dt.date(1900, 1, 1)


def parse_day(value, field: str = "done_on") -> dt.date:
    """A date from user input, as a ``DomainError`` on ``field`` when it is not one."""
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except (TypeError, ValueError):
            raise DomainError("日期格式应为 YYYY-MM-DD", field=field)
    if value < EARLIEST_DAY:
        raise DomainError("日期不正确", field=field)
    return value


def _check_dates(case, step, records, done_on: dt.date, *, skip: int | None = None) -> None:
    if done_on > dt.date.today():
        raise DomainError("办理日期不能晚于今天", field="done_on")
    others = records.without(skip) if skip is not None else records
    win = step_window(case, step, others, done_on)
    later = [r for n, r in others.items() if n > step.number]
    if later and done_on > min(r.done_on for r in later):
        first = min(later, key=lambda r: r.number)
        raise DomainError(
            f"办理日期不能晚于第{first.number}步的日期（{first.done_on}）", field="done_on"
        )
    if win["earliest"] and done_on < win["earliest"]:
        raise DomainError(
            _window_message(step, done_on, win, "earliest"),
            field="done_on",
            rule=win["earliest_rule"] or None,
            errors=[{"field": "done_on", "message": f"最早可于{win['earliest']}办理"}],
        )
    if win["latest"] and done_on > win["latest"]:
        raise DomainError(
            _window_message(step, done_on, win, "latest"),
            field="done_on",
            rule=win["latest_rule"],
            errors=[{"field": "done_on", "message": f"最迟应于{win['latest']}办理"}],
        )


def _window_message(step, done_on, win, which: str) -> str:
    allowed = (
        f"允许的日期：{win['earliest'] or '不限'} 至 {win['latest'] or '不限'}"
        if win["earliest"] or win["latest"]
        else ""
    )
    code = win[f"{which}_rule"]
    cite = ""
    if code:
        rule = rule_in_force(code, done_on)
        cite = f"（{rule.code} {rule.title}，{rule.standard.short_name}{rule.article}）"
    if which == "earliest":
        head = f"第{step.number}步“{step.name}”的日期{done_on}早于允许的最早日期{win['earliest']}"
    else:
        head = f"第{step.number}步“{step.name}”的日期{done_on}晚于允许的最迟日期{win['latest']}"
    return f"{head}{cite}。{allowed}"


def _vote_rule(step, done_on: dt.date) -> str | None:
    """The rule a vote's input errors cite: the vote rule named by the step's own rule."""
    if step.validation != "vote":
        return None
    return rule_in_force(step.rules[0], done_on).params.get("vote_rule")


def _validate_step(case, step, records, done_on, data, actor) -> dict:
    """The step data parsed by its validation's schema, then checked by the validation."""
    clean: dict[str, Any] = {}
    if step.validation:
        ctx = StepContext(
            case=case,
            step=step,
            done_on=done_on,
            data=data,
            records=records,
            actor=actor,
            input=parse(step.validation, data, rule=_vote_rule(step, done_on)),
        )
        clean = VALIDATIONS[step.validation](ctx)
    return clean


@transaction.atomic
def case_step_record(
    *,
    actor,
    case: Case,
    number: int,
    done_on: dt.date | str,
    data: dict | None = None,
    note: str = "",
) -> Case:
    case = lock(case)
    data = dict(data or {})
    done_on = parse_day(done_on)
    steps, records = case_steps(case)
    step = steps.get(number)
    if step is None:
        raise DomainError(f"该流程没有第{number}步", field="number")
    if number in records:
        rec = records[number]
        if rec.done_on == done_on and all(rec.data.get(k) == v for k, v in data.items()):
            return case  # a retried request: already recorded, nothing changes
        raise Conflict(f"第{number}步“{step.name}”已办理（{rec.done_on}），如需更正请使用更正功能")
    if case.status != Case.Status.OPEN:
        raise Conflict(f"该案卷{case.get_status_display()}，不能再办理")
    if number != case.current_step:
        current = steps[case.current_step]
        raise Conflict(
            f"须按顺序办理：当前应办理第{current.number}步“{current.name}”，"
            f"不能办理第{number}步“{step.name}”"
        )
    _check_actor(actor, case, step)
    _check_dates(case, step, records, done_on)
    clean = _validate_step(case, step, records, done_on, data, actor)
    note = (note or str(data.get("note") or "")).strip()[:500]
    record = CaseStep.objects.create(
        case=case,
        number=number,
        done_on=done_on,
        actor=actor_user(actor),
        actor_name=actor_name(actor),
        data=clean,
        note=note,
    )
    records[number] = record
    apply_effect(actor, case, step, records)
    case.current_step = number + 1
    if number == max(steps):
        case.status = Case.Status.DONE
        case.closed_on = done_on
    refresh_deadline(case, steps, records)
    save_case(case)
    audit(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=case,
        verb=f"办理第{number}步：{step.name}",
        changes={"done_on": done_on, "data": clean},
    )
    _notify_next(case, steps)
    return case


def _notify_next(case: Case, steps: dict) -> None:
    """Tell whoever handles the next step (e.g. the receiving org of a transfer)."""
    from django.urls import reverse

    from dangjian.core.services import notify
    from dangjian.orgs.selectors import handlers_of

    step = steps.get(case.current_step)
    if case.status != Case.Status.OPEN or step is None:
        return
    if step.actor == ProcedureStep.Actor.RECEIVER and case.target_org_id:
        org = case.target_org
    elif step.actor == ProcedureStep.Actor.SUPERIOR and case.org.parent_id:
        org = case.org.parent
    else:
        return
    users = handlers_of([org]).get(org.pk, [])
    notify(
        users=users,
        title=f"待办：{case}，第{step.number}步“{step.name}”",
        body=f"请在期限内办理（{case.next_due_on or '无固定期限'}）。",
        link=reverse(DETAIL_URL[case.procedure.code], args=[case.pk]),
        dedupe_key=f"case-{case.pk}-step-{step.number}",
    )


DETAIL_URL = {
    Procedure.Code.DEVELOPMENT: "development:case_detail",
    Procedure.Code.TRANSFER: "development:transfer_detail",
    Procedure.Code.ELECTION: "development:election_detail",
}


@transaction.atomic
def case_step_correct(
    *,
    actor,
    case: Case,
    number: int,
    done_on: dt.date | str,
    data: dict | None = None,
    reason: str,
) -> Case:
    """Correct a recorded step (date or data); only the superior org, with a reason."""
    case = lock(case)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写更正原因", field="reason")
    if not can_correct(actor, case):
        raise Forbidden("只有上级党委或平台管理员可以更正已办理的步骤")
    steps, records = case_steps(case)
    if number not in records:
        raise Conflict(f"第{number}步尚未办理，不能更正")
    step, record = steps[number], records[number]
    done_on = parse_day(done_on)
    _check_dates(case, step, records, done_on, skip=number)
    merged = {**record.data, **(data or {})}
    others = records.without(number)
    clean = _validate_step(case, step, others, done_on, merged, actor)
    before = {"done_on": str(record.done_on), "data": record.data}
    record.done_on, record.data = done_on, clean or record.data
    record.corrections = [
        *record.corrections,
        {
            "at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "by": actor_name(actor),
            "reason": reason,
            "before": before,
        },
    ]
    record.save(update_fields=["done_on", "data", "corrections", "updated_at"])
    reapply_dates(actor, case, records, reason)
    refresh_deadline(case, steps, records)
    save_case(case)
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=case,
        verb=f"更正第{number}步：{step.name}",
        changes={"before": before, "done_on": done_on, "reason": reason},
    )
    return case


@transaction.atomic
def case_cancel(*, actor, case: Case, reason: str, on: dt.date | None = None) -> Case:
    case = lock(case)
    if case.status != Case.Status.OPEN:
        raise Conflict(f"该案卷{case.get_status_display()}")
    if not reach_of(actor).covers(case.org.path):  # role rule: not the receiving org
        raise Forbidden("须由办理组织终止")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写终止原因", field="reason")
    case.status, case.closed_on, case.close_reason = (
        Case.Status.CANCELLED,
        on or dt.date.today(),
        reason[:200],
    )
    refresh_deadline(case, {}, Records())
    save_case(case)
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=case,
        verb="终止案卷",
        changes={"reason": reason},
    )
    return case
