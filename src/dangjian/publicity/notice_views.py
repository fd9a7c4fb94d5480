"""Staff pages of 通知公告: the list, posting one, a notice with its read receipts (for the
sender's information only), pinning, withdrawal, attachments. Members read notices on the
phone (``phone``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.htmx import render
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.scope import get_manageable, get_visible
from dangjian.publicity import selectors, services
from dangjian.publicity.forms import NoticeFilterForm, NoticeForm
from dangjian.publicity.models import Notice
from dangjian.publicity.views import _filters


@manager_required
def notices(request):
    form, d = _filters(request, NoticeFilterForm)
    page = paginate(request, selectors.notice_list(request.user, today=timezone.localdate(), **d))
    ctx = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "today": timezone.localdate(),
    }
    return render(request, "publicity/notices.html", ctx)


@manager_required
def notice_new(request):
    form = NoticeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            notice = services.notice_publish(
                actor=request.user,
                org=d["org"],
                title=d["title"],
                body=d["body"],
                audience=d["audience"],
                people=list(d.get("people") or []),
                pinned=d["pinned"],
                expires_on=d["expires_on"],
                attachments=d.get("attachments") or [],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "通知已发布，接收人将在消息中心和手机端看到")
            return redirect("publicity:notice", notice.pk)
    return render(request, "publicity/notice_form.html", {"form": form})


@login_required
def notice(request, publicity_notice_id: int):
    item = get_visible(Notice.objects.select_related("org"), request.user, pk=publicity_notice_id)
    manager = Notice.objects.manageable_by(request.user).filter(pk=item.pk).exists()
    if not manager:
        return redirect("publicity:my_notice", item.pk)
    ctx = {
        "item": item,
        "attachments": list(item.attachments.all()),
        "people": list(item.people.select_related("org")),
        "receipts": selectors.receipts(item),
        "today": timezone.localdate(),
    }
    return render(request, "publicity/notice.html", ctx)


@require_POST
@manager_required
def notice_change(request, publicity_notice_id: int):
    item = get_manageable(Notice.objects.all(), request.user, pk=publicity_notice_id)
    try:
        if request.POST.get("withdraw"):
            services.notice_withdraw(
                actor=request.user, notice=item, reason=request.POST.get("reason", "")
            )
            messages.success(request, "通知已撤回")
        else:
            services.notice_update(
                actor=request.user, notice=item, pinned=request.POST.get("pinned") == "1"
            )
            messages.success(request, "已调整置顶")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("publicity:notice", item.pk)


@login_required
def notice_attachment(request, publicity_notice_id: int, notice_attachment_id: int):
    item = get_visible(Notice.objects.all(), request.user, pk=publicity_notice_id)
    att = item.attachments.filter(pk=notice_attachment_id).first()
    if att is None:
        raise Http404("对象不存在或无权访问")
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)
