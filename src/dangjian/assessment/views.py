"""Pages of the rectification list (整改清单), mounted by ``assessment/urls.py`` under
/assessment/rectifications/ (``assessment:rectifications``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from dangjian.assessment import selectors, services
from dangjian.assessment.forms import RectificationForm, SubmitForm, VerifyForm
from dangjian.assessment.models import Rectification
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.scope import get_visible, reach_of
from dangjian.orgs.models import Org


@login_required
def rectification_list(request):
    reach = reach_of(request.user)
    org = None
    if request.GET.get("org"):
        org = get_visible(Org.objects, request.user, pk=request.GET["org"])
    status = request.GET.get("status", "")
    status = status if status in Rectification.Status.values else ""
    today = timezone.localdate()
    qs = selectors.rectification_list(
        user=request.user,
        org=org,
        status=status,
        overdue_on=today if request.GET.get("overdue") else None,
    )
    form = None
    if reach.is_manager:
        form = RectificationForm(
            request.POST or None, user=request.user, org=org, initial={"org": org}
        )
        if request.method == "POST" and form.is_valid():
            try:
                rect = services.rectification_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, "已列入整改清单")
                return redirect("assessment:rectification_detail", rectification_id=rect.pk)
    template = "assessment/rectifications.html" if reach.is_manager else "assessment/m_list.html"
    return render(
        request,
        template,
        {
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "org": org,
            "status": status,
            "statuses": Rectification.Status.choices,
            "form": form,
            "today": today,
        },
    )


@login_required
def rectification_detail(request, rectification_id: int):
    rect = get_visible(
        Rectification.objects.select_related("org", "owner", "verified_by", "source_type"),
        request.user,
        pk=rectification_id,
    )
    reach = reach_of(request.user)
    can_verify = reach.covers(rect.org.path)
    is_owner = reach.member_id == rect.owner_id
    submit_form = SubmitForm(initial={"evidence": rect.evidence})
    verify_form = VerifyForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit" and (is_owner or can_verify):
                submit_form = SubmitForm(request.POST, request.FILES)
                if submit_form.is_valid():
                    services.rectification_submit(
                        actor=request.user,
                        rectification=rect,
                        evidence=submit_form.cleaned_data["evidence"],
                        evidence_file=submit_form.cleaned_data.get("file"),
                    )
                    messages.success(request, "整改情况已提交，等待验收")
                    return redirect("assessment:rectification_detail", rectification_id=rect.pk)
            elif action == "verify" and can_verify:
                verify_form = VerifyForm(request.POST)
                if verify_form.is_valid():
                    services.rectification_verify(
                        actor=request.user, rectification=rect, **verify_form.cleaned_data
                    )
                    messages.success(request, "验收结果已保存")
                    return redirect("assessment:rectification_detail", rectification_id=rect.pk)
            else:
                messages.error(request, "无法执行该操作")
        except DomainError as exc:
            messages.error(request, exc.message)
    template = "assessment/rectification.html" if reach.is_manager else "assessment/m_detail.html"
    return render(
        request,
        template,
        {
            "rect": rect,
            "can_verify": can_verify,
            "is_owner": is_owner,
            "submit_form": submit_form,
            "verify_form": verify_form,
            "overdue": rect.is_overdue(timezone.localdate()),
        },
    )
