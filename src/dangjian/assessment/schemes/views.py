"""Pages of assessment schemes: the list, the designer, the results matrix (with Excel and
PDF) and one target's sheet, where manual indicators are scored and reviewed and every
automatic value links to the records behind it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.assessment.schemes import exports, services
from dangjian.assessment.schemes.common import targets
from dangjian.assessment.schemes.forms import IndicatorForm, PublishForm, SchemeForm, ScoreForm
from dangjian.assessment.schemes.models import Scheme, Score
from dangjian.assessment.schemes.results import (
    limit_to_reach,
    scheme_results,
    sees_every_target,
)
from dangjian.core import metrics
from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.htmx import render
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.scope import get_visible, reach_of

SORTS = {"year": ("year", "org__path"), "-year": ("-year", "org__path"), "title": ("title",)}


@manager_required
def scheme_list(request):
    q = request.GET.get("q", "").strip()
    year = request.GET.get("year", "")
    sort = request.GET.get("sort", "-year")
    qs = Scheme.objects.visible_to(request.user).select_related("org")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(org__name__icontains=q))
    if year.isdigit():
        qs = qs.filter(year=int(year))
    qs = qs.order_by(*SORTS.get(sort, SORTS["-year"]), "-version")
    form = SchemeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            # The designer starts from an empty draft and adds indicators one by one.
            scheme = services.scheme_create(
                actor=request.user, indicators=None, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "方案已起草，请逐项添加考核指标")
            return redirect("assessment:scheme", scheme_id=scheme.pk)
    return render(
        request,
        "assessment/schemes/list.html",
        {
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "q": q,
            "year": year,
            "sort": sort,
            "form": form,
        },
    )


def _tree(indicators):
    """Indicators in tree order with their depth (parents before children)."""
    children: dict = {}
    for i in indicators:
        children.setdefault(i.parent_id, []).append(i)
    out = []

    def walk(parent_id, depth):
        for i in children.get(parent_id, []):
            i.depth = depth
            i.has_children = i.pk in children
            out.append(i)
            walk(i.pk, depth + 1)

    walk(None, 0)
    return out


@manager_required
def scheme_detail(request, scheme_id: int):
    scheme = get_visible(
        Scheme.objects.select_related("org", "previous"), request.user, pk=scheme_id
    )
    can_manage = reach_of(request.user).covers(scheme.org.path)
    form = None
    publish_form = PublishForm()
    if can_manage and scheme.is_editable:
        form = IndicatorForm(request.POST or None, user=request.user, scheme=scheme)
    if request.method == "POST":
        if not can_manage:
            raise Http404("对象不存在或无权访问")
        action = request.POST.get("action", "add")
        try:
            if action == "add" and form is not None:
                if form.is_valid():
                    services.indicator_add(actor=request.user, scheme=scheme, **form.cleaned_data)
                    messages.success(request, "已增加指标")
                    return redirect("assessment:scheme", scheme_id=scheme.pk)
            elif action == "remove":
                ind = scheme.indicators.filter(pk=request.POST.get("indicator") or 0).first()
                if ind is None:
                    raise DomainError("该指标不存在")
                services.indicator_remove(actor=request.user, indicator=ind)
                messages.success(request, f"已删除指标 {ind.code}")
                return redirect("assessment:scheme", scheme_id=scheme.pk)
            elif action == "publish":
                publish_form = PublishForm(request.POST)
                if publish_form.is_valid():
                    services.scheme_publish(
                        actor=request.user,
                        scheme=scheme,
                        effective_from=publish_form.cleaned_data["effective_from"],
                    )
                    messages.success(request, "方案已发布，评分组织可以开始评分")
                    return redirect("assessment:scheme", scheme_id=scheme.pk)
            elif action == "revise":
                new = services.scheme_revise(actor=request.user, scheme=scheme)
                messages.success(request, f"已修订出第{new.version}版草稿")
                return redirect("assessment:scheme", scheme_id=new.pk)
            elif action == "close":
                services.scheme_close(actor=request.user, scheme=scheme)
                messages.success(request, "考核已结束，自动取值已按今天的数据冻结")
                return redirect("assessment:scheme_results", scheme_id=scheme.pk)
            else:
                messages.error(request, "无法执行该操作")
        except DomainError as exc:
            if form is not None and action == "add":
                add_domain_errors(form, exc)
            else:
                messages.error(request, exc.message)
    indicators = _tree(list(scheme.indicators.select_related("scoring_org").order_by("sort", "id")))
    for i in indicators:
        if i.metric:  # the metric's title on screen; its key only as a tooltip
            found = metrics.resolve(i.metric)
            i.metric_title = found.title if found is not None else "（该平台指标已不存在）"
    return render(
        request,
        "assessment/schemes/detail.html",
        {
            "scheme": scheme,
            "indicators": indicators,
            "form": form,
            "publish_form": publish_form,
            "can_manage": can_manage,
            "versions": Scheme.objects.visible_to(request.user)
            .filter(org=scheme.org, year=scheme.year, target_kind=scheme.target_kind)
            .order_by("version"),
        },
    )


RESULT_SORTS = {
    "rank": lambda r: (r.rank is None, r.rank or 0, r.org.path),
    "name": lambda r: r.org.path,
    "-total": lambda r: (-r.total, r.org.path),
}


@manager_required
def scheme_results_page(request, scheme_id: int):
    scheme = get_visible(Scheme.objects.select_related("org"), request.user, pk=scheme_id)
    results = limit_to_reach(scheme_results(scheme), request.user)
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "csv"):
        return exports.results_response(request, results, fmt)
    if fmt == "pdf":
        return exports.results_pdf(request, results)
    q = request.GET.get("q", "").strip()
    rows = [r for r in results.rows if q in r.org.name] if q else results.rows
    sort = request.GET.get("sort", "rank")
    rows = sorted(rows, key=RESULT_SORTS.get(sort, RESULT_SORTS["rank"]))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/schemes/results.html",
        {
            "scheme": scheme,
            "results": results,
            "page": page,
            "query": query_without_page(request),
            "q": q,
            "sort": sort,
            "today": timezone.localdate(),
        },
    )


@manager_required
def scheme_target(request, scheme_id: int, org_id: int):
    scheme = get_visible(Scheme.objects.select_related("org"), request.user, pk=scheme_id)
    org = targets(scheme).filter(pk=org_id).first()
    if org is None or not (
        sees_every_target(request.user, scheme) or reach_of(request.user).covers(org.path)
    ):
        raise Http404("对象不存在或无权访问")
    results = scheme_results(scheme, org_ids=[org.pk])
    row = results.rows[0]
    user = request.user
    forms_by_ind = {}
    posted = request.POST.get("indicator") if request.method == "POST" else None
    for cell in row.cells:
        ind = cell.indicator
        found = results.metrics.get(ind.metric) if ind.metric else None
        cell.metric_title = found.title if found is not None else ""
        cell.can_score = (
            scheme.status == Scheme.Status.PUBLISHED
            and not ind.is_automatic
            and services.can_score(user, ind, scheme)
        )
        cell.can_review = (
            scheme.status == Scheme.Status.PUBLISHED
            and cell.record is not None
            and cell.status == Score.Status.SCORED
            and cell.record.scorer_id != user.pk
            and services.can_review(user, ind, scheme)
        )
        if cell.can_score:
            bound = posted == str(ind.pk) and request.POST.get("action") == "score"
            initial = {}
            if cell.record is not None:
                initial = {
                    "score": cell.record.score,
                    "comment": cell.record.comment,
                    "evidence": cell.record.evidence,
                }
            cell.form = ScoreForm(
                request.POST if bound else None, initial=initial, prefix=f"i{ind.pk}"
            )
            forms_by_ind[str(ind.pk)] = cell
    if request.method == "POST":
        action = request.POST.get("action")
        cell = next((c for c in row.cells if str(c.indicator.pk) == posted), None)
        if cell is None:
            raise Http404("对象不存在或无权访问")
        try:
            if action == "score" and getattr(cell, "form", None) is not None:
                if cell.form.is_valid():
                    services.score_record(
                        actor=user,
                        scheme=scheme,
                        indicator=cell.indicator,
                        org=org,
                        **cell.form.cleaned_data,
                    )
                    messages.success(request, f"已评分：{cell.indicator.code}，待他人复核")
                    return redirect("assessment:scheme_target", scheme_id=scheme.pk, org_id=org.pk)
            elif action == "review" and cell.record is not None:
                services.score_review(
                    actor=user, score=cell.record, note=request.POST.get("note", "")
                )
                messages.success(request, f"已复核：{cell.indicator.code}")
                return redirect("assessment:scheme_target", scheme_id=scheme.pk, org_id=org.pk)
            else:
                messages.error(request, "无法执行该操作")
        except DomainError as exc:
            if action == "score" and getattr(cell, "form", None) is not None:
                add_domain_errors(cell.form, exc)
            else:
                messages.error(request, exc.message)
    return render(
        request,
        "assessment/schemes/target.html",
        {"scheme": scheme, "org": org, "row": row, "results": results},
    )


@require_POST
@manager_required
def score_review_post(request, score_id: int):
    """Review from the workbench list: the same service as the target's sheet."""
    score = get_visible(
        Score.objects.select_related("scheme__org", "indicator"), request.user, pk=score_id
    )
    try:
        services.score_review(actor=request.user, score=score, note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已复核：{score.indicator.code}")
    return redirect("assessment:scheme_target", scheme_id=score.scheme_id, org_id=score.org_id)
