"""驾驶舱 pages: the dashboard of an org and year (its panels as charts with the figures
beside them), one panel drilled down to the next level of the tree, the big screen, the
Excel export and a request to rebuild now. Every read is of the kept figures."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dangjian.core import panels
from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.scope import get_manageable
from dangjian.core.working import default_org
from dangjian.dashboard import exports, selectors, services
from dangjian.dashboard.forms import PickForm
from dangjian.orgs.models import Org


def _pick(request, data=None):
    """The org and year asked for (default: the working org or the top of the reach, this
    year); an org out of reach or a year without figures answers 404."""
    params = data if data is not None else request.GET
    orgs = selectors.org_choices(request.user)
    org_id = params.get("org")
    if org_id:
        if not str(org_id).isdigit():
            raise Http404("组织不存在")
        org = get_manageable(Org.objects.exclude(kind=Org.Kind.GROUP), request.user, pk=org_id)
    else:
        org = default_org(request, orgs)
        if org is None:
            raise Http404("没有可查看的党组织")
    years = selectors.years_kept()
    raw = params.get("year") or years[0]
    try:
        year = int(raw)
    except (TypeError, ValueError):
        raise Http404("年度无效")
    if year not in years:
        raise Http404("该年度没有驾驶舱数据")
    form = PickForm(initial={"org": org.pk, "year": year}, user=request.user)
    return form, org, year


def _trail(org: Org, user) -> list[Org]:
    """The org's ancestors within the user's reach, top first (the drill-down's way back)."""
    return list(
        Org.objects.manageable_by(user).filter(path__in=org.ancestor_paths()[:-1]).order_by("depth")
    )


@manager_required
def index(request):
    form, org, year = _pick(request)
    views = selectors.board(org, year)
    return render(
        request,
        "dashboard/index.html",
        {
            "form": form,
            "org": org,
            "year": year,
            "panels": views,
            "trail": _trail(org, request.user),
            "org_options": selectors.org_options(request.user, org),
            "rebuild": selectors.rebuild_of(year),
            "query": f"org={org.pk}&year={year}",
        },
    )


@manager_required
def panel_detail(request, panel_key: str):
    if panels.get(panel_key) is None:
        raise Http404("面板不存在")
    form, org, year = _pick(request)
    view = selectors.board(org, year, only=panel_key, children=True)[0]
    q = request.GET.get("q", "").strip()[:50]
    order = request.GET.get("order", "")
    view.children = selectors.sort_children(view.children, q=q, order=order)
    return render(
        request,
        "dashboard/panel.html",
        {
            "form": form,
            "org": org,
            "year": year,
            "p": view,
            "q": q,
            "order": order,
            "orders": selectors.ORDERS,
            "trail": _trail(org, request.user),
            "org_options": selectors.org_options(request.user, org),
            "rebuild": selectors.rebuild_of(year),
            "query": f"org={org.pk}&year={year}",
        },
    )


@manager_required
def screen(request):
    _, org, year = _pick(request)
    views = selectors.board(org, year, dark=True, links=False)
    return render(
        request,
        "dashboard/screen.html",
        {
            "org": org,
            "year": year,
            "panels": views,
            "rebuild": selectors.rebuild_of(year),
            "refresh": settings.DASHBOARD_SCREEN_REFRESH_SECONDS,
        },
    )


@manager_required
def export(request):
    _, org, year = _pick(request)
    title = f"{org.name}{year}年驾驶舱数据"
    return exports.FiguresExporter("驾驶舱", selectors.export_rows(org, year)).response(title)


@manager_required
@require_POST
def refresh(request):
    _, org, year = _pick(request, request.POST)
    try:
        services.figures_refresh_request(actor=request.user, org=org, year=year)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已提交更新，后台完成后刷新本页即可看到最新数据。")
    return redirect(f"{reverse('dashboard:index')}?org={org.pk}&year={year}")
