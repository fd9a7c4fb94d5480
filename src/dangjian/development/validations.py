"""Named validations that procedure steps call (age, contacts, sponsors, votes ...).

Each takes a ``StepContext`` whose ``input`` is the step data already parsed by the
validation's schema (``stepdata.py``: types, required fields, field-level errors), checks
the rules, and returns the cleaned step data to store, or raises a ``DomainError`` naming
the rule it enforces. The numbers come from the rule version in force on the step's date
(``ctx.params(code)``), never from this file; earlier steps are found by their stable code
(``ctx.date_of(Step.TRAINING)``), never by their number.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from dangjian.core.calendar import add_months
from dangjian.core.errors import DomainError
from dangjian.development.dates import shift, working_days
from dangjian.development.steps import ElectionStep, Step
from dangjian.members.models import Member, years_between
from dangjian.members.selectors import voting_roll
from dangjian.standards.selectors import rule_in_force


@dataclass
class StepContext:
    case: Any
    step: Any  # ProcedureStep
    done_on: dt.date
    data: dict
    records: Any  # selectors.Records: CaseStep by number, and by step code (``of``)
    actor: Any
    input: Any = None  # the data parsed by the validation's schema (stepdata.SCHEMAS)
    _rules: dict = field(default_factory=dict)

    def rule(self, code: str):
        if code not in self._rules:
            self._rules[code] = rule_in_force(code, self.done_on)
        return self._rules[code]

    def params(self, code: str) -> dict:
        return self.rule(code).params

    def cite(self, code: str) -> str:
        rule = self.rule(code)
        return f"（{rule.code} {rule.standard.short_name}{rule.article}）"

    def record(self, code: str):
        """The record of the earlier step with this code (``steps.Step`` ...)."""
        return self.records.of(code)

    def date_of(self, code: str) -> dt.date:
        return self.records.of(code).done_on


VALIDATIONS: dict[str, Callable[[StepContext], dict]] = {}


def validation(name: str):
    def deco(func):
        VALIDATIONS[name] = func
        return func

    return deco


def _full_members(ctx: StepContext, ids: list[int], key: str, label: str, rule: str):
    """Members who are full members on the rolls, in the case's org tree (one query)."""
    if len(set(ids)) != len(ids):
        raise DomainError(f"{label}不能重复", field=key, rule=rule)
    if ctx.case.member_id in ids:
        raise DomainError(f"{label}不能是本人", field=key, rule=rule)
    root = ctx.case.org.ancestor_paths()[0] if ctx.case.org.path else ""
    found = {
        m.pk: m for m in Member.objects.in_subtree(root).filter(pk__in=ids).select_related("org")
    }
    problems = []
    for pk in ids:
        m = found.get(pk)
        if m is None:
            problems.append({"field": key, "message": f"编号 {pk} 的党员不存在"})
        elif m.left_on is not None:
            problems.append({"field": key, "message": f"{m.name}已不在册"})
        elif m.status != Member.Status.FULL:
            problems.append(
                {"field": key, "message": f"{m.name}是{m.get_status_display()}，须为正式党员"}
            )
    if problems:
        raise DomainError(
            f"{label}须是正式党员：{problems[0]['message']}{ctx.cite(rule)}",
            errors=problems,
            rule=rule,
        )
    return [found[pk] for pk in ids]


@validation("min_age")
def min_age(ctx: StepContext) -> dict:
    minimum = int(ctx.params("DEV-1")["min_age"])
    member = ctx.case.member
    age = years_between(member.birth_date, ctx.done_on)
    if age < minimum:
        eligible = add_months(member.birth_date, 12 * minimum)
        raise DomainError(
            f"申请人递交申请时须年满{minimum}周岁：{member.name}于{ctx.done_on}时{age}周岁，"
            f"最早可于{eligible}递交{ctx.cite('DEV-1')}",
            field="done_on",
            rule="DEV-1",
        )
    return {"age": age}


@validation("contacts")
def contacts(ctx: StepContext) -> dict:
    p = ctx.params("DEV-5")
    lo, hi = int(p["contacts_min"]), int(p["contacts_max"])
    ids = ctx.input.contacts
    if not lo <= len(ids) <= hi:
        raise DomainError(
            f"培养联系人须为{lo}至{hi}名正式党员，现为{len(ids)}名{ctx.cite('DEV-5')}",
            field="contacts",
            rule="DEV-5",
        )
    people = _full_members(ctx, ids, "contacts", "培养联系人", "DEV-5")
    return {"contacts": ids, "contact_names": [m.name for m in people]}


@validation("sponsors")
def sponsors(ctx: StepContext) -> dict:
    need = int(ctx.params("DEV-9")["sponsors"])
    ids = ctx.input.sponsors
    if len(ids) != need:
        raise DomainError(
            f"入党介绍人须为{need}名正式党员，现为{len(ids)}名{ctx.cite('DEV-9')}",
            field="sponsors",
            rule="DEV-9",
        )
    people = _full_members(ctx, ids, "sponsors", "入党介绍人", "DEV-9")
    return {"sponsors": ids, "sponsor_names": [m.name for m in people]}


@validation("reviews")
def reviews(ctx: StepContext) -> dict:
    """Six-monthly reviews: no gap longer than the rule allows from activist to this step."""
    every = int(ctx.params("DEV-6")["review_every_months"])
    raw = [dt.date.fromisoformat(str(v)) for v in ctx.case.data.get("reviews", [])]
    dates = sorted({*raw, *ctx.input.reviews})
    start = ctx.date_of(Step.ACTIVIST)
    for d in dates:
        if d < start or d > ctx.done_on:
            raise DomainError(
                f"考察日期{d}须在确定积极分子（{start}）之后、本步骤（{ctx.done_on}）之前",
                field="reviews",
                rule="DEV-6",
            )
    if not dates:
        raise DomainError(
            f"尚无考察记录：党支部须每{every}个月考察一次入党积极分子{ctx.cite('DEV-6')}",
            field="reviews",
            rule="DEV-6",
        )
    previous = start
    for d in [*dates, ctx.done_on]:
        limit = add_months(previous, every)
        if d > limit:
            raise DomainError(
                f"{previous}之后应在{limit}前考察，下一次考察为{d}，间隔超过{every}个月"
                f"{ctx.cite('DEV-6')}",
                field="reviews",
                rule="DEV-6",
            )
        previous = d
    return {"reviews": [str(d) for d in dates]}


@validation("training")
def training(ctx: StepContext) -> dict:
    p = ctx.params("DEV-11")
    need_days, need_hours = int(p["training_min_days"]), int(p["training_min_hours"])
    days, hours = ctx.input.days or 0, ctx.input.hours or 0
    if days < need_days and hours < need_hours:
        raise DomainError(
            f"集中培训须不少于{need_days}天或不少于{need_hours}学时，"
            f"现为{days}天、{hours}学时{ctx.cite('DEV-11')}",
            field="days",
            rule="DEV-11",
        )
    return {"days": days, "hours": hours}


@validation("notice")
def notice(ctx: StepContext) -> dict:
    need = int(ctx.params("DEV-L1")["notice_working_days"])
    start, end = ctx.input.notice_start, ctx.input.notice_end
    if end < start:
        raise DomainError("公示结束日期不能早于开始日期", field="notice_end")
    trained = ctx.date_of(Step.TRAINING)
    if start < trained or end > ctx.done_on:
        raise DomainError(
            f"公示须在集中培训（{trained}）之后、支部委员会审查（{ctx.done_on}）之前",
            field="notice_start",
            rule="DEV-L1",
        )
    days = working_days(start, end)
    if days < need:
        raise DomainError(
            f"公示期须不少于{need}个工作日，{start}至{end}为{days}个工作日{ctx.cite('DEV-L1')}",
            field="notice_end",
            rule="DEV-L1",
        )
    return {"notice_start": str(start), "notice_end": str(end), "working_days": days}


@validation("leaving")
def leaving(ctx: StepContext) -> dict:
    months = int(ctx.params("DEV-13")["leave_within_months"])
    leaving_on = ctx.input.leaving_on
    if leaving_on and leaving_on < add_months(ctx.done_on, months):
        raise DomainError(
            f"发展对象将于{leaving_on}离开工作单位（{months}个月内），一般不进行预审"
            f"{ctx.cite('DEV-13')}",
            field="leaving_on",
            rule="DEV-13",
        )
    return {"leaving_on": str(leaving_on) if leaving_on else None}


@validation("vote")
def vote(ctx: StepContext) -> dict:
    from dangjian.meetings.voting import judge_vote

    own = ctx.step.rules[0]  # the step's own rule (DEV-15, DEV-23) names the vote rule
    rule_code = ctx.params(own).get("vote_rule")
    data = ctx.input
    voting, present, votes_for = data.voting_members, data.present, data.votes_for
    against, abstain = data.against or 0, data.abstain or 0
    roll = voting_roll(ctx.case.org, scope="subtree").count()
    if voting > roll:
        raise DomainError(
            f"应到会有表决权人数{voting}多于本组织有表决权的正式党员{roll}人",
            field="voting_members",
            rule=rule_code,
        )
    meeting_id = data.meeting
    if meeting_id is not None:
        from dangjian.meetings.models import Meeting

        meeting = Meeting.objects.filter(
            pk=meeting_id,
            org=ctx.case.org,
            kind=Meeting.Kind.GENERAL_MEETING,
        ).first()
        if meeting is None:
            raise DomainError("所选会议不是本支部的党员大会", field="meeting")
        meeting_id = meeting.pk
    result = judge_vote(
        voting_members=voting,
        present_voting=present,
        votes_for=votes_for,
        votes_against=against,
        abstain=abstain,
        rule_code=rule_code,
        on=ctx.done_on,
    )
    if not result.passed:
        raise DomainError(
            f"表决未通过，不能登记本步骤：{result.explanation}",
            field="for" if result.quorum else "present",
            rule=rule_code,
        )
    return {
        "voting_members": voting,
        "present": present,
        "for": votes_for,
        "against": against,
        "abstain": abstain,
        "meeting": meeting_id,
        "result": result.as_dict(),
    }


@validation("approval")
def approval(ctx: StepContext) -> dict:
    p = ctx.params("DEV-17")
    within = int(p["approval_within_months"])
    meeting = ctx.date_of(Step.ADMISSION_MEETING)
    normal = add_months(meeting, within)
    reason = ctx.input.special_reason
    if ctx.done_on > normal and not reason:
        raise DomainError(
            f"审批日期{ctx.done_on}超过支部大会（{meeting}）后{within}个月（{normal}），"
            f"须写明特殊情况{ctx.cite('DEV-17')}",
            field="special_reason",
            rule="DEV-17",
        )
    return {"special_reason": reason} if reason else {}


@validation("group")
def group(ctx: StepContext) -> dict:
    from dangjian.orgs.models import Org

    gid = ctx.input.group
    if gid is None:
        return {}
    found = Org.objects.filter(pk=gid, parent=ctx.case.org, kind=Org.Kind.GROUP).first()
    if found is None:
        raise DomainError("党小组须是本支部下设的党小组", field="group")
    return {"group": found.pk, "group_name": found.name}


@validation("materials_complete")
def materials_complete(ctx: StepContext) -> dict:
    from dangjian.development.models import Material

    have = set(Material.objects.filter(case=ctx.case).values_list("step", "kind"))
    missing = [
        {"field": "materials", "message": f"第{s.number}步“{s.name}”缺少：{kind}"}
        for s in ctx.case.procedure.steps.all()
        for kind in s.materials
        if (s.number, kind) not in have
    ]
    if missing:
        raise DomainError(
            f"材料不齐全，不能归档：{missing[0]['message']}等{len(missing)}项{ctx.cite('DEV-25')}",
            errors=missing,
            rule="DEV-25",
        )
    return {"materials": len(have)}


# ---- transfers ---------------------------------------------------------------------------


@validation("transfer_target")
def transfer_target(ctx: StepContext) -> dict:
    case = ctx.case
    if case.target_org_id:
        return {"to_org": case.target_org_id, "to_org_name": case.target_org.name}
    return {"destination": case.target_name}


@validation("letter")
def letter(ctx: StepContext) -> dict:
    from dangjian.development.models import CaseStep

    number = ctx.input.letter_number
    if not number:
        raise DomainError("请填写介绍信编号", field="letter_number")
    if len(number) > 60:
        raise DomainError("介绍信编号过长", field="letter_number")
    clash = (
        CaseStep.objects.filter(
            case__procedure__code="transfer", number=ctx.step.number, data__letter_number=number
        )
        .exclude(case=ctx.case)
        .exists()
    )
    if clash:
        raise DomainError(f"介绍信编号“{number}”已被使用", field="letter_number")
    months = int(ctx.params("TRF-1")["letter_valid_months"])
    valid_until = add_months(ctx.done_on, months)
    paid_to = member_paid_to_month(ctx.case.member)
    return {
        "letter_number": number,
        "valid_until": str(valid_until),
        "paid_to": paid_to,
    }


def member_paid_to_month(member) -> str | None:
    """The month (YYYY-MM) up to which the member has paid dues, from the dues app (TRF-3)."""
    try:
        from dangjian.dues.selectors import member_paid_to
    except ImportError:
        return None
    value = member_paid_to(member)
    if value is None:
        return None
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}"
    return str(value)[:7]


# ---- elections ---------------------------------------------------------------------------


def election_eligible(org, on: dt.date):
    """Members who may vote and stand (ELE-2): on the rolls, not excluded by status."""
    excluded = rule_in_force("ELE-2", on).params.get("excluded_statuses", [])
    return voting_roll(org, scope="subtree", excluded_statuses=excluded)


@validation("seats")
def seats(ctx: StepContext) -> dict:
    n = ctx.input.seats
    if n < 1:
        raise DomainError("应选人数须至少为 1", field="seats")
    return {"seats": n}


@validation("candidates")
def candidates(ctx: StepContext) -> dict:
    n_seats = int(ctx.record(ElectionStep.REQUEST).data["seats"])
    margin = Fraction(str(ctx.params("ELE-5")["candidates_margin"]))
    need = math.ceil(n_seats * (1 + margin))
    ids = ctx.input.candidates
    if len(set(ids)) != len(ids):
        raise DomainError("候选人不能重复", field="candidates")
    if len(ids) < need:
        raise DomainError(
            f"差额选举：应选{n_seats}人，候选人须多于应选人数的{margin}，即至少{need}人，"
            f"现为{len(ids)}人{ctx.cite('ELE-5')}",
            field="candidates",
            rule="ELE-5",
        )
    eligible = {m.pk: m for m in election_eligible(ctx.case.org, ctx.done_on).filter(pk__in=ids)}
    bad = [pk for pk in ids if pk not in eligible]
    if bad:
        names = dict(Member.objects.filter(pk__in=bad).values_list("pk", "name"))
        who = "、".join(names.get(pk, f"编号{pk}") for pk in bad)
        raise DomainError(
            f"{who}没有被选举权（须为本组织在册正式党员，预备党员不能当选）{ctx.cite('ELE-2')}",
            field="candidates",
            rule="ELE-2",
        )
    return {"candidates": ids, "candidate_names": [eligible[pk].name for pk in ids]}


@validation("election_vote")
def election_vote(ctx: StepContext) -> dict:
    from dangjian.meetings.voting import judge_vote

    n_seats = int(ctx.record(ElectionStep.REQUEST).data["seats"])
    cands = [int(c) for c in ctx.record(ElectionStep.CANDIDATES).data["candidates"]]
    voting, present = ctx.input.voting_members, ctx.input.present
    roll = election_eligible(ctx.case.org, ctx.done_on).count()
    if voting > roll:
        raise DomainError(
            f"应到会有选举权人数{voting}多于本组织有选举权的党员{roll}人（预备党员没有选举权）"
            f"{ctx.cite('ELE-2')}",
            field="voting_members",
            rule="ELE-2",
        )
    votes: dict[int, int] = {}
    for pk, count in ctx.input.votes.items():
        if pk not in cands:
            raise DomainError(f"编号{pk}不是本次选举的候选人", field="votes")
        votes[pk] = count
        if votes[pk] > present:
            raise DomainError("候选人得票数不能多于到会人数", field="votes")
    results = {}
    for pk in cands:
        results[pk] = judge_vote(
            voting_members=voting,
            present_voting=present,
            votes_for=votes.get(pk, 0),
            rule_code="ELE-4",
            on=ctx.done_on,
        )
    first = results[cands[0]]
    if not first.quorum:
        raise DomainError(
            f"到会人数不足，选举无效：{first.explanation}", field="present", rule="ELE-3"
        )
    passed = sorted((pk for pk in cands if results[pk].passed), key=lambda pk: -votes.get(pk, 0))
    if len(passed) < n_seats:
        raise DomainError(
            f"得票超过到会人数一半的候选人只有{len(passed)}人，少于应选{n_seats}人，"
            f"须对不足名额另行选举后再登记{ctx.cite('ELE-4')}",
            field="votes",
            rule="ELE-4",
        )
    if len(passed) > n_seats and votes[passed[n_seats - 1]] == votes[passed[n_seats]]:
        raise DomainError(
            "末位当选人得票相等，须对得票相等的候选人再次投票后登记", field="votes", rule="ELE-4"
        )
    elected = passed[:n_seats]
    return {
        "voting_members": voting,
        "present": present,
        "votes": {str(pk): votes.get(pk, 0) for pk in cands},
        "elected": elected,
        "pass_needed": first.pass_needed,
        "quorum_needed": first.quorum_needed,
        "explanation": first.explanation,
    }


@validation("board")
def board(ctx: StepContext) -> dict:
    from dangjian.orgs.models import Position

    start = ctx.input.term_start or ctx.date_of(ElectionStep.VOTE)
    end = ctx.input.term_end
    if end <= start:
        raise DomainError("任期届满日期须晚于任期开始日期", field="term_end")
    if start > dt.date.today():
        raise DomainError("任期开始日期不能晚于今天", field="term_start")
    elected = [int(x) for x in ctx.record(ElectionStep.VOTE).data["elected"]]
    clean, seen, roles = [], set(), []
    for item in ctx.input.positions:
        pk, role = item.member, item.role
        if pk not in elected:
            raise DomainError(f"编号{pk}不是本次当选的委员", field="positions")
        if role not in Position.Role.values or role == Position.Role.STAFF:
            raise DomainError(f"职务“{role}”无效", field="positions")
        if pk in seen:
            raise DomainError("同一委员只能填写一个职务", field="positions")
        seen.add(pk)
        roles.append(role)
        clean.append({"member": pk, "role": role})
    if roles.count(Position.Role.SECRETARY) != 1:
        raise DomainError("新一届班子须有且只有一名书记", field="positions")
    return {"term_start": str(start), "term_end": str(end), "positions": clean}


def window_date(anchor: dt.date, window: dict, params: dict) -> dt.date:
    amount = int(params[window["param"]]) * int(window.get("sign", 1))
    return shift(anchor, amount, window["unit"])
