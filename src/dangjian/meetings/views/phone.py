"""The member's phone pages: my meetings, my history, one meeting (sign in, leave, make
up), sign-in by code, my appraisal. Reads through selectors, a constant number of queries
per page however many meetings the member has."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from dangjian.core.errors import DomainError
from dangjian.core.paging import paginate
from dangjian.core.scope import get_visible
from dangjian.meetings import selectors, services
from dangjian.meetings.forms import SelfAssessForm
from dangjian.meetings.models import Appraisal, Attendance, Meeting


@login_required
def my_meetings(request):
    member = selectors.member_of(request.user)
    context = {"member": member, "upcoming": [], "makeup": [], "appraisals": []}
    if member is not None:
        context |= {
            "upcoming": list(selectors.my_meetings(member_id=member.pk, upcoming=True)),
            "makeup": selectors.my_makeup(member_id=member.pk),
            "appraisals": selectors.my_open_appraisals(member_id=member.pk),
        }
    return render(request, "meetings/m_list.html", context)


@login_required
def my_history(request):
    member = selectors.member_of(request.user)
    rows = (
        selectors.my_meetings(member_id=member.pk, upcoming=False)
        if member
        else Attendance.objects.none()
    )
    page = paginate(request, rows)
    return render(request, "meetings/m_history.html", {"member": member, "page": page})


def _my_meeting_action(request, meeting: Meeting, token: str) -> None:
    """Sign in, ask for leave or confirm make-up study; the outcome as a message."""
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


@login_required
def my_meeting(request, meeting_id: int):
    """One meeting on the phone: sign in (QR link or code), ask for leave, make up."""
    meeting = get_visible(Meeting.objects.select_related("org"), request.user, pk=meeting_id)
    token = request.GET.get("t") or request.POST.get("t") or ""
    if request.method == "POST":
        _my_meeting_action(request, meeting, token)
        return redirect("meetings:my_meeting", meeting_id=meeting.pk)
    member = selectors.member_of(request.user)
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
            "row": selectors.my_attendance(meeting, member),
            "record_visible": record_visible,
            "attachments": (
                selectors.record_attachments(request.user, meeting) if record_visible else []
            ),
            "token": token if token == meeting.sign_in_token else "",
            "window_open": window_open,
        },
    )


@login_required
def my_sign_in_code(request):
    """Type the 6-digit code shown in the room: finds the member's meeting open for sign-in."""
    member = selectors.member_of(request.user)
    if request.method == "POST" and member is not None:
        code = (request.POST.get("code") or "").strip()
        meeting = selectors.meeting_open_for_code(request.user, code, now=timezone.now())
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
    member = selectors.member_of(request.user)
    appraisal = selectors.my_appraisal(request.user, appraisal_id, member)
    if appraisal is None:
        raise Http404
    sheet = selectors.appraisal_sheet(appraisal, member)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "self":
                services.appraisal_self_assess(
                    actor=request.user, appraisal=appraisal, text=request.POST.get("text", "")
                )
                messages.success(request, "自我评价已保存")
            else:
                ratings = {
                    e.member_id: request.POST[f"r{e.member_id}"]
                    for e, _ in sheet.others
                    if request.POST.get(f"r{e.member_id}")
                }
                services.appraisal_rate(actor=request.user, appraisal=appraisal, ratings=ratings)
                messages.success(request, "互评已提交")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("meetings:my_appraisal", appraisal_id=appraisal.pk)
    entry = sheet.entry
    return render(
        request,
        "meetings/m_appraisal.html",
        {
            "appraisal": appraisal,
            "entry": entry,
            "others": sheet.others,
            "ratings": Appraisal.Rating.choices,
            "self_form": SelfAssessForm(initial={"text": entry.self_assessment if entry else ""}),
            "member": member,
            "max_bytes": settings.UPLOAD_MAX_BYTES,
        },
    )
