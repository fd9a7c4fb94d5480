import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.exporters import XLSX_TYPE
from dangjian.core.forms import add_domain_errors, option_tags
from dangjian.core.htmx import render as htmx_render
from dangjian.core.links import link_pattern
from dangjian.core.pagecache import kept_per_user
from dangjian.core.paging import COUNT_CAP, paginate
from dangjian.core.scope import get_manageable, get_visible, reach_from, reach_of
from dangjian.core.uploads import accept
from dangjian.core.working import default_org
from dangjian.members import imports, pickers, selectors, services
from dangjian.members.exports import roster_export
from dangjian.members.forms import ImportForm, LeaveForm, MemberForm
from dangjian.members.models import Member
from dangjian.orgs.models import Org, Position

SORTS = [
    ("name", "姓名拼音"),
    ("org", "所在组织"),
    ("status", "人员类别"),
    ("-full_at", "党龄（短→长）"),
    ("full_at", "党龄（长→短）"),
]


def _filter_org(request, params=None):
    org_id = (request.GET if params is None else params).get("org")
    if not org_id:
        return None
    return get_visible(Org.objects, request.user, pk=org_id)


FILTER_CHOICES_MAX = 300


# What the org filter narrows to over a large reach: first the committees and general
# branches, over a province the committees alone.
NARROWER_KINDS = (
    (Org.Kind.WORK_COMMITTEE, Org.Kind.COMMITTEE, Org.Kind.GENERAL_BRANCH),
    (Org.Kind.WORK_COMMITTEE, Org.Kind.COMMITTEE),
)


def _filter_choices(user, selected) -> list[tuple[int, str]]:
    """(id, name) of the orgs for the filter list. A whole city has thousands of branches:
    then the list offers the committees and general branches, a province's only the
    committees, all of them (and always the selected org); the rest are reached from the
    tree or by opening an org's member list. Each step but the last reads no more than
    ``FILTER_CHOICES_MAX`` + 1 rows (no count of the whole tree); a small reach is one
    query."""
    orgs = Org.objects.visible_to(user).active().exclude(kind=Org.Kind.GROUP)
    rows = list(orgs.values_list("id", "name")[: FILTER_CHOICES_MAX + 1])
    for step, kinds in enumerate(NARROWER_KINDS, start=1):
        if len(rows) <= FILTER_CHOICES_MAX:
            break
        keep = Q(kind__in=kinds) | (Q(pk=selected.pk) if selected is not None else Q(pk__in=[]))
        narrower = orgs.filter(keep).values_list("id", "name")
        final = step == len(NARROWER_KINDS)
        rows = list(narrower if final else narrower[: FILTER_CHOICES_MAX + 1])
    return rows


def _filter_options(user, selected) -> str:
    """The ``<option>``s of the org filter (a whole city offers a few hundred orgs)."""
    chosen = selected.pk if selected is not None else None
    return option_tags(_filter_choices(user, selected), chosen)


ROW_HTML = (
    '<tr><td><a href="{}">{}</a>{}</td>\n'
    "      <td>{}</td><td>{}</td>\n"
    '      <td class="font-monospace small">{}</td><td class="small">{}</td>\n'
    '      <td>{}</td><td>{}</td><td class="text-end">{}</td></tr>'
)
BADGES = {
    (False, False): "",
    (True, False): mark_safe(' <span class="badge text-bg-light">离退休</span>'),
    (False, True): mark_safe(' <span class="badge text-bg-light">流动</span>'),
    (True, True): mark_safe(
        ' <span class="badge text-bg-light">离退休</span>'
        ' <span class="badge text-bg-light">流动</span>'
    ),
}


GENDERS, STATUSES = dict(Member.Gender.choices), dict(Member.Status.choices)


def _rows_html(members) -> str:
    """The ``<tr>``s of one page of the roll, drawn in one pass like ``_filter_options``: 50
    rows through the template's variable look-ups, ``{% url %}`` and ``date`` filters cost
    about 20 ms, more than the queries of the page. ``format_html`` escapes every value."""
    detail = link_pattern("members:detail")
    return format_html_join(
        "\n",
        ROW_HTML,
        (
            (
                detail.format(m.pk),
                m.name,
                BADGES[(bool(m.is_retired), bool(m.is_mobile))],
                GENDERS.get(m.gender, ""),
                m.birth_date.strftime("%Y-%m-%d") if m.birth_date else "",
                m.id_number_masked,
                m.phone_masked,
                m.org.name,
                STATUSES.get(m.status, ""),
                "—" if m.party_age is None else m.party_age,
            )
            for m in members
        ),
    )


# The list's filters and their defaults (a filter at its default stays out of the URL).
LIST_FILTERS = {"org": "", "status": "", "order": "name"}


@manager_required
def member_list(request):
    """The roll. Filters live in the URL, so a list can be shared and bookmarked; the search
    box sends its form by POST (htmx, or a plain post without script), and the URL then
    shown holds only what ``selectors.search_url_value`` lets through: a full ID number typed
    in the box never reaches the browser history or the access log."""
    params = request.POST if request.method == "POST" else request.GET
    q = params.get("q", "").strip()
    url_q = selectors.search_url_value(q)
    filters = [
        (k, params[k]) for k, default in LIST_FILTERS.items() if params.get(k, default) != default
    ]
    query = urlencode(filters + ([("q", url_q)] if url_q else []))
    url = reverse("members:list") + (f"?{query}" if query else "")
    if request.method == "GET" and q != url_q:
        if not url_q:
            messages.info(request, "身份证号请在搜索框中输入后查询，不要写在网址中。")
        return redirect(url)
    if request.method == "POST" and not request.htmx and q == url_q:
        return redirect(url)  # a plain form post: land on the shareable URL
    org = _filter_org(request, params)
    status, order = params.get("status", ""), params.get("order", "name")
    columns = selectors.LIST_COLUMNS  # the rows read only what the page shows
    members = selectors.member_rows(
        user=request.user, q=q, status=status, org=org, order=order, columns=columns
    )
    page = paginate(request, members, cap=COUNT_CAP)
    org_options = _filter_options(request.user, org)
    response = htmx_render(
        request,
        "members/list.html",
        {
            "page": page,
            "rows": _rows_html(page.object_list),
            "q": q,
            "status": status,
            "org": org,
            "order": order,
            "statuses": Member.Status.choices,
            "sorts": SORTS,
            "org_options": org_options,
            "query": query,
        },
        partial="results",
    )
    if request.method == "POST" and request.htmx:
        response["HX-Push-Url"] = url
    return response


@login_required
def detail(request, member_id: int):
    member = get_visible(
        Member.objects.select_related("org", "unit", "group"), request.user, pk=member_id
    )
    if not reach_of(request.user).is_manager:
        return redirect("members:me")
    positions = Position.objects.active().filter(member=member).select_related("org")
    return render(
        request,
        "members/detail.html",
        {
            "member": member,
            "history": selectors.member_history(user=request.user, member=member),
            "positions": positions,
            "can_reveal": services.can_reveal_id(request.user, member),
            "can_edit": Member.objects.manageable_by(request.user).filter(pk=member.pk).exists(),
        },
    )


@login_required
@require_POST
def reveal_id(request, member_id: int):
    member = get_visible(Member.objects.select_related("org"), request.user, pk=member_id)
    try:
        number = services.member_reveal_id(actor=request.user, member=member)
    except DomainError as exc:
        return HttpResponse(f'<span class="text-danger">{exc.message}</span>')
    return HttpResponse(
        f'<span class="font-monospace">{number}</span> '
        '<small class="text-muted">（本次查看已留痕）</small>'
    )


def _save(request, form, member=None):
    """Validate through the service and save; with ``_validate`` (HTMX inline validation)
    only check, and only report on the fields the person has filled in so far."""
    checking = bool(request.POST.get("_validate"))
    if not form.is_valid():
        if checking:
            _drop_errors_of_empty_fields(form)
        return None
    data = form.service_data()
    try:
        if checking:
            services.member_validate(dict(data), instance=member)
            return None
        if member is None:
            return services.member_create(actor=request.user, **data)
        return services.member_update(
            actor=request.user, member=member, reason=form.cleaned_data.get("reason", ""), **data
        )
    except DomainError as exc:
        add_domain_errors(form, exc)
        if checking:
            _drop_errors_of_empty_fields(form)
        return None


def _drop_errors_of_empty_fields(form) -> None:
    for name in list(form.errors):
        if name != "__all__" and not form.data.get(name):
            del form.errors[name]


@manager_required
def create(request):
    initial = {}
    if request.GET.get("org"):
        initial["org"] = _filter_org(request).pk
    form = MemberForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        member = _save(request, form)
        if member is not None:
            messages.success(request, f"已新建党员档案：{member.name}")
            return redirect("members:detail", member_id=member.pk)
    return htmx_render(
        request, "members/form.html", {"form": form, "title": "新建党员档案"}, partial="form"
    )


@manager_required
def edit(request, member_id: int):
    member = get_manageable(Member.objects.select_related("org"), request.user, pk=member_id)
    form = MemberForm(request.POST or None, user=request.user, instance=member)
    if request.method == "POST":
        saved = _save(request, form, member)
        if saved is not None:
            messages.success(request, "已保存")
            return redirect("members:detail", member_id=member.pk)
    return htmx_render(
        request,
        "members/form.html",
        {
            "form": form,
            "title": f"修改党员信息：{member.name}",
            "member": member,
        },
        partial="form",
    )


@manager_required
def leave(request, member_id: int):
    member = get_manageable(Member.objects.select_related("org"), request.user, pk=member_id)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_leave(actor=request.user, member=member, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{member.name} 已办理出党/转出登记")
            return redirect("members:detail", member_id=member.pk)
    return render(request, "members/leave.html", {"form": form, "member": member})


@manager_required
def export(request):
    org = _filter_org(request)
    if org is None:
        org = default_org(request, Org.objects.manageable_by(request.user).active())
        if org is None:
            raise Http404
    members = selectors.member_list(
        user=request.user, org=org, status=request.GET.get("status", "")
    )
    exporter = roster_export(actor=request.user, org=org, members=members)
    return exporter.response(f"党员花名册-{org.name}", request.GET.get("format", "xlsx"))


@manager_required
def import_members(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, created = [], None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            accept(upload)
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            try:
                created = imports.member_import(actor=request.user, data=upload.read())
            except DomainError as exc:
                form.add_error(None, exc.message)
                errors = exc.errors
            else:
                messages.success(request, f"已导入 {len(created)} 名党员")
                return redirect("members:list")
    return render(request, "members/import.html", {"form": form, "errors": errors})


@manager_required
def import_template(request):
    resp = HttpResponse(imports.template_xlsx(), content_type=XLSX_TYPE)
    resp["Content-Disposition"] = imports.template_disposition()
    return resp


@login_required
@kept_per_user(selectors.home_stamp)
def me(request):
    """The member's own page, for the phone: three queries besides the session and the user:
    the positions (the user's, which make the reach, and the member's, shown), the member with
    its unread-message count, the history; each reads only the columns the page shows."""
    user = request.user
    member_id = user.member_id
    positions = []
    if not user.is_superuser:
        rows = list(
            Position.objects.active(dt.date.today())
            .filter(Q(user=user) | Q(member_id=member_id) if member_id else Q(user=user))
            .select_related("org")
            .only("role", "user_id", "member_id", "org__name", "org__path", "org__dissolved_on")
        )
        reach_from(
            user,
            [
                (p.org.path, p.role)
                for p in rows
                if p.user_id == user.pk and p.org.dissolved_on is None
            ],
        )
        positions = [p for p in rows if member_id and p.member_id == member_id]
    if member_id is None:
        return render(request, "members/me.html", {"member": None})
    member = (
        Member.objects.visible_to(user)
        .select_related("org", "unit", "group")
        .only(*ME_FIELDS)
        .annotate(unread=selectors.unread_count_of(user))
        .get(pk=member_id)
    )
    if user.is_superuser:
        positions = list(
            Position.objects.active()
            .filter(member=member)
            .select_related("org")
            .only("role", "member_id", "org__name")
        )
    history = (
        selectors.member_history(user=user, member=member)
        .select_related(None)
        .select_related("to_org")
        .only("member_id", "on", "kind", "to_status", "to_org__name")
    )
    return render(
        request,
        "members/me.html",
        {
            "member": member,
            "positions": positions,
            "history": history,
            # the tab bar's badge, counted in the member's query (no query of its own)
            "unread_count": member.unread,
        },
    )


# The columns the member's home shows (members/me.html).
ME_FIELDS = (
    "name",
    "status",
    "joined_at",
    "full_at",
    "id_number_masked",
    "phone",
    "org__name",
    "org__path",
    "unit__name",
    "group__name",
)


@login_required
def pick(request):
    """Suggestions of the member picker (``members/pickers.py``). The text comes in the body
    of a POST (htmx), so that a typed ID number never stands in a URL or an access log; the
    source and its parameters come in the query string. Reads only."""
    # The form's current values (a changed org) win over those the page was drawn with.
    params = {**request.GET.dict(), **request.POST.dict()}
    params.update({k: request.GET.get(k, "") for k in ("source", "field", "multiple")})
    field = params["field"]
    q = params.get(f"{field}__q", "").strip()
    source = params["source"]
    found = pickers.suggestions(source, user=request.user, params=params, q=q)
    waiting = source in ("org", "org_party") and not params.get("org")
    return render(
        request,
        "members/_pick_results.html",
        {
            "found": found,
            "q": q,
            "field": field,
            "type": "checkbox" if params.get("multiple") else "radio",
            "limit": pickers.PICK_LIMIT,
            "empty_hint": "请先选择党组织" if waiting else "没有可选的党员",
        },
    )
