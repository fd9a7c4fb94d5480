"""Back-office pages and the member's phone pages."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.meetings import services
from dangjian.meetings.models import Attendance, Meeting
from tests.factories import SYSTEM
from tests.meetings.conftest import held_meeting, open_meeting

pytestmark = pytest.mark.django_db


def test_list_page_query_count_does_not_grow(world, client_for, django_assert_max_num_queries):
    for i in range(25):
        held_meeting(world.a, topic=f"会议{i}", when=timezone.now() - dt.timedelta(hours=i + 1))
    client = client_for(world.user("sec_a"))
    with django_assert_max_num_queries(15):
        resp = client.get(f"/meetings/?org={world.a.pk}")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "会议0" in body and "会议24" in body and "0/4" in body


def test_list_flags_questionable_minutes(world, client_for):
    meeting = held_meeting(world.a, topic="记录很短的会")
    services.meeting_record(actor=SYSTEM, meeting=meeting, minutes="<p>开会。</p>")
    held_meeting(world.a, topic="没有问题的会")
    resp = client_for(world.user("sec_a")).get("/meetings/?quality=flagged")
    body = resp.content.decode()
    assert "记录很短的会" in body and "没有问题的会" not in body and "记录过短" in body


def test_secretary_creates_a_meeting_with_the_form(world, client_for):
    client = client_for(world.user("sec_a"))
    resp = client.post(
        f"/meetings/new/?org={world.a.pk}",
        {
            "org": world.a.pk,
            "kind": "theme_day",
            "topic": "重温入党誓词",
            "status": "planned",
            "planned_on": "2026-12-20",
            "place": "三楼会议室",
            "host": world.members_a[0].pk,
        },
    )
    assert resp.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.topic, meeting.host, meeting.place) == (
        "重温入党誓词",
        world.members_a[0],
        "三楼会议室",
    )


def test_form_shows_the_service_error_on_the_field(world, client_for):
    resp = client_for(world.user("sec_a")).post(
        f"/meetings/new/?org={world.a.pk}",
        {
            "org": world.a.pk,
            "kind": "group_meeting",
            "topic": "小组会",
            "status": "planned",
            "planned_on": "2026-12-20",
        },
    )
    assert resp.status_code == 200
    assert "党小组会须选择党小组" in resp.content.decode()
    assert not Meeting.objects.exists()


def test_record_form_saves_minutes(world, client_for):
    meeting = open_meeting(world.a, starts=timezone.now() - dt.timedelta(hours=2))
    held = timezone.localtime(meeting.held_at).strftime("%Y-%m-%dT%H:%M")
    resp = client_for(world.user("sec_a")).post(
        f"/meetings/{meeting.pk}/record/",
        {
            "held_at": held,
            "place": "会议室",
            "minutes": "<p>讨论了三项工作</p>",
            "resolutions": "通过年度计划",
        },
    )
    assert resp.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.resolutions == "通过年度计划"


def test_detail_shows_vote_arithmetic(world, client_for):
    meeting = held_meeting(world.a)
    for m in world.members_a[:3]:
        services.attendance_mark(actor=SYSTEM, meeting=meeting, member=m, status="present")
    resp = client_for(world.user("sec_a")).post(
        f"/meetings/{meeting.pk}/votes/",
        {
            "subject": "接收预备党员",
            "votes_for": 3,
            "votes_against": 0,
            "abstain": 0,
            "written_opinions": 0,
        },
    )
    assert resp.status_code == 302
    body = client_for(world.user("sec_a")).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "接收预备党员" in body and "应到会有表决权 4 人，实到 3 人" in body and "通过" in body


def test_attendance_is_marked_with_htmx(world, client_for):
    meeting = held_meeting(world.a)
    resp = client_for(world.user("sec_a")).post(
        f"/meetings/{meeting.pk}/attendance/",
        {"member": world.members_a[3].pk, "status": "leave"},
        headers={"HX-Request": "true"},
    )
    assert resp.status_code == 200
    assert "<html" not in resp.content.decode()
    assert Attendance.objects.get(meeting=meeting, member=world.members_a[3]).status == "leave"


def test_sign_in_screen_shows_qr_and_code(world, client_for):
    meeting = open_meeting(world.a)
    body = client_for(world.user("sec_a")).get(f"/meetings/{meeting.pk}/screen/").content.decode()
    assert "<svg" in body and meeting.sign_in_code in body


def test_register_exports_xlsx_and_pdf(world, client_for):
    meeting = held_meeting(world.a, topic="三月支部党员大会")
    services.meeting_record(actor=SYSTEM, meeting=meeting, resolutions="同意", minutes="<p>x</p>")
    year = timezone.localtime(meeting.held_at).year
    client = client_for(world.user("sec_a"))
    resp = client.get(f"/meetings/register/?org={world.a.pk}&year={year}&format=xlsx")
    assert resp.status_code == 200
    sheet = load_workbook(io.BytesIO(resp.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("序号", "类型", "主题")
    assert rows[1][2] == "三月支部党员大会" and rows[1][9] == 4
    pdf = client.get(f"/meetings/register/?org={world.a.pk}&year={year}&format=pdf")
    assert pdf.status_code in (200, 503)
    if pdf.status_code == 200:
        assert pdf.content.startswith(b"%PDF")
    else:
        assert "fonts-noto-cjk" in pdf.content.decode()


def test_register_of_other_branch_is_404(world, client_for):
    resp = client_for(world.user("sec_b")).get(f"/meetings/register/?org={world.a.pk}&year=2026")
    assert resp.status_code == 404


def test_member_sees_upcoming_meetings_on_the_phone(world, client_for):
    meeting = open_meeting(
        world.a,
        topic="十二月主题党日",
        kind="theme_day",
        starts=timezone.now() + dt.timedelta(days=2),
    )
    services.meeting_send_notice(actor=SYSTEM, meeting=meeting)
    open_meeting(world.b, topic="别的支部的会", starts=timezone.now() + dt.timedelta(days=2))
    body = client_for(world.user("member_a")).get("/meetings/m/").content.decode()
    assert "十二月主题党日" in body and "别的支部的会" not in body


def test_member_signs_in_by_scanning_the_qr_link(world, client_for):
    meeting = open_meeting(world.a)
    client = client_for(world.user("member_a"))
    page = client.get(f"/meetings/m/{meeting.pk}/?t={meeting.sign_in_token}")
    assert "确认签到" in page.content.decode()
    resp = client.post(
        f"/meetings/m/{meeting.pk}/", {"action": "sign_in", "t": meeting.sign_in_token}
    )
    assert resp.status_code == 302
    row = Attendance.objects.get(meeting=meeting, member=world.members_a[1])
    assert (row.status, row.channel) == ("present", "qr")


def test_member_signs_in_by_typing_the_code(world, client_for):
    meeting = open_meeting(world.a)
    resp = client_for(world.user("member_a")).post(
        "/meetings/m/code/", {"code": meeting.sign_in_code}
    )
    assert resp.status_code == 302
    row = Attendance.objects.get(meeting=meeting, member=world.members_a[1])
    assert (row.status, row.channel) == ("present", "code")


def test_code_of_another_branch_signs_nothing(world, client_for):
    meeting = open_meeting(world.b)
    resp = client_for(world.user("member_a")).post(
        "/meetings/m/code/", {"code": meeting.sign_in_code}
    )
    assert resp.status_code == 200 and "签到码不正确" in resp.content.decode()
    assert not Attendance.objects.filter(status="present").exists()


def test_member_asks_for_leave_and_makes_up_on_the_phone(world, client_for):
    client = client_for(world.user("member_a"))
    later = open_meeting(world.a, starts=timezone.now() + dt.timedelta(days=3))
    client.post(f"/meetings/m/{later.pk}/", {"action": "leave", "reason": "外出学习"})
    row = Attendance.objects.get(meeting=later, member=world.members_a[1])
    assert (row.leave_status, row.leave_reason) == ("pending", "外出学习")
    past = held_meeting(world.a)
    services.meeting_record(actor=SYSTEM, meeting=past, minutes="<p>学习文件</p>")
    client.post(f"/meetings/m/{past.pk}/", {"action": "make_up", "note": "已学习会议记录"})
    assert Attendance.objects.get(meeting=past, member=world.members_a[1]).status == "made_up"
    history = client.get("/meetings/m/history/").content.decode()
    assert "已补学" in history


def test_member_rates_others_on_the_phone(world, client_for):
    appraisal = services.appraisal_open(actor=SYSTEM, org=world.a, year=2026)
    client = client_for(world.user("member_a"))
    page = client.get(f"/meetings/m/appraisals/{appraisal.pk}/").content.decode()
    assert "张三" in page and "互评" in page
    client.post(
        f"/meetings/m/appraisals/{appraisal.pk}/",
        {"action": "rate", f"r{world.members_a[0].pk}": "excellent"},
    )
    assert appraisal.ratings.get().rating == "excellent"


def test_plain_member_cannot_open_back_office_pages(world, client_for):
    client = client_for(world.user("member_a"))
    assert client.get("/meetings/").status_code == 404
    assert client.get("/meetings/plan/").status_code == 404
    meeting = held_meeting(world.a)
    resp = client.get(f"/meetings/{meeting.pk}/")
    assert resp.status_code == 302 and resp["Location"] == f"/meetings/m/{meeting.pk}/"


def test_board_finalizes_appraisal_on_the_page(world, client_for):
    appraisal = services.appraisal_open(actor=SYSTEM, org=world.a, year=2026)
    data = {f"rating_{m.pk}": "qualified" for m in world.members_a}
    resp = client_for(world.user("sec_a")).post(f"/meetings/appraisals/{appraisal.pk}/", data)
    assert resp.status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.status == "finalized"


def test_the_meeting_form_picks_people_from_the_chosen_org_and_keeps_them_on_error(
    world, client_for
):
    """Host, recorder, lecturer and counterpart come from the member picker over the org
    chosen in the form; a person of another branch is refused next to the field."""
    client = client_for(world.user("c1_admin"))
    page = client.get("/meetings/new/").content.decode()
    assert "source=org_party" in page and "#id_org" in page
    body = {
        "org": world.a.pk,
        "kind": "theme_day",
        "topic": "重温入党誓词",
        "status": "planned",
        "planned_on": "2026-12-20",
        "host": world.members_b[0].pk,  # 钱七 is in branch B
        "recorder": world.members_a[2].pk,
    }
    resp = client.post("/meetings/new/", body)
    assert resp.status_code == 200 and not Meeting.objects.exists()
    html = resp.content.decode()
    assert "王五" in html  # the valid choice is kept, shown by name
    resp = client.post("/meetings/new/", body | {"host": world.members_a[0].pk})
    assert resp.status_code == 302
    assert Meeting.objects.get().host == world.members_a[0]
    # The picker offers the chosen org's party members only.
    found = client.post(
        f"/members/pick/?source=org_party&field=host&org={world.b.pk}", {"host__q": ""}
    ).content.decode()
    assert "钱七" in found and "张三" not in found
