"""Pages of training classes (培训班) and outside training records: the class list, a class
with its list of attendees (notice, attendance, materials), the printable sign-in sheet and
the sign-in screen (QR and code, as at a meeting), the approval queue of outside records;
the member's phone pages (my classes with sign-in, file an outside record) and the annual
certificate of study hours (PDF). Thin: the gate, then a selector or a service."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.core.audit import audit
from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.htmx import render
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.pdf import pdf_response
from dangjian.core.scope import get_manageable, get_visible, reach_of
from dangjian.learning import selectors, training_sessions
from dangjian.learning import training_selectors as tsel
from dangjian.learning import trainings as services
from dangjian.learning.models import (
    OutsideRecord,
    StudyCredit,
    TrainingAttendance,
    TrainingClass,
    TrainingMaterial,
)
from dangjian.learning.training_forms import (
    AttendanceForm,
    DecisionForm,
    MaterialForm,
    OutsideRecordForm,
    SessionForm,
    SignInForm,
    TrainingForm,
)
from dangjian.members.models import Member
from dangjian.orgs.models import Org


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@manager_required
def trainings(request):
    q = (request.GET.get("q") or "").strip()[:100]
    year = request.GET.get("year", "")
    qs = tsel.trainings_for_staff(request.user, q=q, year=_year(request) if year else None)
    return render(
        request,
        "learning/trainings.html",
        {"page": paginate(request, qs), "q": q, "year": year, "query": query_without_page(request)},
    )


@manager_required
def training_new(request):
    form = TrainingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            training = services.training_create(
                actor=request.user,
                org=get_manageable(Org.objects.all(), request.user, pk=d["org"].pk),
                title=d["title"],
                kind=d["kind"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                hours=d["hours"],
                place=d["place"],
                notice=d["notice"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "培训班已建立，请发布培训通知")
            return redirect("learning:training", training.pk)
    return render(request, "learning/training_form.html", {"form": form})


def _manageable(request, training_id: int) -> TrainingClass:
    return get_manageable(TrainingClass.objects.select_related("org"), request.user, pk=training_id)


@manager_required
def training(request, training_id: int):
    t = _manageable(request, training_id)
    rows = list(tsel.attendances_of(t))
    counts = {s: sum(1 for r in rows if r.status == s) for s in TrainingAttendance.Status.values}
    return render(
        request,
        "learning/training.html",
        {
            "t": t,
            "rows": rows,
            "counts": counts,
            "statuses": [c for c in TrainingAttendance.Status.choices if c[0] != "expected"],
            "materials": list(t.materials.all()),
            "material_form": MaterialForm(),
            "sessions": list(tsel.sessions_of(t)),
            "session_form": SessionForm(),
            "absence_limit": services.training_policy(
                timezone.localdate(t.starts_at)
            ).absence_limit(t.hours),
        },
    )


def _act(request, t: TrainingClass, action, done: str):
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("learning:training", t.pk)


@manager_required
@require_POST
def training_notice(request, training_id: int):
    t = _manageable(request, training_id)
    return _act(
        request,
        t,
        lambda: services.training_notify(actor=request.user, training=t),
        "培训通知已发布，学员名单已生成",
    )


@manager_required
@require_POST
def training_cancel(request, training_id: int):
    t = _manageable(request, training_id)
    return _act(
        request, t, lambda: services.training_cancel(actor=request.user, training=t), "培训班已取消"
    )


@manager_required
@require_POST
def training_attendance(request, training_id: int):
    t = _manageable(request, training_id)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "出勤登记无效：" + "；".join(e for es in form.errors.values() for e in es)
        )
        return redirect("learning:training", t.pk)
    d = form.cleaned_data
    member = get_manageable(Member.objects.select_related("org"), request.user, pk=d["member"])
    return _act(
        request,
        t,
        lambda: services.training_attendance_mark(
            actor=request.user,
            training=t,
            member=member,
            status=d["status"],
            absent_hours=d.get("absent_hours") or 0,
        ),
        f"已登记 {member.name} 的出勤",
    )


@manager_required
@require_POST
def session_add(request, training_id: int):
    t = _manageable(request, training_id)
    form = SessionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "课次无效：" + "；".join(e for es in form.errors.values() for e in es)
        )
        return redirect("learning:training", t.pk)
    d = form.cleaned_data
    return _act(
        request,
        t,
        lambda: training_sessions.session_add(actor=request.user, training=t, **d),
        f"已新增课次 {d['title']}",
    )


def _session(request, training_id: int, training_session_id: int):
    t = _manageable(request, training_id)
    return t, tsel.session_of(TrainingClass.objects.filter(pk=t.pk), training_session_id)


@manager_required
def session_roll(request, training_id: int, training_session_id: int):
    """The roll call of one session: every member on the class list with a tick."""
    t, session = _session(request, training_id, training_session_id)
    rows = list(tsel.attendances_of(t))
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        try:
            done = training_sessions.session_roll(
                actor=request.user, session=session, present=chosen
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"已保存 {session.title} 的点名：新增出席 {done['added']} 人，"
                f"取消 {done['removed']} 人",
            )
            return redirect("learning:training", t.pk)
    present = tsel.session_presence(session)
    return render(
        request,
        "learning/session_roll.html",
        {"t": t, "session": session, "rows": rows, "present": present},
    )


@manager_required
@require_POST
def session_remove(request, training_id: int, training_session_id: int):
    t, session = _session(request, training_id, training_session_id)
    return _act(
        request,
        t,
        lambda: training_sessions.session_remove(actor=request.user, session=session),
        f"已删除课次 {session.title}",
    )


@manager_required
@require_POST
def training_material(request, training_id: int):
    t = _manageable(request, training_id)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请填写资料名称并选择文件")
        return redirect("learning:training", t.pk)
    return _act(
        request,
        t,
        lambda: services.training_material_add(
            actor=request.user,
            training=t,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
        ),
        "资料已上传",
    )


@login_required
def material_file(request, training_material_id: int):
    m = get_visible(TrainingMaterial.objects.all(), request.user, pk=training_material_id)
    return FileResponse(m.file.open("rb"), content_type=m.content_type or None)


@manager_required
def training_sheet(request, training_id: int):
    """The sign-in sheet to print: the org's name and the date on the page."""
    t = _manageable(request, training_id)
    return render(
        request,
        "learning/training_sheet.html",
        {
            "t": t,
            "rows": tsel.with_sessions(t, list(tsel.attendances_of(t))),
            "sessions": list(t.sessions.all()),
            "printed_on": timezone.localdate(),
        },
    )


def sign_in_url(request, t: TrainingClass) -> str:
    return request.build_absolute_uri(
        f"{reverse('learning:my_trainings')}?t={t.sign_in_token}&c={t.pk}"
    )


@manager_required
def training_screen(request, training_id: int):
    """Shown in the room: the QR code and the 6-digit code."""
    t = _manageable(request, training_id)
    qr = segno.make(sign_in_url(request, t), error="m")
    return render(
        request,
        "learning/training_screen.html",
        {"t": t, "qr_svg": qr.svg_inline(scale=8, dark="#000", light="#fff")},
    )


# --- Outside records: the approval queue ---


@manager_required
def records(request):
    status = request.GET.get("status", "pending")
    status = status if status in OutsideRecord.Status.values else ""
    qs = tsel.records_for_staff(request.user, status=status)
    return render(
        request,
        "learning/records.html",
        {
            "page": paginate(request, qs),
            "status": status,
            "statuses": OutsideRecord.Status.choices,
            "form": DecisionForm(),
            "query": query_without_page(request),
        },
    )


@manager_required
@require_POST
def record_decide(request, record_id: int):
    record = get_manageable(
        OutsideRecord.objects.select_related("member__org"), request.user, pk=record_id
    )
    approve = request.POST.get("decision") == "approve"
    try:
        services.outside_record_decide(
            actor=request.user,
            record=record,
            approve=approve,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"已{'认定' if approve else '不予认定'} {record.member.name} 的外出培训学时"
        )
    return redirect(reverse("learning:records") + "?status=pending")


@login_required
def record_evidence(request, record_id: int):
    r = get_visible(OutsideRecord.objects.all(), request.user, pk=record_id)
    return FileResponse(r.evidence.open("rb"), content_type=r.evidence_type or None)


# --- The member's phone pages ---


def _me(request) -> Member:
    if not request.user.member_id:
        raise Http404("没有关联的党员档案")
    return Member.objects.select_related("org").get(pk=request.user.member_id)


@login_required
def my_trainings(request):
    if not request.user.member_id and reach_of(request.user).is_manager:
        return redirect("learning:trainings")
    me = _me(request)
    token, chosen = request.GET.get("t", ""), request.GET.get("c", "")
    return render(
        request,
        "learning/m_trainings.html",
        {
            "me": me,
            "rows": list(tsel.trainings_for_member(me.pk)),
            "attended": tsel.sessions_attended(me.pk),
            "now": timezone.now(),
            "token": token[:100],
            "chosen": chosen,
        },
    )


@login_required
@require_POST
def my_sign_in(request, training_id: int):
    t = get_visible(TrainingClass.objects.all(), request.user, pk=training_id)
    form = SignInForm(request.POST)
    form.is_valid()
    try:
        services.training_sign_in(
            actor=request.user,
            training=t,
            code=form.cleaned_data.get("code"),
            token=form.cleaned_data.get("token"),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"签到成功：{t.title}")
    return redirect("learning:my_trainings")


@login_required
def my_records(request):
    if not request.user.member_id and reach_of(request.user).is_manager:
        return redirect("learning:records")
    me = _me(request)
    form = OutsideRecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.outside_record_file(
                actor=request.user,
                title=d["title"],
                organizer=d["organizer"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                hours=d["hours"],
                evidence=d["evidence"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc, field_map=lambda f: "evidence" if f == "file" else f)
        else:
            messages.success(request, "已提交，待支部审核认定")
            return redirect("learning:my_records")
    rows = (
        OutsideRecord.objects.visible_to(request.user).filter(member=me).select_related("approver")
    )
    return render(
        request,
        "learning/m_records.html",
        {"me": me, "form": form, "rows": list(rows), "year": timezone.localdate().year},
    )


@login_required
def certificate(request, member_id: int):
    """学时证明: a member's approved hours of a year by category, with the ledger rows (PDF
    with ``?format=pdf``). The member and the member's managers."""
    person = get_visible(Member.objects.select_related("org"), request.user, pk=member_id)
    year = _year(request)
    h = selectors.member_hours(person, year)
    credits = StudyCredit.objects.filter(
        member=person, year=year, status=StudyCredit.Status.APPROVED
    ).order_by("created_at", "pk")
    labels = dict(StudyCredit.Category.choices)
    ctx = {
        "person": person,
        "year": year,
        "h": h,
        "by_category": [(labels.get(k, k), v) for k, v in h.by_category.items()],
        "credits": list(credits),
        "issued_on": timezone.localdate(),
    }
    if request.GET.get("format") == "pdf":
        audit(
            actor=request.user,
            action="export",
            obj=person,
            verb=f"开具 {year} 年学习培训学时证明",
            changes={"year": year, "total": str(h.total)},
        )
        return pdf_response(
            "learning/certificate.html",
            ctx,
            request=request,
            filename=f"学时证明-{person.name}-{year}",
        )
    return render(request, "learning/certificate.html", ctx)
