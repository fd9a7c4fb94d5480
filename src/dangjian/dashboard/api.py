"""驾驶舱 API at /api/v1/dashboard: the kept figures of an org's subtree for a year, and a
request to rebuild them. Thin: the gate (404 outside reach), then a selector or a service."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status

from dangjian.core.idempotency import idempotent
from dangjian.core.scope import get_manageable, reach_of
from dangjian.dashboard import selectors, services
from dangjian.dashboard.schemas import (
    DashboardOut,
    DashboardQuery,
    DashboardRefreshIn,
    DashboardRefreshOut,
)
from dangjian.orgs.models import Org

router = Router(tags=["驾驶舱"])


def _org(request, org_id: int | None) -> Org:
    if org_id is not None:
        return get_manageable(Org.objects.exclude(kind=Org.Kind.GROUP), request.user, pk=org_id)
    if not reach_of(request.user).is_manager:
        raise Http404("对象不存在或无权访问")
    org = selectors.org_choices(request.user).order_by("depth", "path").first()
    if org is None:
        raise Http404("没有可查看的党组织")
    return org


@router.get("", response=DashboardOut, summary="驾驶舱：一个党组织（含下级）的各面板数字")
def dashboard(request, q: Query[DashboardQuery]):
    """例：`/api/v1/dashboard?org=1` → `{"org": 1, "panels": [{"key": "members", "title":
    "党员队伍结构", "figures": {"total": 52, "full": 49, …}}, …]}`。数字取自后台汇总的结果
    （变动后由后台更新，每晚全量更新），请求不会实时扫描党员档案。"""
    org = _org(request, q.org)
    year = q.year or timezone.localdate().year
    rebuild = selectors.rebuild_of(year)
    panels = []
    for view in selectors.board(org, year, children=q.children, links=False):
        values = view.figure_values() if view.kept else {}
        panels.append(
            {
                "key": view.key,
                "title": view.title,
                "figures": {k: v for k, v in values.items() if v is not None},
                "missing": [k for k, v in values.items() if v is None],
                "labels": {f.key: f.label for f in view.figures},
                "headline": view.panel.headline_figure.key,
                "children": [
                    {"org": c.org.pk, "name": c.org.name, "value": c.value} for c in view.children
                ],
            }
        )
    return {
        "org": org.pk,
        "org_name": org.name,
        "year": year,
        "built_at": rebuild.built_at if rebuild else None,
        "panels": panels,
    }


@router.post("/refresh", response={202: DashboardRefreshOut}, summary="请求后台立即更新驾驶舱数据")
def refresh(request, payload: DashboardRefreshIn):
    """例：`{"org": 1, "year": 2026}` → 202。更新在后台进行；可带 `Idempotency-Key`。"""
    org = _org(request, payload.org)
    year = payload.year or timezone.localdate().year

    def run():
        services.figures_refresh_request(actor=request.user, org=org, year=year)
        return 202, {"detail": f"已提交更新{year}年驾驶舱数据"}

    status, body = idempotent(
        request, run, endpoint="dashboard.refresh", payload=payload.model_dump(mode="json")
    )
    return Status(status, body)
