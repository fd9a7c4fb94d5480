from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangjian.accounts.models import User
from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.htmx import render as htmx_render
from dangjian.core.scope import get_manageable, get_visible
from dangjian.orgs import selectors, services
from dangjian.orgs.forms import BoardForm, DissolveForm, OrgForm, PositionForm
from dangjian.orgs.models import Org, Position


@manager_required
def tree(request):
    roots = selectors.tree_roots(user=request.user)
    counts = selectors.member_counts([r.path for r in roots])
    for root in roots:
        root.member_count = counts.get(root.path, 0)
    return render(request, "orgs/tree.html", {"roots": roots})


@manager_required
def children(request, org_id: int):
    org = get_visible(Org.objects, request.user, pk=org_id)
    return render(
        request,
        "orgs/_children.html",
        {
            "children": selectors.children_with_counts(user=request.user, org=org),
        },
    )


@manager_required
def detail(request, org_id: int):
    org = get_visible(Org.objects.select_related("parent", "unit"), request.user, pk=org_id)
    board, seats = selectors.current_board(org)
    kids = selectors.children_with_counts(user=request.user, org=org)
    count = selectors.member_counts([org.path])[org.path]
    staff = (
        Position.objects.active().filter(org=org, role=Position.Role.STAFF).select_related("user")
    )
    return render(
        request,
        "orgs/detail.html",
        {
            "org": org,
            "ancestors": org.ancestors(),
            "board": board,
            "seats": seats,
            "staff": staff,
            "children": kids,
            "member_count": count,
        },
    )


@manager_required
def create(request):
    initial = {}
    if request.GET.get("parent"):
        parent = get_visible(Org.objects, request.user, pk=request.GET["parent"])
        initial = {"parent": parent.pk, "kind": _child_kind(parent)}
    form = OrgForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = services.org_create(actor=request.user, **{**data, "sort": data["sort"] or 0})
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, f"已新建“{org}”")
            return redirect("orgs:detail", org_id=org.pk)
    return render(request, "orgs/form.html", {"form": form, "title": "新建党组织"})


def _child_kind(parent: Org) -> str:
    return {
        Org.Kind.WORK_COMMITTEE: Org.Kind.COMMITTEE,
        Org.Kind.COMMITTEE: Org.Kind.BRANCH,
        Org.Kind.GENERAL_BRANCH: Org.Kind.BRANCH,
        Org.Kind.BRANCH: Org.Kind.GROUP,
    }.get(parent.kind, Org.Kind.BRANCH)


@manager_required
def edit(request, org_id: int):
    org = get_manageable(Org.objects, request.user, pk=org_id)
    initial = {
        "name": org.name,
        "short_name": org.short_name,
        "kind": org.kind,
        "parent": org.parent_id,
        "unit": org.unit_id,
        "sort": org.sort,
        "established_on": org.established_on,
    }
    form = OrgForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "sort": form.cleaned_data["sort"] or 0}
        try:
            services.org_update(actor=request.user, org=org, **data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("orgs:detail", org_id=org.pk)
    return render(request, "orgs/form.html", {"form": form, "title": f"修改：{org}", "org": org})


@manager_required
def dissolve(request, org_id: int):
    org = get_manageable(Org.objects, request.user, pk=org_id)
    form = DissolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.org_dissolve(actor=request.user, org=org, on=form.cleaned_data["on"])
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, f"已撤销“{org}”")
            return redirect("orgs:tree")
    return render(
        request,
        "orgs/form.html",
        {
            "form": form,
            "title": f"撤销：{org}",
            "org": org,
            "danger": True,
            "hint": "撤销后该组织及其下级组织不再出现在组织架构中；仍有党员时不能撤销。",
        },
    )


@manager_required
def position_add(request, org_id: int):
    org = get_manageable(Org.objects, request.user, pk=org_id)
    form = PositionForm(request.POST or None, org=org, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = None
        if data["username"]:
            user = User.objects.filter(username=data["username"]).first()
            if user is None:
                form.add_error("username", "没有这个账号")
        if form.is_valid():
            try:
                services.position_assign(
                    actor=request.user,
                    org=org,
                    role=data["role"],
                    user=user,
                    member=data["member"],
                    started_on=data["started_on"],
                )
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, "已任命")
                return redirect("orgs:detail", org_id=org.pk)
    return render(
        request, "orgs/form.html", {"form": form, "title": f"任命职务：{org}", "org": org}
    )


@manager_required
@require_POST
def position_end(request, position_id: int):
    position = get_manageable(Position.objects.select_related("org"), request.user, pk=position_id)
    try:
        services.position_end(actor=request.user, position=position)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已办理离任")
    return redirect("orgs:detail", org_id=position.org_id)


@manager_required
def board_add(request, org_id: int):
    org = get_manageable(Org.objects, request.user, pk=org_id)
    form = BoardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.board_create(actor=request.user, org=org, **form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "已记录新一届班子")
            return redirect("orgs:detail", org_id=org.pk)
    return render(
        request, "orgs/form.html", {"form": form, "title": f"新一届班子：{org}", "org": org}
    )


@manager_required
def search(request):
    """HTMX: orgs matching a name, for quick navigation in the tree page."""
    q = request.GET.get("q", "").strip()
    orgs = selectors.org_list(user=request.user, q=q)[:20] if q else []
    return htmx_render(request, "orgs/tree.html", {"results": orgs, "q": q}, partial="results")
