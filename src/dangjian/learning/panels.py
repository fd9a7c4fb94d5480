"""The study panel of the 驾驶舱 (``core.panels``): the share of party members whose
credited study hours of the year reach EDU-1 (the same count as the ``learning:completion``
metric; members exempted for the year left out). Counts of people only: no one's hours or
points are shown or ranked (ANT-1, ANT-2). Four queries over the whole platform."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse

from dangjian.core.errors import DomainError
from dangjian.core.panels import Chart, Figure, PanelContext, panel
from dangjian.learning.models import StudyCredit, StudyExemption
from dangjian.members.models import Member
from dangjian.standards.selectors import rule_in_force

PARTY = (Member.Status.FULL, Member.Status.PROBATIONARY)


def _hours(org, year: int) -> str:
    return f"{reverse('learning:hours')}?org={org.pk}&year={year}"


@panel(
    "learning",
    title="学习学时",
    order=60,
    figures=[
        Figure("counted", "应达标党员", link=_hours),
        Figure("met", "学时已达标", link=_hours),
        Figure("not_met", "学时未达标", link=_hours),
        Figure("exempt", "按规定不作要求", link=_hours),
        Figure("rate", "学时达标率", unit="rate", rate=("met", "counted")),
    ],
    charts=[
        Chart("gauge", "年度学时达标率（EDU-1）", ("rate",)),
        Chart("pie", "党员学时达标情况", ("met", "not_met", "exempt")),
    ],
    watch=("learning.StudyCredit", "learning.StudyExemption"),
    headline="rate",
    description="在册党员中本年认定学时达到 EDU-1 要求的人数比例（按规定不作硬性要求的不计）。",
)
def learning(ctx: PanelContext) -> dict[int, dict[str, int]]:
    try:
        need = Decimal(str(rule_in_force("EDU-1", ctx.end).params["min_hours"]))
    except (DomainError, KeyError):  # the rule is not in the library: nothing to measure
        return {}
    members = dict(
        Member.objects.filter(status__in=PARTY, left_on__isnull=True)
        .values_list("pk", "org_id")
        .order_by()
    )
    hours = dict(
        StudyCredit.objects.filter(status=StudyCredit.Status.APPROVED, year=ctx.year)
        .values("member_id")
        .annotate(h=Sum("hours"))
        .values_list("member_id", "h")
        .order_by()
    )
    exempt = set(StudyExemption.objects.filter(year=ctx.year).values_list("member_id", flat=True))
    out: dict[int, dict[str, int]] = {}
    for member_id, org_id in members.items():
        acc = out.setdefault(org_id, {})
        if member_id in exempt:
            key = "exempt"
        else:
            acc["counted"] = acc.get("counted", 0) + 1
            key = "met" if (hours.get(member_id) or 0) >= need else "not_met"
        acc[key] = acc.get(key, 0) + 1
    return out
