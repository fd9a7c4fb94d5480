"""Recording a meeting in one step: attendance ("全部出席" with exceptions), minutes and
make-up requests; the recording page, the printable minutes and the year's ledger."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEntry, Notification
from dangjian.meetings import selectors, services
from tests.factories import SYSTEM
from tests.meetings.conftest import open_meeting

pytestmark = pytest.mark.django_db

MINUTES = "<p>" + "会议传达学习了上级文件精神，党员逐一交流了学习体会。" * 5 + "</p>"


def _meeting(world, **kw):
    """A general meeting of branch A that started an hour ago; host 张三 (sec_a),
    recorder 李四 (member_a); 王五 and 赵六 (peer_a) are the others."""
    a1, a2, _a3, _a4 = world.members_a
    kw.setdefault("host", a1)
    kw.setdefault("recorder", a2)
    return open_meeting(world.a, starts=timezone.now() - dt.timedelta(hours=1), **kw)


def _statuses(meeting):
    return dict(meeting.attendances.values_list("member__name", "status"))


def _asked_to_make_up(world):
    return {
        name
        for name in ("sec_a", "member_a", "peer_a")
        if Notification.objects.filter(user=world.user(name), title__startswith="请补学").exists()
    }


def test_all_present_by_default_asks_nobody_to_make_up(world):
    meeting = _meeting(world)
    services.meeting_record(actor=SYSTEM, meeting=meeting, minutes=MINUTES, attendance={})
    assert _statuses(meeting) == {
        "张三": "present",
        "李四": "present",
        "王五": "present",
        "赵六": "present",
    }
    assert _asked_to_make_up(world) == set()


def test_exceptions_are_recorded_and_only_they_are_asked_to_make_up(world):
    _a1, a2, a3, a4 = world.members_a
    meeting = _meeting(world, recorder=a3)  # 李四 (member_a) is not a chair here
    services.meeting_record(
        actor=SYSTEM, meeting=meeting, minutes=MINUTES, attendance={a2.pk: "leave", a4.pk: "absent"}
    )
    assert _statuses(meeting) == {
        "张三": "present",
        "李四": "leave",
        "王五": "present",
        "赵六": "absent",
    }
    assert _asked_to_make_up(world) == {"member_a", "peer_a"}
    leave = meeting.attendances.get(member=a2)
    assert leave.leave_status == "approved"


def test_without_attendance_host_and_recorder_are_present_and_not_asked(world):
    """The older API call (no ``attendance``): those who did not sign in are absent, but
    never the host or the recorder, who get no make-up request."""
    meeting = _meeting(world)
    services.meeting_record(actor=SYSTEM, meeting=meeting, minutes=MINUTES)
    assert _statuses(meeting) == {
        "张三": "present",
        "李四": "present",
        "王五": "absent",
        "赵六": "absent",
    }
    assert _asked_to_make_up(world) == {"peer_a"}


def test_host_marked_absent_is_refused_and_nothing_changes(world):
    a1, *_ = world.members_a
    meeting = _meeting(world)
    with pytest.raises(DomainError, match="主持人或记录人") as exc:
        services.meeting_record(
            actor=SYSTEM, meeting=meeting, minutes=MINUTES, attendance={a1.pk: "absent"}
        )
    assert exc.value.errors[0]["field"] == "attendance"
    meeting.refresh_from_db()
    assert meeting.status == "planned" and not meeting.attendances.exists()


def test_a_member_not_expected_is_refused(world):
    outsider = world.members_b[1]
    meeting = _meeting(world)
    with pytest.raises(DomainError, match="不在本次会议的应到人员中"):
        services.meeting_record(
            actor=SYSTEM, meeting=meeting, minutes=MINUTES, attendance={outsider.pk: "present"}
        )


def test_approved_leave_is_prefilled_kept_and_asked_to_make_up(world):
    _a1, _a2, a3, _a4 = world.members_a
    meeting = _meeting(world, recorder=a3)
    row = services.leave_request(actor=world.user("peer_a"), meeting=meeting, reason="出差")
    services.leave_decide(actor=SYSTEM, attendance=row, approve=True)
    roll = {r.name: r for r in selectors.record_roll(meeting, selectors.expected_members(meeting))}
    assert roll["赵六"].initial == "leave" and "出差" in roll["赵六"].note
    assert roll["张三"].fixed == "出席（主持人）" and roll["王五"].fixed == "出席（记录人）"
    assert roll["李四"].initial == "present" and not roll["李四"].fixed
    services.meeting_record(actor=SYSTEM, meeting=meeting, minutes=MINUTES, attendance={})
    assert _statuses(meeting)["赵六"] == "leave"
    assert _asked_to_make_up(world) == {"peer_a"}


def test_recording_is_one_audit_entry_with_the_attendance_counts(world):
    _a1, _a2, _a3, a4 = world.members_a
    meeting = _meeting(world)
    before = AuditEntry.objects.count()
    services.meeting_record(
        actor=SYSTEM, meeting=meeting, minutes=MINUTES, attendance={a4.pk: "absent"}
    )
    entries = list(AuditEntry.objects.order_by("pk")[before:])
    assert [e.verb for e in entries] == ["登记会议记录"]
    assert entries[0].changes["attendance"] == {"present": 3, "absent": 1}


def test_re_recording_keeps_earlier_exceptions_unless_changed(world):
    _a1, _a2, _a3, a4 = world.members_a
    meeting = _meeting(world)
    services.meeting_record(
        actor=SYSTEM, meeting=meeting, minutes=MINUTES, attendance={a4.pk: "absent"}
    )
    roll = {r.name: r for r in selectors.record_roll(meeting, selectors.expected_members(meeting))}
    assert roll["赵六"].initial == "absent"
    services.meeting_record(actor=SYSTEM, meeting=meeting, minutes=MINUTES, attendance={})
    assert _statuses(meeting)["赵六"] == "absent"
    services.meeting_record(
        actor=SYSTEM, meeting=meeting, minutes=MINUTES, attendance={a4.pk: "present"}
    )
    assert _statuses(meeting)["赵六"] == "present"


# ---------------------------------------------------------------- pages


def test_record_page_lists_the_roll_with_the_editor_and_a_fallback(world, client_for):
    meeting = _meeting(world)
    resp = client_for(world.user("sec_a")).get(f"/meetings/{meeting.pk}/record/")
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "全部出席" in body and "出席（主持人）" in body and "出席（记录人）" in body
    a3 = world.members_a[2]
    assert f'name="att_{a3.pk}"' in body and 'value="present" autocomplete="off" checked' in body
    assert "<textarea" in body and "data-minutes-editor" in body
    assert "vendor/pell-1.0.6/pell.min.js" in body and "dangjian/minutes-editor.js" in body
    assert "<script>" not in body and "onclick" not in body
    assert not meeting.attendances.exists()  # GET writes nothing


def test_record_page_saves_attendance_and_minutes_in_one_post(world, client_for):
    _a1, _a2, a3, a4 = world.members_a
    meeting = _meeting(world)
    held = timezone.localtime(meeting.held_at).strftime("%Y-%m-%dT%H:%M")
    resp = client_for(world.user("sec_a")).post(
        f"/meetings/{meeting.pk}/record/",
        {
            "held_at": held,
            "place": "三楼会议室",
            "minutes": "<p>学习<strong>文件</strong></p><ul><li>一</li></ul><script>x()</script>",
            f"att_{a3.pk}": "present",
            f"att_{a4.pk}": "leave",
        },
    )
    assert resp.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.place == "三楼会议室"
    assert meeting.minutes == "<p>学习<strong>文件</strong></p><ul><li>一</li></ul>"
    assert _statuses(meeting) == {
        "张三": "present",
        "李四": "present",
        "王五": "present",
        "赵六": "leave",
    }


def test_record_page_shows_a_refused_exception_next_to_the_form(world, client_for):
    meeting = _meeting(world)
    held = timezone.localtime(meeting.held_at).strftime("%Y-%m-%dT%H:%M")
    resp = client_for(world.user("sec_a")).post(
        f"/meetings/{meeting.pk}/record/",
        {"held_at": held, "minutes": MINUTES, f"att_{world.members_a[2].pk}": "maybe"},
    )
    assert resp.status_code == 200
    assert "王五：请选择出席、请假或缺席" in resp.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def test_print_page_has_the_record_people_and_signature_lines(world, client_for):
    _a1, _a2, _a3, a4 = world.members_a
    meeting = _meeting(world, topic="学习党章")
    services.meeting_record(
        actor=SYSTEM,
        meeting=meeting,
        minutes=MINUTES,
        resolutions="同意年度计划",
        attendance={a4.pk: "absent"},
    )
    client = client_for(world.user("sec_a"))
    assert (
        f"/meetings/{meeting.pk}/print/" in client.get(f"/meetings/{meeting.pk}/").content.decode()
    )
    body = client.get(f"/meetings/{meeting.pk}/print/").content.decode()
    local = timezone.localtime(meeting.held_at)
    assert world.a.name in body and "学习党章" in body and "同意年度计划" in body
    assert f"{local:%Y}年{local.month}月{local.day}日 {local:%H:%M}" in body
    assert "应到 4 人，出席 3 人，请假 0 人，缺席 1 人" in body
    assert "李四、王五、张三" in body and "赵六" in body
    assert "主持人（签字）" in body and "记录人（签字）" in body
    assert 'class="d-flex gap-2 mb-3 no-print"' in body


def test_print_page_of_another_branch_is_404(world, client_for):
    meeting = _meeting(world)
    assert client_for(world.user("sec_b")).get(f"/meetings/{meeting.pk}/print/").status_code == 404


def test_ledger_is_one_click_from_the_list_with_real_dates(world, client_for):
    meeting = _meeting(world, topic="三月支部党员大会")
    services.meeting_record(actor=SYSTEM, meeting=meeting, minutes=MINUTES, attendance={})
    year = timezone.localtime(meeting.held_at).year
    client = client_for(world.user("sec_a"))
    body = client.get(f"/meetings/?year={year}").content.decode()
    link = f"/meetings/register/?org={world.a.pk}&year={year}&format=xlsx"
    assert link in body
    resp = client.get(link)
    sheet = load_workbook(io.BytesIO(resp.content)).active
    row = list(sheet.values)[1]
    local = timezone.localtime(meeting.held_at).replace(tzinfo=None, second=0, microsecond=0)
    assert row[3] == local  # a date-time cell, not text
    assert (row[9], row[10], row[12]) == (4, 4, 0)


def test_ledger_menu_lists_each_branch_for_a_committee_admin(world, client_for):
    body = client_for(world.user("c1_admin")).get("/meetings/?year=2026").content.decode()
    for org in (world.a, world.b):
        assert f"/meetings/register/?org={org.pk}&year=2026&format=xlsx" in body


# ---------------------------------------------------------------- API


def test_api_record_takes_the_attendance_exceptions(world, api_for):
    _a1, _a2, _a3, a4 = world.members_a
    meeting = _meeting(world)
    resp = api_for(world.user("sec_a")).post(
        f"/api/v1/meetings/{meeting.pk}/record",
        {"minutes": MINUTES, "attendance": [{"member": a4.pk, "status": "leave"}]},
        content_type="application/json",
    )
    assert resp.status_code == 200, resp.json()
    counts = resp.json()["attendance"]
    assert (counts["present"], counts["leave"], counts["absent"]) == (3, 1, 0)


def test_api_record_refuses_the_host_as_absent(world, api_for):
    meeting = _meeting(world)
    resp = api_for(world.user("sec_a")).post(
        f"/api/v1/meetings/{meeting.pk}/record",
        {"minutes": MINUTES, "attendance": [{"member": world.members_a[0].pk, "status": "absent"}]},
        content_type="application/json",
    )
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "attendance"
