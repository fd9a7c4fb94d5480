"""Membership development cases: open one for an applicant, log the six-monthly reviews of
an activist, extend probation. Recording the 25 steps is the engine's (``cases``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import AuditEntry
from dangjian.development.models import Case, Procedure
from dangjian.development.selectors import (
    case_steps,
    in_activist_review,
    in_probation,
    probation_end,
)
from dangjian.development.services.cases import (
    case_open,
    lock,
    parse_day,
    refresh_deadline,
    save_case,
)
from dangjian.development.steps import Step
from dangjian.members.models import Member
from dangjian.standards.selectors import rule_in_force


@transaction.atomic
def development_case_open(*, actor, member: Member, opened_on: dt.date | None = None) -> Case:
    """Open the 25-step case of an applicant (入党申请人) on the rolls."""
    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    if member.left_on:
        raise DomainError(f"{member.name}已不在册", field="member")
    if member.status != Member.Status.APPLICANT:
        raise DomainError(
            f"{member.name}是{member.get_status_display()}，只能为入党申请人建立发展党员案卷",
            field="member",
        )
    return case_open(
        actor=actor,
        code=Procedure.Code.DEVELOPMENT,
        holder=member.name,
        org=member.org,
        member=member,
        opened_on=opened_on or dt.date.today(),
        verb="建立发展党员案卷",
        changes={"member": member.pk},
    )


@transaction.atomic
def case_review_add(*, actor, case: Case, reviewed_on: dt.date | str) -> Case:
    """Log one six-monthly review of an activist (DEV-6), while under review."""
    case = lock(case)
    steps, records = case_steps(case)
    if not in_activist_review(case, records):
        raise Conflict("只有确定为入党积极分子后、确定发展对象前可以登记考察")
    day = parse_day(reviewed_on, "reviewed_on")
    confirmed = records.of(Step.ACTIVIST).done_on
    if day > dt.date.today() or day < confirmed:
        raise DomainError(
            f"考察日期须在确定积极分子（{confirmed}）之后、今天之前", field="reviewed_on"
        )
    reviews = sorted({*case.data.get("reviews", []), str(day)})
    if reviews == case.data.get("reviews"):
        return case
    case.data["reviews"] = reviews
    refresh_deadline(case, steps, records)
    save_case(case)
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
    case = lock(case)
    steps, records = case_steps(case)
    if not in_probation(case, records):
        raise Conflict("只有预备期内（批准为预备党员后、讨论转正前）可以延长预备期")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写延长预备期的原因", field="reason")
    decided_on = parse_day(decided_on, "decided_on")
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
    end = probation_end(case, records)
    if decided_on > end:
        raise DomainError(
            f"预备期已于{end}届满，须在届满前决定延长", field="decided_on", rule="DEV-22"
        )
    case.data["extension_months"] = months
    case.data["extensions"] = [{"months": months, "decided_on": str(decided_on), "reason": reason}]
    refresh_deadline(case, steps, records)
    save_case(case)
    audit(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=case,
        verb="延长预备期",
        changes={"months": months, "decided_on": decided_on, "reason": reason},
    )
    return case
