"""Back-office pages of the year's work: the annual plan, the register (台账) and the
民主评议党员."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.scope import get_manageable
from dangjian.meetings import exports, selectors, services
from dangjian.meetings.forms import (
    AppraisalOpenForm,
    FinalizeForm,
    PlanForm,
    SlotMoveForm,
    branch_choices,
)
from dangjian.meetings.models import Appraisal, PlanSlot
from dangjian.meetings.views.common import default_branch, org_param, year_param
from dangjian.orgs.models import Org

# ---------------------------------------------------------------- plan


@manager_required
def plan(request):
    org = default_branch(request)
    year = year_param(request)
    form = PlanForm(request.POST or None, user=request.user, initial={"org": org, "year": year})
    if request.method == "POST" and form.is_valid():
        org = get_manageable(Org.objects, request.user, pk=form.cleaned_data["org"].pk)
        year = form.cleaned_data["year"]
        try:
            services.plan_generate(actor=request.user, org=org, year=year)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已按现行规则生成 {year} 年度计划")
        return redirect(f"{reverse('meetings:plan')}?org={org.pk}&year={year}")
    rows = selectors.plan_rows(org=org, year=year) if org is not None else []
    return render(
        request,
        "meetings/plan.html",
        {
            "form": form,
            "org": org,
            "year": year,
            "rows": rows,
            "summary": selectors.plan_summary(rows),
            "orgs": branch_choices(request.user).only("id", "name"),
        },
    )


@manager_required
@require_POST
def plan_slot_move(request, slot_id: int):
    slot = get_manageable(PlanSlot.objects.select_related("org"), request.user, pk=slot_id)
    form = SlotMoveForm(request.POST)
    if form.is_valid():
        try:
            services.plan_slot_move(
                actor=request.user, slot=slot, planned_on=form.cleaned_data["planned_on"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "计划日期已调整")
    else:
        messages.error(request, "请填写正确的日期")
    return redirect(f"{reverse('meetings:plan')}?org={slot.org_id}&year={slot.year}")


@manager_required
@require_POST
def plan_slot_schedule(request, slot_id: int):
    slot = get_manageable(PlanSlot.objects.select_related("org", "group"), request.user, pk=slot_id)
    start = None
    if request.POST.get("start"):
        try:
            start = dt.time.fromisoformat(request.POST["start"])
        except ValueError:
            messages.error(request, "开始时间格式应为 HH:MM")
            return redirect(f"{reverse('meetings:plan')}?org={slot.org_id}&year={slot.year}")
    try:
        meeting = services.plan_slot_schedule(
            actor=request.user,
            slot=slot,
            topic=request.POST.get("topic", ""),
            start=start,
            place=request.POST.get("place", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('meetings:plan')}?org={slot.org_id}&year={slot.year}")
    messages.success(request, "会议已安排，通知已发送")
    return redirect("meetings:detail", meeting_id=meeting.pk)


# ---------------------------------------------------------------- register


@manager_required
def register(request):
    org = org_param(request, manage=True)
    if org is None:
        raise Http404
    year = year_param(request)
    fmt = request.GET.get("format", "pdf")
    if fmt in {"xlsx", "csv"}:
        return exports.register_response(request, org=org, year=year, fmt=fmt)
    if fmt == "html":
        return render(
            request,
            "meetings/register_pdf.html",
            exports.register_context(org=org, year=year) | {"printed_at": timezone.localtime()},
        )
    return exports.register_pdf(request, org=org, year=year)


# ---------------------------------------------------------------- appraisals


@manager_required
def appraisal_list(request):
    form = AppraisalOpenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            appraisal = services.appraisal_open(
                actor=request.user, org=form.cleaned_data["org"], year=form.cleaned_data["year"]
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "民主评议已开展，已通知参评党员")
            return redirect("meetings:appraisal_detail", appraisal_id=appraisal.pk)
    qs = Appraisal.objects.manageable_by(request.user).select_related("org")
    return render(
        request,
        "meetings/appraisals.html",
        {"form": form, "page": paginate(request, qs), "query": query_without_page(request)},
    )


@manager_required
def appraisal_detail(request, appraisal_id: int):
    appraisal = get_manageable(
        Appraisal.objects.select_related("org"), request.user, pk=appraisal_id
    )
    entries = list(appraisal.entries.select_related("member"))
    form = FinalizeForm(request.POST or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            services.appraisal_finalize(
                actor=request.user,
                appraisal=appraisal,
                ratings=form.ratings(),
                followup_deadline=form.cleaned_data.get("followup_deadline"),
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
            for err in exc.errors:
                if f"rating_{err.get('field')}" in form.fields:
                    form.add_error(f"rating_{err['field']}", err["message"])
        else:
            messages.success(request, "评定等次已保存")
            return redirect("meetings:appraisal_detail", appraisal_id=appraisal.pk)
    stats = selectors.appraisal_stats(appraisal)
    rows = [
        {
            "entry": e,
            "field": form[f"rating_{e.member_id}"],
            "counts": [
                stats["per_member"].get(e.member_id, {}).get(v, 0) for v in Appraisal.Rating.values
            ],
        }
        for e in entries
    ]
    return render(
        request,
        "meetings/appraisal_detail.html",
        {
            "appraisal": appraisal,
            "rows": rows,
            "form": form,
            "stats": stats,
            "ratings": Appraisal.Rating.choices,
        },
    )
