"""Back-office pages of meetings: list, create, edit, record, print, attendance, votes,
attachments, criticism, the sign-in screen."""

from __future__ import annotations

import datetime as dt

import segno
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
from dangjian.meetings import selectors, services
from dangjian.meetings.forms import (
    AttachmentForm,
    CriticismForm,
    MeetingForm,
    RecordForm,
    ToRectificationForm,
    VoteForm,
    branch_choices,
)
from dangjian.meetings.models import (
    Attendance,
    CriticismItem,
    Meeting,
    MeetingAttachment,
    PlanSlot,
)
from dangjian.meetings.views.common import default_branch, org_param, year_param
from dangjian.members.models import Member


def _manageable_meeting(request, meeting_id):
    return get_manageable(Meeting.objects.select_related("org"), request.user, pk=meeting_id)


@manager_required
def meeting_list(request):
    org = org_param(request)
    year = year_param(request)
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
    org = default_branch(request)
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
    roll = selectors.record_roll(meeting, selectors.expected_members(meeting))
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
    member_id = request.POST.get("member") or ""
    member = (
        Member.objects.in_subtree(meeting.org).filter(pk=member_id).first()
        if member_id.isdigit()
        else None
    )
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
