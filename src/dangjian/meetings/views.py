"""Pages of organizational life: back office (PC) and the member's phone pages."""

from __future__ import annotations

import datetime as dt

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.htmx import render as htmx_render
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.scope import get_manageable, get_visible, reach_of
from dangjian.meetings import exports, selectors, services
from dangjian.meetings.forms import (
    AppraisalOpenForm,
    AttachmentForm,
    CriticismForm,
    FinalizeForm,
    MeetingForm,
    PlanForm,
    RecordForm,
    SelfAssessForm,
    SlotMoveForm,
    ToRectificationForm,
    VoteForm,
    branch_choices,
)
from dangjian.meetings.models import (
    Appraisal,
    AppraisalRating,
    Attendance,
    CriticismItem,
    Meeting,
    MeetingAttachment,
    PlanSlot,
)
from dangjian.members.models import Member
from dangjian.orgs.models import Org


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _org_param(request, *, manage: bool = False):
    org_id = request.GET.get("org") or request.POST.get("org")
    if not org_id:
        return None
    getter = get_manageable if manage else get_visible
    return getter(Org.objects, request.user, pk=org_id)


def _default_branch(request):
    """The branch chosen in the query, or the only branch the user manages."""
    org = _org_param(request)
    if org is None:
        first_two = list(branch_choices(request.user)[:2])
        if len(first_two) == 1:
            org = first_two[0]
    return org


def _manageable_meeting(request, meeting_id):
    return get_manageable(Meeting.objects.select_related("org"), request.user, pk=meeting_id)


def _member_of(user):
    return Member.objects.filter(pk=user.member_id).first() if user.member_id else None


# ---------------------------------------------------------------- back office


@manager_required
def meeting_list(request):
    org = _org_param(request)
    year = _year(request)
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    quality = request.GET.get("quality", "")
    qs = selectors.meeting_list(
        user=request.user,
        org=org,
        year=year,
        kind=kind if kind in Meeting.Kind.values else "",
        status=status if status in Meeting.Status.values else "",
        quality=quality,
    )
    page = paginate(request, qs)
    page.object_list = selectors.with_attendance_counts(page.object_list)
    orgs = list(branch_choices(request.user).only("id", "name", "path").order_by("path"))
    return htmx_render(
        request,
        "meetings/list.html",
        {
            "page": page,
            "org": org,
            "year": year,
            "kind": kind,
            "status": status,
            "quality": quality,
            "kinds": Meeting.Kind.choices,
            "statuses": Meeting.Status.choices,
            "orgs": orgs,
            # The year's ledger is one click away: for the chosen org, or the only one.
            "ledger_org": org or (orgs[0] if len(orgs) == 1 else None),
            "query": query_without_page(request),
        },
        partial="results",
    )


@manager_required
def meeting_create(request):
    org = _default_branch(request)
    initial = {"org": org, "kind": request.GET.get("kind", "")}
    slot = None
    if request.GET.get("slot"):
        slot = get_manageable(PlanSlot.objects, request.user, pk=request.GET["slot"])
        org = slot.org
        initial |= {
            "org": slot.org,
            "kind": slot.kind,
            "planned_on": slot.planned_on,
            "group": slot.group,
        }
    form = MeetingForm(request.POST or None, user=request.user, org=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if slot is not None and slot.kind not in Meeting.Kind.values:
            slot = None
        try:
            meeting = services.meeting_create(actor=request.user, slot=slot, **data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "会议已保存")
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "title": "新建会议", "org": org})


@login_required
def meeting_detail(request, meeting_id: int):
    meeting = get_visible(
        Meeting.objects.select_related(
            "org", "group", "host", "recorder", "lecturer", "counterpart", "similar_to__org"
        ),
        request.user,
        pk=meeting_id,
    )
    reach = reach_of(request.user)
    if not reach.covers(meeting.org.path):
        return redirect("meetings:my_meeting", meeting_id=meeting.pk)
    similar_visible = meeting.similar_to is not None and reach.covers(meeting.similar_to.org.path)
    return htmx_render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "rows": selectors.attendance_rows(meeting),
            "summary": selectors.attendance_summary(meeting),
            "votes": list(meeting.votes.all()),
            "attachments": list(meeting.attachments.all()),
            "criticisms": list(meeting.criticisms.select_related("member", "critic")),
            "similar_visible": similar_visible,
            "vote_form": VoteForm(),
            "attachment_form": AttachmentForm(),
            "criticism_form": CriticismForm(org=meeting.org),
            "rect_form": ToRectificationForm(
                initial={"deadline": timezone.localdate() + dt.timedelta(days=90)}
            ),
            "statuses": [c for c in Attendance.Status.choices if c[0] != "expected"],
        },
        partial="attendance",
    )


@manager_required
def meeting_edit(request, meeting_id: int):
    meeting = _manageable_meeting(request, meeting_id)
    initial = {
        f: getattr(meeting, f)
        for f in ("topic", "planned_on", "held_at", "place", "group", "host", "recorder")
    } | {"lecturer": meeting.lecturer, "counterpart": meeting.counterpart}
    if initial["held_at"]:
        initial["held_at"] = timezone.localtime(initial["held_at"])
    form = MeetingForm(
        request.POST or None, user=request.user, org=meeting.org, editing=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "会议已修改")
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(
        request,
        "meetings/form.html",
        {"form": form, "title": f"修改会议：{meeting.topic}", "meeting": meeting},
    )


@manager_required
def meeting_record(request, meeting_id: int):
    meeting = _manageable_meeting(request, meeting_id)
    initial = {
        "held_at": timezone.localtime(meeting.held_at) if meeting.held_at else None,
        "place": meeting.place,
        "minutes": meeting.minutes,
        "resolutions": meeting.resolutions,
    }
    roll = selectors.record_roll(meeting, services.expected_members(meeting))
    form = RecordForm(request.POST or None, initial=initial, roll=roll)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record(actor=request.user, meeting=meeting, **form.record_data())
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            summary = selectors.attendance_summary(meeting)
            messages.success(
                request,
                f"会议记录已保存：出席 {summary['present']} 人，请假 {summary['leave']} 人，"
                f"缺席 {summary['absent']} 人",
            )
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(
        request,
        "meetings/record.html",
        {"form": form, "title": f"会议记录：{meeting.topic}", "meeting": meeting},
    )


@manager_required
def meeting_print(request, meeting_id: int):
    """The printable 会议记录: org, meeting, Beijing time, attendance, minutes, signatures."""
    meeting = get_manageable(
        Meeting.objects.select_related("org", "group", "host", "recorder", "lecturer"),
        request.user,
        pk=meeting_id,
    )
    rows = selectors.attendance_rows(meeting)
    by_status: dict[str, list[str]] = {}
    for r in rows:
        by_status.setdefault(r.status, []).append(r.member.name)
    return render(
        request,
        "meetings/print.html",
        {
            "meeting": meeting,
            "summary": selectors.attendance_summary(meeting),
            "by_status": [
                (label, by_status.get(value, []))
                for value, label in Attendance.Status.choices
                if value != Attendance.Status.EXPECTED
            ],
            "printed_at": timezone.localtime(),
        },
    )


def _post_action(request, meeting, action, success: str):
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("meetings:detail", meeting_id=meeting.pk)


@manager_required
@require_POST
def meeting_notice(request, meeting_id: int):
    meeting = _manageable_meeting(request, meeting_id)
    return _post_action(
        request,
        meeting,
        lambda: services.meeting_send_notice(actor=request.user, meeting=meeting),
        "会议通知已发送",
    )


@manager_required
@require_POST
def meeting_cancel(request, meeting_id: int):
    meeting = _manageable_meeting(request, meeting_id)
    return _post_action(
        request,
        meeting,
        lambda: services.meeting_cancel(
            actor=request.user, meeting=meeting, reason=request.POST.get("reason", "")
        ),
        "会议已取消",
    )


@manager_required
@require_POST
def attendance_mark(request, meeting_id: int):
    meeting = _manageable_meeting(request, meeting_id)
    member = Member.objects.filter(
        pk=request.POST.get("member") if (request.POST.get("member") or "").isdigit() else None,
        org__path__startswith=meeting.org.path,
    ).first()
    if member is None:
        messages.error(request, "请选择本组织的党员")
        return redirect("meetings:detail", meeting_id=meeting.pk)
    try:
        services.attendance_mark(
            actor=request.user,
            meeting=meeting,
            member=member,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    if request.htmx:
        return meeting_detail(request, meeting_id)
    return redirect("meetings:detail", meeting_id=meeting.pk)


@manager_required
@require_POST
def leave_decision(request, meeting_id: int):
    meeting = _manageable_meeting(request, meeting_id)
    member_id = request.POST.get("member") or ""
    row = meeting.attendances.filter(member_id=member_id).first() if member_id.isdigit() else None
    if row is None:
        messages.error(request, "该党员没有请假申请")
        return redirect("meetings:detail", meeting_id=meeting.pk)
    return _post_action(
        request,
        meeting,
        lambda: services.leave_decide(
            actor=request.user, attendance=row, approve=request.POST.get("approve") == "1"
        ),
        "请假申请已处理",
    )


@manager_required
@require_POST
def vote_create(request, meeting_id: int):
    meeting = _manageable_meeting(request, meeting_id)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "表决数据有误：" + "；".join(e for es in form.errors.values() for e in es)
        )
        return redirect("meetings:detail", meeting_id=meeting.pk)
    return _post_action(
        request,
        meeting,
        lambda: services.vote_record(actor=request.user, meeting=meeting, **form.cleaned_data),
        "表决结果已登记",
    )


@manager_required
@require_POST
def attachment_add(request, meeting_id: int):
    meeting = _manageable_meeting(request, meeting_id)
    upload = request.FILES.get("file")
    return _post_action(
        request,
        meeting,
        lambda: services.attachment_add(actor=request.user, meeting=meeting, upload=upload),
        "附件已上传",
    )


@login_required
def attachment_file(request, meeting_id: int, attachment_id: int):
    """A photo or PDF of the meeting's record: managers, and members who read the record."""
    att = get_visible(
        MeetingAttachment.objects, request.user, pk=attachment_id, meeting_id=meeting_id
    )
    try:
        with att.file.open("rb") as fh:
            data = fh.read()
    except OSError:
        raise Http404("附件文件不存在")
    resp = HttpResponse(data, content_type=att.content_type)
    resp["Content-Disposition"] = "inline"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@manager_required
@require_POST
def criticism_add(request, meeting_id: int):
    meeting = _manageable_meeting(request, meeting_id)
    form = CriticismForm(request.POST, org=meeting.org)
    if not form.is_valid():
        messages.error(request, "请完整填写批评与自我批评")
        return redirect("meetings:detail", meeting_id=meeting.pk)
    return _post_action(
        request,
        meeting,
        lambda: services.criticism_add(actor=request.user, meeting=meeting, **form.cleaned_data),
        "已登记",
    )


@manager_required
@require_POST
def criticism_rectify(request, criticism_id: int):
    item = get_manageable(
        CriticismItem.objects.select_related("meeting__org", "member"),
        request.user,
        pk=criticism_id,
    )
    form = ToRectificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写整改事项和整改期限")
        return redirect("meetings:detail", meeting_id=item.meeting_id)
    return _post_action(
        request,
        item.meeting,
        lambda: services.criticism_to_rectification(
            actor=request.user,
            item=item,
            item_text=form.cleaned_data["item"],
            deadline=form.cleaned_data["deadline"],
        ),
        "已列入整改清单",
    )


def sign_in_url(request, meeting: Meeting) -> str:
    path = reverse("meetings:my_meeting", kwargs={"meeting_id": meeting.pk})
    return request.build_absolute_uri(f"{path}?t={meeting.sign_in_token}")


@manager_required
def sign_in_screen(request, meeting_id: int):
    """Shown on the screen in the meeting room: the QR code and the 6-digit code."""
    meeting = _manageable_meeting(request, meeting_id)
    qr = segno.make(sign_in_url(request, meeting), error="m")
    return render(
        request,
        "meetings/screen.html",
        {
            "meeting": meeting,
            "qr_svg": qr.svg_inline(scale=8, dark="#000", light="#fff"),
            "summary": selectors.attendance_summary(meeting),
        },
    )


# ---------------------------------------------------------------- plan


@manager_required
def plan(request):
    org = _default_branch(request)
    year = _year(request)
    form = PlanForm(request.POST or None, user=request.user, initial={"org": org, "year": year})
    if request.method == "POST" and form.is_valid():
        org = get_manageable(Org.objects, request.user, pk=form.cleaned_data["org"].pk)
        year = form.cleaned_data["year"]
        try:
            services.plan_generate(actor=request.user, org=org, year=year)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已按现行规则生成 {year} 年度计划")
        return redirect(f"{reverse('meetings:plan')}?org={org.pk}&year={year}")
    rows = selectors.plan_rows(org=org, year=year) if org is not None else []
    return render(
        request,
        "meetings/plan.html",
        {
            "form": form,
            "org": org,
            "year": year,
            "rows": rows,
            "summary": selectors.plan_summary(rows),
            "orgs": branch_choices(request.user).only("id", "name"),
        },
    )


@manager_required
@require_POST
def plan_slot_move(request, slot_id: int):
    slot = get_manageable(PlanSlot.objects.select_related("org"), request.user, pk=slot_id)
    form = SlotMoveForm(request.POST)
    if form.is_valid():
        try:
            services.plan_slot_move(
                actor=request.user, slot=slot, planned_on=form.cleaned_data["planned_on"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "计划日期已调整")
    else:
        messages.error(request, "请填写正确的日期")
    return redirect(f"{reverse('meetings:plan')}?org={slot.org_id}&year={slot.year}")


@manager_required
@require_POST
def plan_slot_schedule(request, slot_id: int):
    slot = get_manageable(PlanSlot.objects.select_related("org", "group"), request.user, pk=slot_id)
    start = None
    if request.POST.get("start"):
        try:
            start = dt.time.fromisoformat(request.POST["start"])
        except ValueError:
            messages.error(request, "开始时间格式应为 HH:MM")
            return redirect(f"{reverse('meetings:plan')}?org={slot.org_id}&year={slot.year}")
    try:
        meeting = services.plan_slot_schedule(
            actor=request.user,
            slot=slot,
            topic=request.POST.get("topic", ""),
            start=start,
            place=request.POST.get("place", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('meetings:plan')}?org={slot.org_id}&year={slot.year}")
    messages.success(request, "会议已安排，通知已发送")
    return redirect("meetings:detail", meeting_id=meeting.pk)


# ---------------------------------------------------------------- register


@manager_required
def register(request):
    org = _org_param(request, manage=True)
    if org is None:
        raise Http404
    year = _year(request)
    fmt = request.GET.get("format", "pdf")
    if fmt in {"xlsx", "csv"}:
        return exports.register_response(request, org=org, year=year, fmt=fmt)
    if fmt == "html":
        return render(
            request,
            "meetings/register_pdf.html",
            exports.register_context(org=org, year=year) | {"printed_at": timezone.localtime()},
        )
    return exports.register_pdf(request, org=org, year=year)


# ---------------------------------------------------------------- appraisals


@manager_required
def appraisal_list(request):
    form = AppraisalOpenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            appraisal = services.appraisal_open(
                actor=request.user, org=form.cleaned_data["org"], year=form.cleaned_data["year"]
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "民主评议已开展，已通知参评党员")
            return redirect("meetings:appraisal_detail", appraisal_id=appraisal.pk)
    qs = Appraisal.objects.manageable_by(request.user).select_related("org")
    return render(
        request,
        "meetings/appraisals.html",
        {"form": form, "page": paginate(request, qs), "query": query_without_page(request)},
    )


@manager_required
def appraisal_detail(request, appraisal_id: int):
    appraisal = get_manageable(
        Appraisal.objects.select_related("org"), request.user, pk=appraisal_id
    )
    entries = list(appraisal.entries.select_related("member"))
    form = FinalizeForm(request.POST or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            services.appraisal_finalize(
                actor=request.user,
                appraisal=appraisal,
                ratings=form.ratings(),
                followup_deadline=form.cleaned_data.get("followup_deadline"),
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
            for err in exc.errors:
                if f"rating_{err.get('field')}" in form.fields:
                    form.add_error(f"rating_{err['field']}", err["message"])
        else:
            messages.success(request, "评定等次已保存")
            return redirect("meetings:appraisal_detail", appraisal_id=appraisal.pk)
    stats = selectors.appraisal_stats(appraisal)
    rows = [
        {
            "entry": e,
            "field": form[f"rating_{e.member_id}"],
            "counts": [
                stats["per_member"].get(e.member_id, {}).get(v, 0) for v in Appraisal.Rating.values
            ],
        }
        for e in entries
    ]
    return render(
        request,
        "meetings/appraisal_detail.html",
        {
            "appraisal": appraisal,
            "rows": rows,
            "form": form,
            "stats": stats,
            "ratings": Appraisal.Rating.choices,
        },
    )


# ---------------------------------------------------------------- member's phone pages


@login_required
def my_meetings(request):
    member = _member_of(request.user)
    upcoming = list(selectors.my_meetings(member_id=member.pk, upcoming=True)) if member else []
    todo_makeup = (
        list(
            Attendance.objects.filter(
                member=member,
                meeting__status=Meeting.Status.HELD,
                status__in=[Attendance.Status.ABSENT, Attendance.Status.LEAVE],
            ).select_related("meeting")[:20]
        )
        if member
        else []
    )
    appraisals = (
        list(
            Appraisal.objects.filter(
                entries__member=member, status=Appraisal.Status.OPEN
            ).select_related("org")
        )
        if member
        else []
    )
    return render(
        request,
        "meetings/m_list.html",
        {"member": member, "upcoming": upcoming, "makeup": todo_makeup, "appraisals": appraisals},
    )


@login_required
def my_history(request):
    member = _member_of(request.user)
    rows = (
        selectors.my_meetings(member_id=member.pk, upcoming=False)
        if member
        else Attendance.objects.none()
    )
    page = paginate(request, rows)
    return render(request, "meetings/m_history.html", {"member": member, "page": page})


@login_required
def my_meeting(request, meeting_id: int):
    """One meeting on the phone: sign in (QR link or code), ask for leave, make up."""
    meeting = get_visible(Meeting.objects.select_related("org"), request.user, pk=meeting_id)
    member = _member_of(request.user)
    row = meeting.attendances.filter(member=member).first() if member else None
    token = request.GET.get("t") or request.POST.get("t") or ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "sign_in":
                services.meeting_sign_in(
                    actor=request.user,
                    meeting=meeting,
                    code=request.POST.get("code") or None,
                    token=token or None,
                )
                messages.success(request, "签到成功")
            elif action == "leave":
                services.leave_request(
                    actor=request.user, meeting=meeting, reason=request.POST.get("reason", "")
                )
                messages.success(request, "请假申请已提交，等待书记审批")
            elif action == "make_up":
                services.makeup_acknowledge(
                    actor=request.user, meeting=meeting, note=request.POST.get("note", "")
                )
                messages.success(request, "已确认补学")
            else:
                messages.error(request, "未知操作")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("meetings:my_meeting", meeting_id=meeting.pk)
    now = timezone.now()
    window_open = bool(
        meeting.sign_in_opens_at
        and meeting.sign_in_closes_at
        and meeting.sign_in_opens_at <= now <= meeting.sign_in_closes_at
    )
    # The record, as the API gives it: only to those who may read it (need to know).
    record_visible = selectors.record_visible(request.user, meeting)
    return render(
        request,
        "meetings/m_meeting.html",
        {
            "meeting": meeting,
            "member": member,
            "row": row,
            "record_visible": record_visible,
            "attachments": list(
                MeetingAttachment.objects.visible_to(request.user).filter(meeting=meeting)
            )
            if record_visible
            else [],
            "token": token if token == meeting.sign_in_token else "",
            "window_open": window_open,
        },
    )


@login_required
def my_sign_in_code(request):
    """Type the 6-digit code shown in the room: finds the member's meeting open for sign-in."""
    member = _member_of(request.user)
    if request.method == "POST" and member is not None:
        code = (request.POST.get("code") or "").strip()
        now = timezone.now()
        meeting = (
            Meeting.objects.visible_to(request.user)
            .filter(
                sign_in_code=code,
                sign_in_opens_at__lte=now,
                sign_in_closes_at__gte=now,
            )
            .exclude(status=Meeting.Status.CANCELLED)
            .first()
            if len(code) == 6 and code.isdigit()
            else None
        )
        if meeting is None:
            messages.error(request, "签到码不正确，或该会议当前不在签到时间内")
        else:
            try:
                services.meeting_sign_in(actor=request.user, meeting=meeting, code=code)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"签到成功：{meeting.topic}")
                return redirect("meetings:my_meeting", meeting_id=meeting.pk)
    return render(request, "meetings/m_code.html", {"member": member})


@login_required
def my_appraisal(request, appraisal_id: int):
    appraisal = (
        get_visible(Appraisal.objects.select_related("org"), request.user, pk=appraisal_id)
        if reach_of(request.user).is_manager
        else None
    )
    member = _member_of(request.user)
    if appraisal is None:
        appraisal = (
            Appraisal.objects.select_related("org")
            .filter(pk=appraisal_id, entries__member=member)
            .first()
            if member
            else None
        )
        if appraisal is None:
            raise Http404
    entry = appraisal.entries.filter(member=member).first() if member else None
    others = list(appraisal.entries.select_related("member").exclude(member=member))
    if request.method == "POST":
        try:
            if request.POST.get("action") == "self":
                services.appraisal_self_assess(
                    actor=request.user, appraisal=appraisal, text=request.POST.get("text", "")
                )
                messages.success(request, "自我评价已保存")
            else:
                ratings = {
                    e.member_id: request.POST.get(f"r{e.member_id}")
                    for e in others
                    if request.POST.get(f"r{e.member_id}")
                }
                services.appraisal_rate(actor=request.user, appraisal=appraisal, ratings=ratings)
                messages.success(request, "互评已提交")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("meetings:my_appraisal", appraisal_id=appraisal.pk)
    mine = (
        dict(
            AppraisalRating.objects.filter(appraisal=appraisal, rater=member).values_list(
                "ratee_id", "rating"
            )
        )
        if member
        else {}
    )
    return render(
        request,
        "meetings/m_appraisal.html",
        {
            "appraisal": appraisal,
            "entry": entry,
            "others": [(e, mine.get(e.member_id, "")) for e in others],
            "ratings": Appraisal.Rating.choices,
            "self_form": SelfAssessForm(initial={"text": entry.self_assessment if entry else ""}),
            "member": member,
            "max_bytes": settings.UPLOAD_MAX_BYTES,
        },
    )
