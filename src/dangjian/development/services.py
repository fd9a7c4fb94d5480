"""Every change to procedure cases: open, record a step, correct, upload, close.

One engine for all three procedures: ``case_step_record`` checks order (409), who may
act (403), the date against every time window of the step (422 citing the rule), the
step's named validation, then stores the step, applies its effect on the member or org
(through members.services / orgs.services) and recomputes the case's next deadline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.models import AuditEntry
from dangjian.core.scope import reach_of
from dangjian.core.uploads import OFFICE_TYPES, sniff
from dangjian.development.dates import add_months
from dangjian.development.models import Case, CaseStep, Material, Procedure, ProcedureStep
from dangjian.development.procedures import procedure_current
from dangjian.development.validations import VALIDATIONS, StepContext, window_date
from dangjian.members.models import Member
from dangjian.standards.selectors import rule_in_force

OTHER_MATERIAL = "其他材料"


def _user(actor):
    """The User to store as actor (the platform acting by itself stores none)."""
    from django.contrib.auth import get_user_model

    return actor if isinstance(actor, get_user_model()) and actor.is_authenticated else None


def _name(actor) -> str:
    user = _user(actor)
    if user is None:
        return actor.get_full_name() if hasattr(actor, "get_full_name") else "系统"
    return user.get_full_name() or user.username


# ---- who may act -------------------------------------------------------------------------


def can_act(actor, case: Case, step: ProcedureStep) -> bool:
    reach = reach_of(actor)
    if reach.everything:
        return True
    if step.actor == ProcedureStep.Actor.SUPERIOR:
        parents = case.org.ancestor_paths()[:-1]
        parent_path = parents[-1] if parents else ""
        return bool(parent_path) and reach.covers(parent_path)
    if step.actor == ProcedureStep.Actor.RECEIVER:
        org = case.target_org or case.org
        return reach.covers(org.path)
    if step.actor == ProcedureStep.Actor.MEMBER and reach.member_id == case.member_id:
        return True
    return reach.covers(case.org.path)


def _check_actor(actor, case: Case, step: ProcedureStep) -> None:
    if not can_act(actor, case, step):
        who = step.get_actor_display()
        if step.actor == ProcedureStep.Actor.RECEIVER and case.target_org_id:
            who = f"接收方党组织（{case.target_org.name}）"
        raise Forbidden(f"第{step.number}步“{step.name}”须由{who}办理")


# ---- deadlines ---------------------------------------------------------------------------


def probation_end(case: Case, records: dict) -> dt.date | None:
    """End of probation: the general meeting's date + probation (+ an extension), DEV-22."""
    if 15 not in records:
        return None
    meeting = records[15].done_on
    params = rule_in_force("DEV-22", meeting).params
    end = add_months(meeting, 12 * int(params["probation_years"]))
    return add_months(end, int(case.data.get("extension_months") or 0))


def _anchor(case: Case, records: dict, frm) -> dt.date | None:
    if isinstance(frm, int):
        rec = records.get(frm)
        return rec.done_on if rec else None
    if frm == "probation_end":
        return probation_end(case, records)
    if frm == "term_end":
        return case.board.term_end if case.board_id else None
    raise ValueError(f"unknown anchor {frm}")


def step_window(case: Case, step: ProcedureStep, records: dict, on: dt.date) -> dict:
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


def _review_due(case: Case, records: dict, on: dt.date) -> dt.date | None:
    """Next six-monthly review of an activist (DEV-6), while steps 4–6 are pending."""
    if case.procedure.code != Procedure.Code.DEVELOPMENT or 3 not in records:
        return None
    if not 4 <= case.current_step <= 6:
        return None
    last = max(
        [records[3].done_on, *(dt.date.fromisoformat(d) for d in case.data.get("reviews", []))]
    )
    return add_months(last, int(rule_in_force("DEV-6", on).params["review_every_months"]))


def _refresh_deadline(case: Case, steps: dict, records: dict) -> None:
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
    review = _review_due(case, records, today)
    if review and (case.next_due_on is None or review < case.next_due_on):
        case.next_due_on, case.next_due_rule = review, "DEV-6"
    if case.procedure.code == Procedure.Code.DEVELOPMENT and 15 in records:
        case.data["probation_end"] = str(probation_end(case, records))


def _load(case: Case) -> tuple[dict, dict]:
    steps = {s.number: s for s in case.procedure.steps.all()}
    records = {r.number: r for r in case.records.all()}
    return steps, records


def _save_case(case: Case) -> None:
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


# ---- opening cases -----------------------------------------------------------------------


def _lock(case: Case) -> Case:
    # Lock only the case row: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer joins that select_related makes for member / target_org / board.
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("procedure", "org", "member", "target_org", "board")
        .get(pk=case.pk)
    )


@transaction.atomic
def development_case_open(*, actor, member: Member, opened_on: dt.date | None = None) -> Case:
    """Open the 25-step case of an applicant (入党申请人) on the rolls."""
    member = Member.objects.select_for_update().select_related("org").get(pk=member.pk)
    if member.left_on:
        raise DomainError(f"{member.name}已不在册", field="member")
    if member.status != Member.Status.APPLICANT:
        raise DomainError(
            f"{member.name}是{member.get_status_display()}，只能为入党申请人建立发展党员案卷",
            field="member",
        )
    if not reach_of(actor).covers(member.org.path):
        raise Forbidden("该党员不在您的管理范围内")
    existing = Case.objects.of(Procedure.Code.DEVELOPMENT).open().filter(member=member).first()
    if existing:
        raise Conflict(f"{member.name}已有办理中的发展党员案卷（编号 {existing.pk}）")
    case = Case.objects.create(
        procedure=procedure_current(Procedure.Code.DEVELOPMENT),
        org=member.org,
        member=member,
        opened_on=opened_on or dt.date.today(),
    )
    steps, records = _load(case)
    _refresh_deadline(case, steps, records)
    _save_case(case)
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=case,
        verb="建立发展党员案卷",
        changes={"member": member.pk},
    )
    return case


@transaction.atomic
def transfer_create(
    *,
    actor,
    member: Member,
    applied_on: dt.date,
    to_org=None,
    destination: str = "",
    note: str = "",
) -> Case:
    """A member applies to transfer (step 1): to an org of the system, or out of it."""
    from dangjian.orgs.models import Org

    member = Member.objects.select_for_update().select_related("org").get(pk=member.pk)
    reach = reach_of(actor)
    if not (reach.member_id == member.pk or reach.covers(member.org.path)):
        raise Forbidden("只能为本人或管理范围内的党员申请转接")
    if member.left_on:
        raise DomainError(f"{member.name}已不在册", field="member")
    destination = (destination or "").strip()
    if (to_org is None) == (not destination):
        raise DomainError("请选择转入的党组织，或填写系统外的去向（二选一）", field="to_org")
    if to_org is not None:
        if to_org.is_dissolved or to_org.kind != Org.Kind.BRANCH:
            raise DomainError("转入组织须是未撤销的党支部", field="to_org")
        if to_org.pk == member.org_id:
            raise DomainError("转入组织与现所在党组织相同", field="to_org")
    if len(destination) > 200:
        raise DomainError("去向过长", field="destination")
    busy = Case.objects.of(Procedure.Code.TRANSFER).open().filter(member=member).first()
    if busy:
        raise Conflict(f"{member.name}已有办理中的组织关系转接（编号 {busy.pk}）")
    case = Case.objects.create(
        procedure=procedure_current(Procedure.Code.TRANSFER),
        org=member.org,
        member=member,
        target_org=to_org,
        target_name=destination,
        opened_on=applied_on,
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=case,
        verb="申请组织关系转接",
        changes={"member": member.pk, "to_org": to_org, "destination": destination},
    )
    return case_step_record(actor=actor, case=case, number=1, done_on=applied_on, note=note)


@transaction.atomic
def election_open(*, actor, org, opened_on: dt.date | None = None, system: bool = False) -> Case:
    """Open the election case of an org whose current board's term is ending.

    ``system=True`` is the daily reminder task acting (ELE-1), not a person."""
    from dangjian.orgs.models import Board

    if not system and not reach_of(actor).covers(org.path):
        raise Forbidden("该组织不在您的管理范围内")
    board = Board.objects.filter(org=org, is_current=True).first()
    if board is None:
        raise DomainError(f"{org.name}没有现任班子记录，请先登记班子任期", field="org")
    busy = Case.objects.of(Procedure.Code.ELECTION).open().filter(org=org).first()
    if busy:
        raise Conflict(f"{org.name}已有办理中的换届选举（编号 {busy.pk}）")
    case = Case.objects.create(
        procedure=procedure_current(Procedure.Code.ELECTION),
        org=org,
        board=board,
        opened_on=opened_on or dt.date.today(),
    )
    steps, records = _load(case)
    _refresh_deadline(case, steps, records)
    _save_case(case)
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=case,
        verb="启动换届选举",
        changes={"board": board.pk, "term_end": board.term_end},
    )
    return case


# ---- recording steps ---------------------------------------------------------------------


EARLIEST_DAY = dt.date(1900, 1, 1)


def _parse_date(value, field: str = "done_on") -> dt.date:
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
    others = {n: r for n, r in records.items() if n != skip}
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


def _validate_step(case, step, records, done_on, data, actor) -> dict:
    clean: dict[str, Any] = {}
    if step.validation:
        ctx = StepContext(
            case=case, step=step, done_on=done_on, data=data, records=records, actor=actor
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
    case = _lock(case)
    data = dict(data or {})
    done_on = _parse_date(done_on)
    steps, records = _load(case)
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
        actor=_user(actor),
        actor_name=_name(actor),
        data=clean,
        note=note,
    )
    records[number] = record
    EFFECTS.get((case.procedure.code, number), _no_effect)(actor, case, records)
    case.current_step = number + 1
    if number == max(steps):
        case.status = Case.Status.DONE
        case.closed_on = done_on
    _refresh_deadline(case, steps, records)
    _save_case(case)
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
    from dangjian.orgs.models import Position

    step = steps.get(case.current_step)
    if case.status != Case.Status.OPEN or step is None:
        return
    if step.actor == ProcedureStep.Actor.RECEIVER and case.target_org_id:
        org = case.target_org
    elif step.actor == ProcedureStep.Actor.SUPERIOR and case.org.parent_id:
        org = case.org.parent
    else:
        return
    users = [
        p.user
        for p in Position.objects.active()
        .filter(org=org, user__isnull=False)
        .select_related("user")
    ]
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


# ---- effects of steps on members and orgs ------------------------------------------------


def _no_effect(actor, case, records) -> None:
    return None


def _member_status(status: str, field: str, number: int, reason: str):
    def effect(actor, case: Case, records: dict) -> None:
        from dangjian.members.services import member_update

        member_update(
            actor=actor,
            member=case.member,
            reason=reason,
            on=records[number].done_on,
            status=status,
            **{field: records[number].done_on},
        )

    return effect


def _accept_probationary(actor, case: Case, records: dict) -> None:
    """Step 17: the superior approves; the member joined on the general meeting's date."""
    from dangjian.members.services import member_update

    member_update(
        actor=actor,
        member=case.member,
        reason="上级党委审批同意接收为预备党员",
        on=records[17].done_on,
        status=Member.Status.PROBATIONARY,
        joined_at=records[15].done_on,
    )


def _assign_group(actor, case: Case, records: dict) -> None:
    from dangjian.members.services import member_update
    from dangjian.orgs.models import Org

    gid = records[19].data.get("group")
    if gid:
        member_update(
            actor=actor,
            member=case.member,
            reason="编入党小组",
            group=Org.objects.get(pk=gid),
        )


def _make_full(actor, case: Case, records: dict) -> None:
    """Step 24: full membership counts from the day probation ended."""
    from dangjian.members.services import member_update

    member_update(
        actor=actor,
        member=case.member,
        reason="上级党委审批同意按期转为正式党员",
        on=records[24].done_on,
        status=Member.Status.FULL,
        full_at=probation_end(case, records),
    )


def _letter_issued(actor, case: Case, records: dict) -> None:
    letter = records[2].data
    case.data.update(
        letter_number=letter["letter_number"],
        valid_until=letter["valid_until"],
        paid_to=letter.get("paid_to"),
    )


def _transfer_move(actor, case: Case, records: dict) -> None:
    from dangjian.members.services import member_leave, member_update

    on = records[3].done_on
    if case.target_org_id:
        member_update(
            actor=actor,
            member=case.member,
            reason=f"组织关系转入（介绍信 {records[2].data.get('letter_number')}）",
            on=on,
            org=case.target_org,
        )
        # A development case in progress moves with the member to the receiving branch.
        moving = Case.objects.of(Procedure.Code.DEVELOPMENT).open().filter(member=case.member)
        for dev in moving:
            audit(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=dev,
                verb="发展党员案卷随组织关系转入",
                changes={"org": [dev.org_id, case.target_org_id]},
            )
        moving.update(org=case.target_org)
    else:
        member_leave(
            actor=actor, member=case.member, on=on, reason=f"组织关系转出至{case.target_name}"
        )


def _election_board(actor, case: Case, records: dict) -> None:
    from dangjian.accounts.models import User
    from dangjian.orgs.models import Position
    from dangjian.orgs.services import board_create, position_assign, position_end

    data = records[5].data
    start = dt.date.fromisoformat(data["term_start"])
    end = dt.date.fromisoformat(data["term_end"])
    # Board members re-elected to the same seat keep their position; the others leave
    # the day before the new term starts.
    keep = {(p["member"], p["role"]) for p in data["positions"]}
    old = Position.objects.active().filter(org=case.org).exclude(role=Position.Role.STAFF)
    kept = set()
    for position in old:
        if (position.member_id, position.role) in keep:
            kept.add((position.member_id, position.role))
            continue
        ended = max(start - dt.timedelta(days=1), position.started_on or start)
        position_end(actor=actor, position=position, on=ended)
    board = board_create(
        actor=actor, org=case.org, term_start=start, term_end=end, elected_on=records[4].done_on
    )
    ids = [p["member"] for p in data["positions"]]
    members = Member.objects.in_bulk(ids)
    users = {u.member_id: u for u in User.objects.filter(member_id__in=ids, is_active=True)}
    for p in data["positions"]:
        if (p["member"], p["role"]) in kept:
            continue
        position_assign(
            actor=actor,
            org=case.org,
            role=p["role"],
            member=members[p["member"]],
            user=users.get(p["member"]),
            started_on=start,
            board=board,
        )
    case.data["new_board"] = board.pk


EFFECTS = {
    ("development", 1): _member_status(Member.Status.APPLICANT, "applied_at", 1, "递交入党申请书"),
    ("development", 3): _member_status(
        Member.Status.ACTIVIST, "activist_at", 3, "确定为入党积极分子"
    ),
    ("development", 7): _member_status(
        Member.Status.CANDIDATE, "candidate_at", 7, "确定为发展对象"
    ),
    ("development", 17): _accept_probationary,
    ("development", 19): _assign_group,
    ("development", 24): _make_full,
    ("transfer", 3): _transfer_move,
    ("election", 5): _election_board,
}


# ---- other actions on a case -------------------------------------------------------------


def can_correct(actor, case: Case) -> bool:
    reach = reach_of(actor)
    if reach.everything:
        return True
    parents = case.org.ancestor_paths()[:-1]
    return bool(parents) and reach.covers(parents[-1])


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
    case = _lock(case)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写更正原因", field="reason")
    if not can_correct(actor, case):
        raise Forbidden("只有上级党委或平台管理员可以更正已办理的步骤")
    steps, records = _load(case)
    if number not in records:
        raise Conflict(f"第{number}步尚未办理，不能更正")
    step, record = steps[number], records[number]
    done_on = _parse_date(done_on)
    _check_dates(case, step, records, done_on, skip=number)
    merged = {**record.data, **(data or {})}
    others = {n: r for n, r in records.items() if n != number}
    clean = _validate_step(case, step, others, done_on, merged, actor)
    before = {"done_on": str(record.done_on), "data": record.data}
    record.done_on, record.data = done_on, clean or record.data
    record.corrections = [
        *record.corrections,
        {
            "at": dt.datetime.now().isoformat(timespec="seconds"),
            "by": _name(actor),
            "reason": reason,
            "before": before,
        },
    ]
    record.save(update_fields=["done_on", "data", "corrections", "updated_at"])
    _reapply_dates(actor, case, records, reason)
    _refresh_deadline(case, steps, records)
    _save_case(case)
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=case,
        verb=f"更正第{number}步：{step.name}",
        changes={"before": before, "done_on": done_on, "reason": reason},
    )
    return case


def _reapply_dates(actor, case: Case, records: dict, reason: str) -> None:
    """After a correction, the member's stage dates follow the case's records."""
    if case.procedure.code != Procedure.Code.DEVELOPMENT:
        return
    from dangjian.members.services import member_update

    wanted = {}
    for number, field in ((1, "applied_at"), (3, "activist_at"), (7, "candidate_at")):
        if number in records:
            wanted[field] = records[number].done_on
    if 17 in records:
        wanted["joined_at"] = records[15].done_on
    if 24 in records:
        wanted["full_at"] = probation_end(case, records)
    member = case.member
    changed = {k: v for k, v in wanted.items() if getattr(member, k) != v}
    if changed:
        member_update(actor=actor, member=member, reason=f"更正发展党员记录：{reason}", **changed)


@transaction.atomic
def case_review_add(*, actor, case: Case, reviewed_on: dt.date | str) -> Case:
    """Log one six-monthly review of an activist (DEV-6), between steps 3 and 6."""
    case = _lock(case)
    if case.procedure.code != Procedure.Code.DEVELOPMENT or not 4 <= case.current_step <= 6:
        raise Conflict("只有确定为入党积极分子后、确定发展对象前可以登记考察")
    if not reach_of(actor).covers(case.org.path):
        raise Forbidden("须由党支部登记考察")
    day = _parse_date(reviewed_on, "reviewed_on")
    steps, records = _load(case)
    if day > dt.date.today() or day < records[3].done_on:
        raise DomainError(
            f"考察日期须在确定积极分子（{records[3].done_on}）之后、今天之前", field="reviewed_on"
        )
    reviews = sorted({*case.data.get("reviews", []), str(day)})
    if reviews == case.data.get("reviews"):
        return case
    case.data["reviews"] = reviews
    _refresh_deadline(case, steps, records)
    _save_case(case)
    audit(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=case,
        verb="登记入党积极分子考察",
        changes={"reviewed_on": day},
    )
    return case


@transaction.atomic
def case_extend_probation(
    *, actor, case: Case, months: int, decided_on: dt.date | str, reason: str
) -> Case:
    """Extend probation once by the months the rule allows (DEV-22)."""
    case = _lock(case)
    if case.procedure.code != Procedure.Code.DEVELOPMENT or not 18 <= case.current_step <= 23:
        raise Conflict("只有预备期内（批准为预备党员后、讨论转正前）可以延长预备期")
    if not reach_of(actor).covers(case.org.path):
        raise Forbidden("须由党支部办理")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写延长预备期的原因", field="reason")
    decided_on = _parse_date(decided_on, "decided_on")
    params = rule_in_force("DEV-22", decided_on).params
    lo, hi = int(params["extension_min_months"]), int(params["extension_max_months"])
    times = int(params.get("extension_max_times", 1))
    try:
        months = int(months)
    except (TypeError, ValueError):
        raise DomainError("延长月数应为整数", field="months")
    if len(case.data.get("extensions", [])) >= times:
        raise DomainError(f"预备期只能延长{times}次", field="months", rule="DEV-22")
    if not lo <= months <= hi:
        raise DomainError(
            f"预备期延长时间不少于{lo}个月、最长不超过{hi}个月，现为{months}个月（DEV-22）",
            field="months",
            rule="DEV-22",
        )
    steps, records = _load(case)
    end = probation_end(case, records)
    if decided_on > end:
        raise DomainError(
            f"预备期已于{end}届满，须在届满前决定延长", field="decided_on", rule="DEV-22"
        )
    case.data["extension_months"] = months
    case.data["extensions"] = [{"months": months, "decided_on": str(decided_on), "reason": reason}]
    _refresh_deadline(case, steps, records)
    _save_case(case)
    audit(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=case,
        verb="延长预备期",
        changes={"months": months, "decided_on": decided_on, "reason": reason},
    )
    return case


@transaction.atomic
def case_cancel(*, actor, case: Case, reason: str, on: dt.date | None = None) -> Case:
    case = _lock(case)
    if case.status != Case.Status.OPEN:
        raise Conflict(f"该案卷{case.get_status_display()}")
    if not reach_of(actor).covers(case.org.path):
        raise Forbidden("须由办理组织终止")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写终止原因", field="reason")
    case.status, case.closed_on, case.close_reason = (
        Case.Status.CANCELLED,
        on or dt.date.today(),
        reason[:200],
    )
    _refresh_deadline(case, {}, {})
    _save_case(case)
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=case,
        verb="终止案卷",
        changes={"reason": reason},
    )
    return case


@transaction.atomic
def transfer_return(*, actor, case: Case, reason: str, on: dt.date | None = None) -> Case:
    """The receiving org returns the transfer; the member stays where they are (TRF-2)."""
    case = _lock(case)
    if case.procedure.code != Procedure.Code.TRANSFER:
        raise DomainError("不是组织关系转接案卷")
    if case.status != Case.Status.OPEN or case.current_step != 3:
        raise Conflict("只有已开具介绍信、尚未接收的转接可以退回")
    if not case.target_org_id:
        raise Conflict("转往系统外的转接没有接收方，可由原党组织终止")
    if not reach_of(actor).covers(case.target_org.path):
        raise Forbidden(f"须由接收方党组织（{case.target_org.name}）退回")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写退回原因", field="reason")
    case.status = Case.Status.RETURNED
    case.closed_on = on or dt.date.today()
    case.close_reason = reason[:200]
    _refresh_deadline(case, {}, {})
    _save_case(case)
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=case,
        verb="退回组织关系转接",
        changes={"reason": reason},
        org=case.target_org,
    )
    return case


# ---- materials ---------------------------------------------------------------------------

MATERIAL_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "application/msword",
        *OFFICE_TYPES.values(),
    }
)


def material_type(content: bytes, filename: str) -> tuple[str, str]:
    """The content type judged from the bytes (never from the name the browser sent)."""
    found = sniff(content[:16], filename)
    if found is None or found[0] not in MATERIAL_TYPES:
        raise DomainError(
            "文件类型不支持：只能上传 PDF、JPG、PNG、Word（doc/docx）或 Excel（xlsx）文件",
            field="file",
        )
    return found


@transaction.atomic
def material_add(
    *, actor, case: Case, step: int, kind: str, filename: str, content: bytes
) -> Material:
    case = _lock(case)
    steps, _ = _load(case)
    if step not in steps:
        raise DomainError(f"该流程没有第{step}步", field="step")
    if step > case.current_step:
        raise Conflict(f"第{step}步尚未开始，不能上传材料")
    reach = reach_of(actor)
    if not (
        reach.covers(case.org.path)
        or (case.target_org_id and reach.covers(case.target_org.path))
        or (steps[step].actor == ProcedureStep.Actor.MEMBER and reach.member_id == case.member_id)
    ):
        raise Forbidden("您不能为该步骤上传材料")
    kind = (kind or "").strip() or OTHER_MATERIAL
    allowed = [*steps[step].materials, OTHER_MATERIAL]
    if kind not in allowed:
        raise DomainError(f"第{step}步的材料应为：{'、'.join(allowed)}", field="kind")
    if not content:
        raise DomainError("文件为空", field="file")
    if len(content) > settings.UPLOAD_MAX_BYTES:
        raise DomainError(
            f"文件过大：不能超过 {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB", field="file"
        )
    ctype, ext = material_type(content, filename)
    digest = hashlib.sha256(content).hexdigest()
    same = Material.objects.filter(case=case, step=step, kind=kind, sha256=digest).first()
    if same is not None:
        return same  # the same file sent again (a retried upload): stored once
    base = (filename or "file").replace("/", "_").replace("\\", "_")[-150:]
    material = Material(
        case=case,
        step=step,
        kind=kind,
        filename=base,
        content_type=ctype,
        size=len(content),
        sha256=digest,
        uploaded_by=_user(actor),
    )
    material.file.save(f"material{ext}", ContentFile(content), save=False)
    material.save()
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=case,
        verb=f"上传材料：第{step}步 {kind}",
        changes={"filename": base, "size": len(content)},
    )
    return material
