"""The member's phone pages (``base/mobile.html``): my tasks and reporting on one, and my
post, zone and pledge (making this year's pledge when there is none yet)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone

from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.htmx import render
from dangjian.core.paging import paginate
from dangjian.members.models import Member
from dangjian.work import selectors, services
from dangjian.work.forms import PledgeForm
from dangjian.work.models import Pledge
from dangjian.work.views import _task_page


@login_required
def my_tasks(request):
    today = timezone.localdate()
    page = paginate(request, selectors.my_tasks(request.user), 20)
    return render(request, "work/m_tasks.html", {"page": page, "today": today})


@login_required
def my_task(request, task_id: int):
    return _task_page(request, task_id, "work/m_task.html", "work:my_task")


@login_required
def mine(request):
    if not request.user.member_id:
        raise Http404("没有关联的党员档案")
    me = (
        Member.objects.visible_to(request.user).select_related("org").get(pk=request.user.member_id)
    )
    year = timezone.localdate().year
    pledge = Pledge.objects.visible_to(request.user).filter(member=me, year=year).first()
    form = None
    if pledge is None:
        form = PledgeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.pledge_make(
                    actor=request.user, member=me, year=year, text=form.cleaned_data["text"]
                )
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, f"已作出{year}年承诺")
                return redirect("work:mine")
    history = Pledge.objects.visible_to(request.user).filter(member=me).exclude(year=year)[:5]
    return render(
        request,
        "work/m_mine.html",
        {
            "me": me,
            "year": year,
            "pledge": pledge,
            "form": form,
            "history": list(history),
            **selectors.my_posts(request.user, me.pk),
        },
    )
