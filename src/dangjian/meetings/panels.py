"""The organizational-life panel of the 驾驶舱 (``core.panels``): the annual plans' meetings
due so far against those held (the same count as the ``meetings:held_rate`` metric), and the
year's meetings held by kind. Two grouped queries over the whole platform."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from dangjian.core.panels import Chart, Figure, PanelContext, panel
from dangjian.meetings.models import Meeting, PlanSlot

KINDS = [(f"held.{k}", f"{label}") for k, label in Meeting.Kind.choices]


def _plan(org, year: int) -> str:
    return f"{reverse('meetings:plan')}?org={org.pk}&year={year}"


def _held(kind: str = ""):
    def url(org, year: int) -> str:
        query = f"org={org.pk}&year={year}&status={Meeting.Status.HELD}"
        return f"{reverse('meetings:list')}?{query}" + (f"&kind={kind}" if kind else "")

    return url


@panel(
    "meetings",
    title="组织生活",
    order=20,
    figures=[
        Figure("due", "计划应召开", unit="count", link=_plan),
        Figure("held_on_plan", "已按计划召开", unit="count", link=_plan),
        Figure("rate", "按计划召开率", unit="rate", rate=("held_on_plan", "due")),
        Figure("held", "本年已召开会议", unit="count", link=_held()),
        *[Figure(k, label, unit="count", link=_held(k.split(".")[1])) for k, label in KINDS],
    ],
    charts=[
        Chart("gauge", "按计划召开率", ("rate",)),
        Chart("bar", "本年已召开会议（按类型）", tuple(k for k, _ in KINDS)),
    ],
    watch=("meetings.Meeting", "meetings.PlanSlot"),
    headline="rate",
    description="年度计划中应完成日期已到的会议，已按计划召开的比例；以及本年已召开的各类会议。",
)
def meetings(ctx: PanelContext) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    slots = (
        PlanSlot.objects.filter(year=ctx.year, due_on__lte=ctx.as_of)
        .values("org_id")
        .annotate(
            n=Count("id", distinct=True),
            done=Count("id", filter=Q(meetings__status=Meeting.Status.HELD), distinct=True),
        )
        .values_list("org_id", "n", "done")
        .order_by()
    )
    for org_id, n, done in slots:
        out.setdefault(org_id, {}).update(due=n, held_on_plan=done)
    held = (
        Meeting.objects.filter(status=Meeting.Status.HELD, held_at__year=ctx.year)
        .values("org_id", "kind")
        .annotate(n=Count("id"))
        .values_list("org_id", "kind", "n")
        .order_by()
    )
    for org_id, kind, n in held:
        acc = out.setdefault(org_id, {})
        acc["held"] = acc.get("held", 0) + n
        acc[f"held.{kind}"] = n
    return out
