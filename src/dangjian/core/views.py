import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dangjian.core import help as guides
from dangjian.core.decorators import manager_required
from dangjian.core.forms import AuditFilterForm
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.scope import reach_of
from dangjian.core.search import search, search_url_value
from dangjian.core.selectors import audit_change_lines, audit_entries
from dangjian.core.services import notification_mark_read
from dangjian.core.workbench import workbench_for
from dangjian.core.working import switch_org

PHONE_UA = re.compile(r"Mobi|Android|iPhone|iPod|HarmonyOS|MicroMessenger", re.IGNORECASE)


def shell_for(request) -> str:
    """The shell a shared page (the inbox) opens in: the member shell for a plain member
    and for anyone on a phone, the staff shell otherwise."""
    if not reach_of(request.user).is_manager:
        return "base/mobile.html"
    if PHONE_UA.search(request.headers.get("User-Agent", "")):
        return "base/mobile.html"
    return "base/layout.html"


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request):
    """The workbench (工作台) of a staff user; a plain member's home is their phone page."""
    if not reach_of(request.user).is_manager:
        return redirect("members:me")
    return render(request, "core/home.html", {"wb": workbench_for(request.user)})


@login_required
def inbox(request):
    page = paginate(request, request.user.notifications.all())
    return render(request, "core/inbox.html", {"page": page, "shell": shell_for(request)})


@login_required
@require_POST
def inbox_read(request):
    notification_mark_read(user=request.user)
    return redirect("core:inbox")


@login_required
def audit_log(request):
    if not reach_of(request.user).is_manager:
        raise Http404
    form = AuditFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(user=request.user, **{k: v for k, v in filters.items() if v})
    page = paginate(request, entries)
    page.object_list = list(page.object_list)
    audit_change_lines(page.object_list)
    return render(
        request,
        "core/audit.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
        },
    )


@login_required
def help_page(request):
    """The 帮助 link of every page (``?page=<URL name>``): the guide section for that page."""
    own = guides.guide_for_user(reach_of(request.user))
    guide, anchor = guides.help_target(request.GET.get("page"), own)
    url = reverse("core:help_guide", args=[guide])
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
def help_guide(request, guide: str):
    if guide not in guides.GUIDES:
        raise Http404
    context = {
        "guide": guide,
        "guides": guides.GUIDES,
        "title": guides.GUIDES[guide],
        "body": guides.render_guide(guide),
        "shell": shell_for(request),
    }
    return render(request, "core/help.html", context)


@manager_required
def search_page(request):
    """Members and orgs within reach by name, pinyin, initials, ID tail or org name. The top
    bar posts its box here, so that a full ID number typed in it never reaches a URL; the
    URL then shown carries only what the apps' ``url_filter``s let through."""
    q = (request.POST if request.method == "POST" else request.GET).get("q", "").strip()
    url_q = search_url_value(q)
    url = reverse("core:search") + (f"?{urlencode({'q': url_q})}" if url_q else "")
    if request.method == "GET" and q != url_q:
        messages.info(request, "身份证号请在搜索框中输入后查询，不要写在网址中。")
        return redirect(url)
    if request.method == "POST" and q == url_q:
        return redirect(url)  # land on the shareable URL
    groups = search(user=request.user, q=q)
    found = any(group.hits for group in groups)
    return render(request, "core/search.html", {"q": q, "groups": groups, "found": found})


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.headers.get("Referer") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else reverse("core:home")


@manager_required
@require_POST
def org_switch(request):
    """The top bar's org switcher: remember the org the user works in (one of the orgs
    where they hold a position), then go back to the page they came from."""
    org_id = request.POST.get("org", "").strip()
    org = switch_org(request, org_id)
    if org_id and org is None:
        raise Http404("对象不存在或无权访问")
    messages.success(request, f"当前工作组织：{org.name}" if org else "已取消选择工作组织")
    return redirect(_safe_next(request))


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "对象不存在或无权访问", "errors": []}, status=404)
    return render(
        request,
        "base/error.html",
        {"message": "页面不存在，或您无权访问。", "title": "404"},
        status=404,
    )


def server_error(request):
    """The 500 answer: JSON under /api/, a plain page elsewhere; both name the request id
    that the log record of the error carries (core.middleware.RequestIdMiddleware)."""
    request_id = getattr(request, "request_id", "") or "-"
    message = f"服务器内部错误，已记录。如需协助，请向管理员提供请求编号 {request_id}。"
    if _wants_json(request):
        return JsonResponse({"detail": message, "errors": [], "request_id": request_id}, status=500)
    try:
        return render(request, "base/error.html", {"message": message, "title": "500"}, status=500)
    except Exception:  # the error page itself must not fail
        return HttpResponse(message, content_type="text/plain; charset=utf-8", status=500)
