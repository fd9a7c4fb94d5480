"""Demo procedures: a few membership development cases at various steps, a transfer waiting
for the receiving branch, an election case for a board whose term is ending.

Small at every scale (a dozen cases through the services), so it stays quick even for the
city build. Each case is driven step by step with dates relative to ``ctx.today``; a step
the rules refuse simply leaves the case waiting there, as it would in real life.
"""

from __future__ import annotations

import datetime as dt

from dangjian.core.calendar import add_months
from dangjian.core.demo import DemoContext
from dangjian.core.errors import DomainError
from dangjian.development import services
from dangjian.development.selectors import step_number
from dangjian.development.steps import ElectionStep, Step, TransferStep
from dangjian.members.models import Member
from dangjian.orgs.models import Board

CASES = 8


def _plan(applied: dt.date, full_ids: list[int], group_id: int | None) -> list[tuple]:
    """A plausible timeline from the application date: (step code, date, data)."""
    activist = applied + dt.timedelta(days=45)
    candidate = add_months(activist, 12) + dt.timedelta(days=10)
    meeting = candidate + dt.timedelta(days=120)
    probation_end = add_months(meeting, 12)
    plan = [
        (Step.APPLICATION, applied, {}),
        (Step.APPLICATION_TALK, applied + dt.timedelta(days=20), {}),
        (Step.ACTIVIST, activist, {}),
        (Step.ACTIVIST_FILED, activist + dt.timedelta(days=7), {}),
        (Step.CONTACTS, activist + dt.timedelta(days=10), {"contacts": full_ids[:2]}),
        (
            Step.ACTIVIST_REVIEW,
            candidate - dt.timedelta(days=5),
            {"reviews": [str(add_months(activist, 5)), str(add_months(activist, 10))]},
        ),
        (Step.CANDIDATE, candidate, {}),
        (Step.CANDIDATE_FILED, candidate + dt.timedelta(days=5), {}),
        (Step.SPONSORS, candidate + dt.timedelta(days=10), {"sponsors": full_ids[:2]}),
        (Step.POLITICAL_REVIEW, candidate + dt.timedelta(days=30), {}),
        (Step.TRAINING, candidate + dt.timedelta(days=60), {"days": 3, "hours": 24}),
    ]
    notice_start = candidate + dt.timedelta(days=70)
    while notice_start.weekday() != 0:
        notice_start += dt.timedelta(days=1)
    plan += [
        (
            Step.COMMITTEE_REVIEW,
            notice_start + dt.timedelta(days=10),
            {"notice_start": str(notice_start), "notice_end": str(notice_start + dt.timedelta(4))},
        ),
        (Step.PRE_REVIEW, meeting - dt.timedelta(days=20), {}),
        (Step.VOLUNTEER_FORM, meeting - dt.timedelta(days=10), {}),
        (Step.ADMISSION_MEETING, meeting, "vote"),
        (Step.SUPERIOR_TALK, meeting + dt.timedelta(days=15), {}),
        (Step.ADMISSION_APPROVED, meeting + dt.timedelta(days=40), {}),
        (Step.ADMISSION_FILED, meeting + dt.timedelta(days=50), {}),
        (Step.GROUP, meeting + dt.timedelta(days=55), {"group": group_id}),
        (Step.OATH, meeting + dt.timedelta(days=60), {}),
        (Step.PROBATION_EDUCATION, meeting + dt.timedelta(days=150), {}),
        (Step.FULL_APPLICATION, probation_end - dt.timedelta(days=10), {}),
        (Step.FULL_MEETING, probation_end, "vote"),
    ]
    return plan


def _drive(ctx: DemoContext, case, plan, voters: int) -> None:
    today = min(ctx.today, dt.date.today())
    numbers = dict(case.procedure.steps.values_list("code", "number"))
    for code, day, data in plan:
        if day > today:
            return
        number = numbers[code]
        if data == "vote":
            data = {"voting_members": voters, "present": voters, "for": voters}
        try:
            case = services.case_step_record(
                actor=ctx.actor, case=case, number=number, done_on=day, data=data
            )
        except DomainError:
            return


def build(ctx: DemoContext) -> None:
    made = 0
    for branch in ctx.branches:
        if made >= CASES:
            break
        members = ctx.members_by_org.get(branch.pk, [])
        full = [
            m.pk
            for m in members
            if m.status == Member.Status.FULL and not m.voting_rights_suspended
        ]
        applicants = [m for m in members if m.status == Member.Status.APPLICANT and m.applied_at]
        if len(full) < 3 or not applicants:
            continue
        group = next((g for g in ctx.groups if g.parent_id == branch.pk), None)
        for member in applicants[:2]:
            try:
                case = services.development_case_open(actor=ctx.actor, member=member)
            except DomainError:
                continue
            # Some cases start years back so that they have gone further along the path.
            back = ctx.random.choice([0, 0, 8, 16, 26])
            applied = add_months(member.applied_at, -back) if back else member.applied_at
            if applied < member.birth_date.replace(year=member.birth_date.year + 19):
                applied = member.applied_at
            _drive(ctx, case, _plan(applied, full, group.pk if group else None), len(full))
            made += 1
    _transfer(ctx)
    _election(ctx)
    ctx.log(f"一件事：{made} 个发展党员案卷，1 个组织关系转接，1 个换届选举")


def _transfer(ctx: DemoContext) -> None:
    today = min(ctx.today, dt.date.today())
    if len(ctx.branches) < 2:
        return
    source, target = ctx.branches[0], ctx.branches[1]
    mover = next(
        (m for m in ctx.members_by_org.get(source.pk, []) if m.status == Member.Status.FULL),
        None,
    )
    if mover is None:
        return
    try:
        case = services.transfer_create(
            actor=ctx.actor,
            member=mover,
            applied_on=today - dt.timedelta(days=6),
            to_org=target,
            note="工作调动",
        )
        services.case_step_record(
            actor=ctx.actor,
            case=case,
            number=step_number(case, TransferStep.LETTER),
            done_on=today - dt.timedelta(days=5),
            data={"letter_number": f"转字〔{today.year}〕1号"},
        )
    except DomainError:
        return


def _election(ctx: DemoContext) -> None:
    today = min(ctx.today, dt.date.today())
    board = (
        Board.objects.filter(
            is_current=True,
            term_end__gte=today,
            term_end__lte=add_months(today, 6),
            org__in=[b.pk for b in ctx.branches[:200]],
        )
        .select_related("org")
        .order_by("term_end")
        .first()
    )
    if board is None:
        return
    try:
        case = services.election_open(actor=ctx.actor, org=board.org, opened_on=today)
        services.case_step_record(
            actor=ctx.actor,
            case=case,
            number=step_number(case, ElectionStep.REQUEST),
            done_on=today,
            data={"seats": 3},
        )
    except DomainError:
        return
