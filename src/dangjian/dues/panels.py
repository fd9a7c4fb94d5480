"""The dues panel of the 驾驶舱 (``core.panels``): person-months due and paid in the year up
to the panel's month (the count of the ``dues:collection_rate`` metric) and the amount
collected; and, kept for the workbench, the members on the rolls and those who paid in the
panel's month and the month before. Six queries over the whole platform."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.urls import reverse

from dangjian.core.calendar import add_months
from dangjian.core.panels import Chart, Figure, PanelContext, panel
from dangjian.dues.models import DuesPaidMonth, DuesPayment
from dangjian.dues.selectors import PARTY
from dangjian.members.models import Member


def _summary(org, year: int) -> str:
    return f"{reverse('dues:summary')}?org={org.pk}&year={year}"


def _arrears(org, year: int) -> str:
    return f"{reverse('dues:arrears')}?org={org.pk}"


@panel(
    "dues",
    title="党费收缴",
    order=40,
    figures=[
        Figure("due", "应交人月", unit="count", link=_summary),
        Figure("paid", "已交人月", unit="count", link=_summary),
        Figure("unpaid", "未交人月", unit="count", link=_arrears),
        Figure("rate", "收缴率", unit="rate", rate=("paid", "due")),
        Figure("amount", "本年收缴金额", unit="money", link=_summary),
        # The month of the figures (this month, December for a past year) and the one
        # before it, in people: the workbench's collection rate over a work committee.
        Figure("month_due", "统计月在册党员", detail=True),
        Figure("month_paid", "统计月已交人数", detail=True),
        Figure("prev_due", "上一月在册党员", detail=True),
        Figure("prev_paid", "上一月已交人数", detail=True),
    ],
    charts=[
        Chart("gauge", "党费收缴率", ("rate",)),
        Chart("pie", "应交人月", ("paid", "unpaid")),
    ],
    watch=("dues.DuesPayment",),
    headline="rate",
    description="年内每月在册党员计一个应交人月（本年至本月），已登记交纳的月份计已交人月。",
)
def dues(ctx: PanelContext) -> dict[int, dict[str, float]]:
    last = ctx.as_of.month
    start, end = ctx.start, dt.date(ctx.year, last, 1)
    due: dict[int, int] = {}
    members = Member.objects.filter(status__in=PARTY).exclude(left_on__lt=start)
    for org_id, joined, left in members.values_list("org_id", "joined_at", "left_on").order_by():
        if joined and joined > ctx.as_of:
            continue
        first = joined.month if joined and joined.year == ctx.year else 1
        stop = left.month if left and left.year == ctx.year else last
        months = max(0, min(stop, last) - first + 1)
        if months:
            due[org_id] = due.get(org_id, 0) + months
    paid = dict(
        DuesPaidMonth.objects.filter(voided=False, month__gte=start, month__lte=end)
        .values("org_id")
        .annotate(n=Count("id"))
        .values_list("org_id", "n")
        .order_by()
    )
    amounts = dict(
        DuesPayment.objects.filter(voided_at__isnull=True, paid_on__year=ctx.year)
        .values("org_id")
        .annotate(total=Sum("amount"))
        .values_list("org_id", "total")
        .order_by()
    )
    out: dict[int, dict[str, float]] = {}
    for org_id in due.keys() | paid.keys() | amounts.keys():
        d, p = due.get(org_id, 0), min(paid.get(org_id, 0), due.get(org_id, 0))
        out[org_id] = {
            "due": d,
            "paid": p,
            "unpaid": d - p,
            "amount": float(amounts.get(org_id) or 0),
        }
    for org_id, figures in _months(end).items():
        out.setdefault(org_id, {}).update(figures)
    return out


def _months(month: dt.date) -> dict[int, dict[str, int]]:
    """Per org, members on the rolls in ``month`` and the month before, and how many of
    them paid each (as the workbench counts them live: ``dues.workbench._progress``).
    Three grouped queries."""
    before = add_months(month, -1)
    still = Q(left_on__isnull=True) | Q(left_on__gte=month)
    rolls = (
        Member.objects.filter(status__in=PARTY)
        .exclude(left_on__lt=before)
        .values("org_id")
        .annotate(now=Count("id", filter=still), then=Count("id"))
        .values_list("org_id", "now", "then")
        .order_by()
    )
    out = {
        org_id: {"month_due": now, "month_paid": 0, "prev_due": then, "prev_paid": 0}
        for org_id, now, then in rolls
    }
    for key, when in (("month_paid", month), ("prev_paid", before)):
        paid = (
            DuesPaidMonth.objects.valid()
            .filter(month=when)
            .values("org_id")
            .annotate(n=Count("id"))
            .values_list("org_id", "n")
            .order_by()
        )
        for org_id, n in paid:
            if org_id in out:  # as the workbench: payments of orgs with members on the rolls
                out[org_id][key] = n
    return out
