"""Pages: the inspection board with coverage, duty reports (rated on the phone) and the
talks register. Thin: the gate first (404), then a selector or a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from dangjian.assessment.models import Rectification
from dangjian.assessment.supervision import duty, inspections, selectors, talks
from dangjian.assessment.supervision.forms import (
    AccountabilityForm,
    BallotForm,
    CommentForm,
    CommitmentForm,
    DutyReportForm,
    InspectionForm,
    TalkForm,
    VisitForm,
)
from dangjian.assessment.supervision.models import DutyReport, Inspection, Talk
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.scope import get_visible, reach_of
from dangjian.members.models import Member
from dangjian.orgs.models import Org


def _org_filter(request):
    if request.GET.get("org"):
        return get_visible(Org.objects, request.user, pk=request.GET["org"])
    return None


def _year(request):
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


# ---- inspections -------------------------------------------------------------------------


@login_required
def inspection_list(request):
    reach = reach_of(request.user)
    org, year, q = _org_filter(request), _year(request), request.GET.get("q", "").strip()[:50]
    qs = selectors.inspection_list(user=request.user, org=org, year=year, q=q)
    form = None
    if reach.is_manager:
        form = InspectionForm(request.POST or None, user=request.user)
        if not form.fields["org"].queryset.exists():
            form = None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            inspection = inspections.inspection_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "已发起督查，督查清单已按合规检查结果预填")
            return redirect("assessment:inspection_detail", inspection_id=inspection.pk)
    return render(
        request,
        "assessment/inspections.html",
        {
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "org": org,
            "year": year,
            "q": q,
            "form": form,
        },
    )


@login_required
def inspection_detail(request, inspection_id: int):
    inspection = get_visible(
        selectors.with_coverage(Inspection.objects.select_related("org")),
        request.user,
        pk=inspection_id,
    )
    can_manage = reach_of(request.user).covers(inspection.org.path)
    form = None
    if can_manage and inspection.status == Inspection.Status.OPEN:
        form = VisitForm(request.POST or None, inspection=inspection)
    if request.method == "POST" and can_manage:
        if request.POST.get("action") == "close":
            inspections.inspection_close(actor=request.user, inspection=inspection)
            messages.success(request, "督查已结束")
            return redirect("assessment:inspection_detail", inspection_id=inspection.pk)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                inspections.inspection_visit(
                    actor=request.user,
                    inspection=inspection,
                    org=data["org"],
                    on=data["on"],
                    kind=data["kind"],
                    note=data["note"],
                    findings=[{"text": t, "deadline": data["deadline"]} for t in data["findings"]],
                )
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, f"已登记{data['org'].name}的督查情况")
                return redirect("assessment:inspection_detail", inspection_id=inspection.pk)
    status = request.GET.get("status", "")
    status = status if status in ("done", "todo") else ""
    q = request.GET.get("q", "").strip()[:50]
    rows = selectors.inspection_board(inspection, status=status, q=q)
    cov = inspection.coverage
    return render(
        request,
        "assessment/inspection.html",
        {
            "inspection": inspection,
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "status": status,
            "q": q,
            "coverage": cov,
            "rate": inspection.coverage_rate,
            "free_items": selectors.free_items(inspection),
            "form": form,
            "can_manage": can_manage,
        },
    )


# ---- duty reports ------------------------------------------------------------------------


@login_required
def duty_report_list(request):
    reach = reach_of(request.user)
    org, year, q = _org_filter(request), _year(request), request.GET.get("q", "").strip()[:50]
    qs = selectors.duty_report_list(user=request.user, org=org, year=year, q=q)
    form = DutyReportForm(request.POST or None, user=request.user) if reach.is_manager else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            report = duty.duty_report_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "述职报告已登记，本组织党员和上级党组织可以评议")
            return redirect("assessment:duty_report_detail", duty_report_id=report.pk)
    page = paginate(request, qs)
    context = {
        "page": page,
        "query": query_without_page(request),
        "org": org,
        "year": year,
        "q": q,
        "form": form,
        "to_rate": list(selectors.to_rate(request.user)[:20]),
    }
    if not reach.is_manager:
        context["voted"] = selectors.voted(request.user, page)
        return render(request, "assessment/m_duty_reports.html", context)
    voters = selectors.voter_counts(page)
    for report in page:
        report.n_voters = voters.get(report.pk, 0)
    return render(request, "assessment/duty_reports.html", context)


@login_required
def duty_report_detail(request, duty_report_id: int):
    report = get_visible(
        DutyReport.objects.select_related("org", "reporter", "commented_by"),
        request.user,
        pk=duty_report_id,
    )
    reach = reach_of(request.user)
    ballot_form = BallotForm(request.POST if request.POST.get("action") == "rate" else None)
    comment_form = CommentForm(request.POST if request.POST.get("action") == "comment" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "rate" and ballot_form.is_valid():
                duty.duty_ballot_cast(
                    actor=request.user, report=report, rating=ballot_form.cleaned_data["rating"]
                )
                messages.success(request, "评议已提交，谢谢。评议以无记名方式统计")
                return redirect("assessment:duty_report_detail", duty_report_id=report.pk)
            if request.POST.get("action") == "comment" and comment_form.is_valid():
                duty.duty_report_comment(
                    actor=request.user, report=report, comment=comment_form.cleaned_data["comment"]
                )
                messages.success(request, "点评已保存，评议结束")
                return redirect("assessment:duty_report_detail", duty_report_id=report.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    has_voted = report.pk in selectors.voted(request.user, [report])
    can_rate = report.status == DutyReport.Status.OPEN and not has_voted
    can_rate = can_rate and duty.can_rate(request.user, report)
    parent_path = Org.objects.filter(pk=report.org.parent_id).values_list("path", flat=True).first()
    can_comment = parent_path is not None and reach.covers(parent_path)
    counts = duty.tallies(report)
    context = {
        "report": report,
        "tallies": [(label, counts[value]) for value, label in DutyReport.Rating.choices],
        "total": sum(counts.values()),
        "has_voted": has_voted,
        "can_rate": can_rate,
        "can_comment": can_comment and report.status == DutyReport.Status.OPEN,
        "ballot_form": ballot_form,
        "comment_form": comment_form,
    }
    template = (
        "assessment/duty_report.html" if reach.is_manager else "assessment/m_duty_report.html"
    )
    return render(request, template, context)


# ---- talks -------------------------------------------------------------------------------


@login_required
def talk_list(request):
    reach = reach_of(request.user)
    org, q = _org_filter(request), request.GET.get("q", "").strip()[:50]
    kind = request.GET.get("kind", "")
    kind = kind if kind in Talk.Kind.values else ""
    member = None
    if request.GET.get("member"):
        member = get_visible(Member.objects, request.user, pk=request.GET["member"])
    qs = selectors.talk_list(user=request.user, org=org, kind=kind, q=q, member=member)
    form = TalkForm(request.POST or None, user=request.user) if reach.is_manager else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            talk = talks.talk_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, f"已登记{talk.get_kind_display()}")
            return redirect("assessment:talk_detail", talk_id=talk.pk)
    return render(
        request,
        "assessment/talks.html",
        {
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "org": org,
            "kind": kind,
            "kinds": Talk.Kind.choices,
            "member": member,
            "q": q,
            "form": form,
        },
    )


@login_required
def talk_detail(request, talk_id: int):
    talk = get_visible(
        Talk.objects.select_related("org", "member", "created_by"), request.user, pk=talk_id
    )
    action = request.POST.get("action") if request.method == "POST" else None
    commit_form = CommitmentForm(request.POST if action == "commit" else None)
    decision_form = AccountabilityForm(request.POST if action == "decide" else None)
    if action == "commit" and commit_form.is_valid():
        try:
            talks.talk_commit(actor=request.user, talk=talk, **commit_form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(commit_form, exc)
        else:
            messages.success(request, "承诺事项已列入整改清单")
            return redirect("assessment:talk_detail", talk_id=talk.pk)
    if action == "decide" and decision_form.is_valid():
        try:
            talks.accountability_create(
                actor=request.user,
                org=talk.org,
                member=talk.member,
                talk=talk,
                **decision_form.cleaned_data,
            )
        except DomainError as exc:
            add_domain_errors(decision_form, exc)
        else:
            messages.success(request, "问责决定已登记")
            return redirect("assessment:talk_detail", talk_id=talk.pk)
    return render(
        request,
        "assessment/talk.html",
        {
            "talk": talk,
            "commitments": Rectification.objects.for_source(talk).select_related("owner"),
            "findings": talk.findings.select_related("org", "owner"),
            "decisions": talk.decisions.all(),
            "commit_form": commit_form,
            "decision_form": decision_form,
            "today": timezone.localdate(),
        },
    )
