"""Staff pages of the talent app: the pool (search, profile, nomination, review, annual
re-confirmation, certificates, assignments, the Excel export), training tracks and their
progress, and SUP-6 (staff counts and full-time posts). The member's page: ``mine``. Thin:
the gate, then a selector or a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.core.audit import audit
from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.htmx import render
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.scope import get_manageable, get_visible
from dangjian.orgs.models import Org, Position
from dangjian.talent import selectors, services
from dangjian.talent.forms import (
    AssignmentForm,
    CertificateForm,
    CloseForm,
    ConfirmForm,
    NominateForm,
    PoolFilterForm,
    RetireForm,
    ReviewForm,
    StaffCountForm,
    TrackForm,
    TrackItemForm,
)
from dangjian.talent.models import Assignment, Talent, Track

EXPORT_MAX = 5000


def _pool_query(request):
    form = PoolFilterForm(request.GET or None, user=request.user)
    d = form.cleaned_data if form.is_valid() else {}
    status = d.get("status") or "admitted"
    skill = d.get("skill")
    qs = selectors.talent_list(
        request.user,
        q=d.get("q") or "",
        skill=skill.name if skill else "",
        org=d.get("org"),
        availability=d.get("availability") or "",
        status=None if status == "all" else status,
        order=d.get("order") or "name",
    )
    return form, qs


@manager_required
def pool(request):
    form, qs = _pool_query(request)
    return render(
        request,
        "talent/pool.html",
        {"form": form, "page": paginate(request, qs), "query": query_without_page(request)},
    )


@manager_required
def export(request):
    """The pool as Excel, from the same filters; a personal-data export, audited."""
    _form, qs = _pool_query(request)
    rows = qs[:EXPORT_MAX]
    audit(
        actor=request.user,
        action="export",
        verb="导出人才库名单",
        changes={"filters": query_without_page(request)[:200], "rows": len(rows)},
    )
    return selectors.TalentExporter(rows).response(f"人才库-{timezone.localdate():%Y%m%d}")


@manager_required
def nominate(request):
    form = NominateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            talent = services.talent_nominate(
                actor=request.user,
                member=d["member"],
                skills=list(d["skills"]),
                tags=d["tags"],
                reason=d["reason"],
                consent_on=d["consent_on"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "已提名，待上级党组织审核")
            return redirect("talent:talent", talent.pk)
    return render(request, "talent/nominate.html", {"form": form})


@manager_required
def nominations(request):
    qs = selectors.pending_nominations(request.user)
    page = paginate(request, qs)
    for t in page:
        t.reviewable = services.can_review(request.user, t)
    return render(
        request,
        "talent/nominations.html",
        {"page": page, "query": query_without_page(request)},
    )


@login_required
def talent(request, talent_id: int):
    found = get_visible(Talent.objects.all(), request.user, pk=talent_id)
    profile = selectors.talent_profile(found)
    manager = Talent.objects.manageable_by(request.user).filter(pk=profile.pk).exists()
    ctx = {
        "talent": profile,
        "manager": manager,
        "training": selectors.training_record(profile.member_id),
        "today": timezone.localdate(),
    }
    if manager:
        admitted = profile.status == Talent.Status.ADMITTED
        ctx.update(
            review=ReviewForm()
            if profile.status == Talent.Status.NOMINATED
            and services.can_review(request.user, profile)
            else None,
            confirm=ConfirmForm(initial={"availability": profile.availability})
            if admitted
            else None,
            retire=RetireForm() if admitted else None,
            certificate=CertificateForm() if admitted else None,
            assign=AssignmentForm(user=request.user) if admitted else None,
            close=CloseForm(),
        )
    return render(request, "talent/talent.html", ctx)


def _act(request, talent_id: int, form_class, act, done: str, **form_kw):
    """A POST from the profile: the gate, the form, the service; errors as messages."""
    found = get_manageable(Talent.objects.select_related("org"), request.user, pk=talent_id)
    form = form_class(request.POST, **form_kw)
    if not form.is_valid():
        for field in form:
            for e in field.errors:
                messages.error(request, f"{field.label}：{e}")
        return redirect("talent:talent", found.pk)
    try:
        act(found, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("talent:talent", found.pk)


@require_POST
@manager_required
def review(request, talent_id: int):
    def act(t, d):
        services.talent_review(actor=request.user, talent=t, approve=d["approve"], note=d["note"])

    return _act(request, talent_id, ReviewForm, act, "审核意见已保存")


@require_POST
@manager_required
def confirm(request, talent_id: int):
    def act(t, d):
        services.talent_confirm(
            actor=request.user, talent=t, availability=d["availability"], note=d["note"]
        )

    return _act(request, talent_id, ConfirmForm, act, "已完成年度复核")


@require_POST
@manager_required
def retire(request, talent_id: int):
    def act(t, d):
        services.talent_retire(actor=request.user, talent=t, reason=d["reason"])

    return _act(request, talent_id, RetireForm, act, "已退出人才库")


@require_POST
@manager_required
def certificate(request, talent_id: int):
    def act(t, d):
        services.certificate_add(actor=request.user, talent=t, **d)

    return _act(request, talent_id, CertificateForm, act, "证书已登记")


@require_POST
@manager_required
def assign(request, talent_id: int):
    def act(t, d):
        t = Talent.objects.select_related("member__org").get(pk=t.pk)
        services.assignment_create(
            actor=request.user,
            talent=t,
            org=t.member.org,
            kind=d["kind"],
            title=d["title"],
            initiative=d["initiative"],
            started_on=d["started_on"],
        )

    return _act(request, talent_id, AssignmentForm, act, "任务已安排", user=request.user)


@require_POST
@manager_required
def assignment_close(request, talent_assignment_id: int):
    row = get_manageable(Assignment.objects.all(), request.user, pk=talent_assignment_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_close(
                actor=request.user, assignment=row, outcome=form.cleaned_data["outcome"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已记录完成情况")
    else:
        messages.error(request, "请填写完成情况")
    return redirect("talent:talent", row.talent_id)


@login_required
def mine(request):
    """The member's own nominations and place in the pool, with the consent to give."""
    if not request.user.member_id:
        raise Http404("没有关联的党员档案")
    return render(request, "talent/m_mine.html", {"rows": selectors.my_nominations(request.user)})


@require_POST
@login_required
def consent(request, talent_id: int):
    found = get_visible(Talent.objects.all(), request.user, pk=talent_id)
    try:
        services.talent_consent(actor=request.user, talent=found)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已确认同意，提名将由上级党组织审核")
    return redirect("talent:mine")


# --- training tracks ---------------------------------------------------------------------


@manager_required
def tracks(request):
    q = (request.GET.get("q") or "").strip()[:50]
    year = request.GET.get("year") or ""
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
    qs = selectors.track_list(request.user, q=q, year=year)
    return render(
        request,
        "talent/tracks.html",
        {
            "page": paginate(request, qs),
            "q": q,
            "year": year or "",
            "query": query_without_page(request),
        },
    )


@manager_required
def track_new(request):
    form = TrackForm(
        request.POST or None, user=request.user, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            track = services.track_create(
                actor=request.user,
                org=get_manageable(Org.objects.all(), request.user, pk=d["org"].pk),
                title=d["title"],
                topic=d["topic"],
                year=d["year"],
                summary=d["summary"],
                hours=form.hours(),
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "培训专题已设置，请加入课程或培训班")
            return redirect("talent:track", track.pk)
    return render(request, "talent/track_form.html", {"form": form})


PROGRESS_SORTS = {"org": "组织", "short": "差额", "name": "姓名"}


@manager_required
def track(request, track_id: int):
    found = get_visible(Track.objects.select_related("org"), request.user, pk=track_id)
    found = (
        Track.objects.select_related("org")
        .prefetch_related("hours", "items__course", "items__training")
        .get(pk=found.pk)
    )
    people = selectors.progress_for(request.user, found)
    q = (request.GET.get("q") or "").strip()[:50]
    order = request.GET.get("order") or "org"
    rows = [p for p in people if not q or q in p.name or q in p.org_name]
    if request.GET.get("short"):
        rows = [p for p in rows if not p.done]
    if order == "short":
        rows.sort(key=lambda p: -p.short)
    elif order == "name":
        rows.sort(key=lambda p: p.name)
    manager = Track.objects.manageable_by(request.user).filter(pk=found.pk).exists()
    return render(
        request,
        "talent/track.html",
        {
            "track": found,
            "orgs": selectors.progress_by_org(people),
            "page": Paginator(rows, 50).get_page(request.GET.get("page")),
            "done": sum(1 for p in people if p.done),
            "total": len(people),
            "q": q,
            "order": order,
            "sorts": PROGRESS_SORTS,
            "query": query_without_page(request),
            "item_form": TrackItemForm(user=request.user, year=found.year) if manager else None,
        },
    )


@require_POST
@manager_required
def track_item(request, track_id: int):
    found = get_manageable(Track.objects.select_related("org"), request.user, pk=track_id)
    form = TrackItemForm(request.POST, user=request.user, year=found.year)
    if form.is_valid():
        try:
            services.track_item_add(
                actor=request.user,
                track=found,
                course=form.cleaned_data["course"],
                training=form.cleaned_data["training"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已加入专题")
    else:
        messages.error(request, "请选择本人可见的课程或培训班")
    return redirect("talent:track", found.pk)


# --- SUP-6 -------------------------------------------------------------------------------


@manager_required
def staffing(request):
    rows = selectors.staffing_rows(request.user)
    low, high = selectors.sup6_bounds(timezone.localdate())
    return render(
        request,
        "talent/staffing.html",
        {"rows": rows, "low": float(low) * 100, "high": float(high) * 100},
    )


@manager_required
def staffing_org(request, org_id: int):
    org = get_manageable(Org.objects.select_related("unit"), request.user, pk=org_id)
    if org.unit_id is None:
        return render(request, "talent/staffing_org.html", {"org": org, "form": None})
    form = StaffCountForm(request.POST or None, initial={"staff_count": org.unit.staff_count})
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_staff_count_set(
                actor=request.user, org=org, staff_count=form.cleaned_data["staff_count"]
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "职工人数已登记")
            return redirect("talent:staffing_org", org.pk)
    positions = selectors.full_time_positions(request.user, org)
    return render(
        request,
        "talent/staffing_org.html",
        {"org": org, "form": form, "page": paginate(request, positions), "query": ""},
    )


@require_POST
@manager_required
def full_time(request, position_id: int):
    position = get_manageable(Position.objects.select_related("org"), request.user, pk=position_id)
    want = request.POST.get("full_time") == "1"
    try:
        services.position_full_time_set(actor=request.user, position=position, full_time=want)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已设为专职" if want else "已取消专职")
    top = (
        Org.objects.manageable_by(request.user)
        .filter(unit_id=position.org.unit_id)
        .order_by("path")
        .first()
    )
    if top is None or position.org.unit_id is None:
        return redirect("talent:staffing")
    return redirect("talent:staffing_org", top.pk)
