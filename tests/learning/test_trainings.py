"""Training classes (issue 12, part 5) and the other sources of study hours (part 3):
LRN-5 hours and LRN-3's absence limit, sign-in with meetings' proof of presence, outside
records approved by the branch, meetings that count as study credited once."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.learning import selectors
from dangjian.learning import trainings as services
from dangjian.learning.models import OutsideRecord, StudyCredit, TrainingAttendance
from dangjian.meetings.models import Attendance, Meeting
from dangjian.meetings.services import attendance as meeting_attendance
from dangjian.meetings.services import meetings as meeting_services
from tests.factories import SYSTEM, make_member

pytestmark = pytest.mark.django_db

BJ = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 6, 1, 9, 0, tzinfo=BJ)
END = dt.datetime(2026, 6, 1, 17, 0, tzinfo=BJ)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def post(client, path, body=None):
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


def make_class(world, hours="8", **kw):
    return services.training_create(
        actor=SYSTEM,
        org=world.a,
        title=kw.pop("title", "党的二十届四中全会精神专题培训"),
        starts_at=kw.pop("starts_at", START),
        ends_at=kw.pop("ends_at", END),
        hours=hours,
        **kw,
    )


def credited(member, training) -> Decimal | None:
    row = StudyCredit.objects.filter(
        member=member, source_type="learning.training", source_id=training.pk
    ).first()
    return row.hours if row else None


# --- LRN-5 and LRN-3 ---


def test_a_day_can_earn_at_most_8_hours(world):
    with pytest.raises(DomainError) as exc:
        make_class(world, hours="8.5")
    assert "最多认定 8" in exc.value.message and exc.value.field == "hours"


def test_two_hours_on_a_morning_earn_at_most_two(world):
    end = START + dt.timedelta(hours=2)
    with pytest.raises(DomainError):
        make_class(world, hours="3", ends_at=end)
    assert make_class(world, hours="2", ends_at=end).hours == Decimal("2.00")


def test_bad_hours_answer_in_chinese(world):
    for bad in ("abc", "-1", "0", "1.234"):
        with pytest.raises(DomainError) as exc:
            make_class(world, hours=bad)
        assert exc.value.field == "hours"


def test_present_member_gets_class_hours_less_hours_missed(world):
    t = make_class(world)
    m = world.members_a[1]
    services.training_attendance_mark(
        actor=SYSTEM, training=t, member=m, status="present", absent_hours="1"
    )
    assert credited(m, t) == Decimal("7.00")
    credit = StudyCredit.objects.get(member=m, source_id=t.pk)
    assert credit.category == "training_class" and credit.rule_code == "LRN-5"
    assert credit.status == "approved" and credit.year == 2026


def test_absence_exactly_one_seventh_still_completes(world):
    t = make_class(world, hours="7", ends_at=END)
    m = world.members_a[1]
    services.training_attendance_mark(
        actor=SYSTEM, training=t, member=m, status="present", absent_hours="1"
    )
    assert credited(m, t) == Decimal("6.00")


def test_absence_beyond_one_seventh_earns_nothing(world):
    t = make_class(world, hours="7")
    m = world.members_a[1]
    services.training_attendance_mark(
        actor=SYSTEM, training=t, member=m, status="present", absent_hours="1.5"
    )
    assert credited(m, t) is None
    assert TrainingAttendance.objects.get(training=t, member=m).credited_hours == 0


def test_marking_absent_after_present_removes_the_credit(world):
    t = make_class(world)
    m = world.members_a[1]
    services.training_attendance_mark(actor=SYSTEM, training=t, member=m, status="present")
    services.training_attendance_mark(actor=SYSTEM, training=t, member=m, status="present")
    assert StudyCredit.objects.filter(member=m, source_id=t.pk).count() == 1
    services.training_attendance_mark(actor=SYSTEM, training=t, member=m, status="absent")
    assert credited(m, t) is None


def test_member_of_another_branch_cannot_be_marked(world):
    t = make_class(world)
    with pytest.raises(DomainError):
        services.training_attendance_mark(
            actor=SYSTEM, training=t, member=world.members_b[0], status="present"
        )


def test_bad_status_names_the_choices(world):
    t = make_class(world)
    with pytest.raises(DomainError) as exc:
        services.training_attendance_mark(
            actor=SYSTEM, training=t, member=world.members_a[1], status="here"
        )
    assert "出席" in exc.value.message


# --- Notice and sign-in (meetings' proof of presence) ---


def test_notice_lists_the_party_members_of_the_subtree_once(world):
    t = make_class(world)
    assert services.training_notify(actor=SYSTEM, training=t) == len(world.members_a)
    assert services.training_notify(actor=SYSTEM, training=t) == 0
    t.refresh_from_db()
    assert t.status == "notified"


def test_sign_in_with_the_code_credits_the_full_hours(world):
    t = make_class(world)
    services.training_notify(actor=SYSTEM, training=t)
    user = world.user("member_a")
    now = START + dt.timedelta(minutes=5)
    with pytest.raises(DomainError) as exc:
        services.training_sign_in(actor=user, training=t, code="000000x", now=now)
    assert exc.value.message == "签到码不正确"
    row = services.training_sign_in(actor=user, training=t, code=t.sign_in_code, now=now)
    assert row.status == "present" and row.channel == Attendance.Channel.CODE
    assert credited(world.members_a[1], t) == Decimal("8.00")
    again = services.training_sign_in(actor=user, training=t, token=t.sign_in_token, now=now)
    assert again.channel == Attendance.Channel.CODE  # unchanged


def test_sign_in_outside_the_window_is_refused(world):
    t = make_class(world)
    services.training_notify(actor=SYSTEM, training=t)
    with pytest.raises(DomainError) as exc:
        services.training_sign_in(
            actor=world.user("member_a"),
            training=t,
            code=t.sign_in_code,
            now=END + dt.timedelta(minutes=1),
        )
    assert "签到已截止" in exc.value.message


def test_sign_in_without_code_or_token_is_refused(world):
    t = make_class(world)
    services.training_notify(actor=SYSTEM, training=t)
    with pytest.raises(DomainError) as exc:
        services.training_sign_in(actor=world.user("member_a"), training=t, now=START)
    assert "签到码" in exc.value.message


def test_cancel_refused_once_hours_are_credited(world):
    t = make_class(world)
    services.training_attendance_mark(
        actor=SYSTEM, training=t, member=world.members_a[1], status="present"
    )
    with pytest.raises(Conflict):
        services.training_cancel(actor=SYSTEM, training=t)


# --- Outside records ---


def file_record(world, user="member_a", hours="6"):
    return services.outside_record_file(
        actor=world.user(user),
        title="市委党校轮训",
        organizer="市委党校",
        starts_on=dt.date(2026, 3, 2),
        ends_on=dt.date(2026, 3, 2),
        hours=hours,
        evidence=SimpleUploadedFile("cert.pdf", PDF),
    )


def test_outside_record_is_pending_until_approved_with_approver(world):
    r = file_record(world)
    member = world.members_a[1]
    h = selectors.member_hours(member, 2026)
    assert h.total == 0 and h.pending == Decimal("6.00")
    services.outside_record_decide(actor=world.user("sec_a"), record=r, approve=True)
    r.refresh_from_db()
    assert r.status == "approved" and r.approver == world.user("sec_a")
    h = selectors.member_hours(member, 2026)
    assert h.total == Decimal("6.00") and h.by_category == {"concentrated": Decimal("6.00")}
    with pytest.raises(Conflict):
        services.outside_record_decide(actor=world.user("sec_a"), record=r, approve=False)


def test_rejection_needs_a_reason_and_removes_pending_hours(world):
    r = file_record(world)
    with pytest.raises(DomainError):
        services.outside_record_decide(actor=world.user("sec_a"), record=r, approve=False)
    services.outside_record_decide(
        actor=world.user("sec_a"), record=r, approve=False, reason="证明材料不清晰"
    )
    assert OutsideRecord.objects.get(pk=r.pk).status == "rejected"
    assert selectors.member_hours(world.members_a[1], 2026).pending == 0


def test_member_cannot_approve_own_record(world):
    r = file_record(world, user="sec_a")
    with pytest.raises(Forbidden):
        services.outside_record_decide(actor=world.user("sec_a"), record=r, approve=True)


def test_more_than_a_days_hours_for_one_day_is_refused(world):
    with pytest.raises(DomainError) as exc:
        file_record(world, hours="9")
    assert exc.value.field == "hours"


def test_evidence_must_be_a_document_or_picture(world):
    with pytest.raises(DomainError) as exc:
        services.outside_record_file(
            actor=world.user("member_a"),
            title="培训",
            organizer="党校",
            starts_on=dt.date(2026, 3, 2),
            ends_on=dt.date(2026, 3, 2),
            hours="2",
            evidence=SimpleUploadedFile("x.pdf", b"MZ not a pdf at all"),
        )
    assert exc.value.field == "file"


# --- Meetings that count as study ---


def held(world, kind, when):
    m = meeting_services.meeting_create(
        actor=SYSTEM,
        org=world.a,
        kind=kind,
        topic="学习贯彻全会精神",
        status=Meeting.Status.HELD,
        held_at=when,
        place="会议室",
    )
    for member in world.members_a[:3]:
        meeting_attendance.attendance_mark(
            actor=SYSTEM, meeting=m, member=member, status=Attendance.Status.PRESENT
        )
    return m


def test_lectures_and_theme_days_credit_present_members_once(world):
    when = dt.datetime(2026, 4, 10, 15, 0, tzinfo=BJ)
    held(world, Meeting.Kind.PARTY_LECTURE, when)
    held(world, Meeting.Kind.THEME_DAY, when + dt.timedelta(days=1))
    held(world, Meeting.Kind.BOARD_MEETING, when + dt.timedelta(days=2))
    assert services.meeting_hours_credit(year=2026) == 6
    assert services.meeting_hours_credit(year=2026) == 0
    h = selectors.member_hours(world.members_a[0], 2026)
    assert h.by_category == {"org_life": Decimal("4.00")}
    assert selectors.member_hours(world.members_a[3], 2026).total == 0


def test_meeting_credit_takes_constant_queries(world):
    when = dt.datetime(2026, 4, 10, 15, 0, tzinfo=BJ)
    held(world, Meeting.Kind.PARTY_LECTURE, when)
    with CaptureQueriesContext(connection) as few:
        services.meeting_hours_credit(year=2026)
    for extra in ("甲", "乙", "丙", "丁"):
        make_member(world.a, f"新党员{extra}")
    held(world, Meeting.Kind.THEME_DAY, when + dt.timedelta(days=1))
    StudyCredit.objects.filter(source_type="meetings.meeting").delete()
    with CaptureQueriesContext(connection) as more:
        services.meeting_hours_credit(year=2026)
    assert len(more) == len(few)


# --- API, exactly as the issue writes it ---


def test_api_create_class_and_mark_attendance(world, api_for):
    api = api_for(world.user("sec_a"))
    resp = post(
        api,
        "/api/v1/learning/trainings",
        {
            "title": "支部书记培训",
            "org": world.a.pk,
            "starts_at": "2026-06-01T09:00:00+08:00",
            "ends_at": "2026-06-01T17:00:00+08:00",
            "hours": "8",
        },
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["hours"] == "8.00" and body["org_name"] == world.a.name
    member = world.members_a[2]
    resp = post(
        api,
        f"/api/v1/learning/trainings/{body['id']}/attendance",
        {"member": member.pk, "status": "present"},
    )
    assert resp.status_code == 200, resp.content
    assert resp.json()["credited_hours"] == "8.00"
    hours = api.get(f"/api/v1/learning/hours?member={member.pk}&year=2026").json()
    assert hours["by_category"] == {"training_class": "8.00"}


def test_api_bad_hours_is_422_in_chinese(world, api_for):
    resp = post(
        api_for(world.user("sec_a")),
        "/api/v1/learning/trainings",
        {
            "title": "培训",
            "org": world.a.pk,
            "starts_at": "2026-06-01T09:00:00+08:00",
            "ends_at": "2026-06-01T17:00:00+08:00",
            "hours": "很多",
        },
    )
    assert resp.status_code == 422
    assert "学时" in resp.json()["detail"]


def test_api_class_of_another_branch_is_404(world, api_for):
    t = make_class(world)
    resp = post(
        api_for(world.user("sec_b")),
        f"/api/v1/learning/trainings/{t.pk}/attendance",
        {"member": world.members_b[1].pk, "status": "present"},
    )
    assert resp.status_code == 404


def test_api_decide_outside_record(world, api_for):
    r = file_record(world)
    api = api_for(world.user("sec_a"))
    queue = api.get("/api/v1/learning/outside-records").json()
    assert queue["count"] == 1 and queue["results"][0]["name"] == "李四"
    resp = post(api, f"/api/v1/learning/outside-records/{r.pk}/decision", {"approve": True})
    assert resp.status_code == 200 and resp.json()["status"] == "approved"
    assert (
        post(
            api_for(world.user("sec_b")),
            f"/api/v1/learning/outside-records/{r.pk}/decision",
            {"approve": True},
        ).status_code
        == 404
    )


# --- Pages ---


def test_pages_render_for_the_secretary(world, client_for):
    t = make_class(world, place="党校307")
    services.training_notify(actor=SYSTEM, training=t)
    file_record(world)
    c = client_for(world.user("sec_a"))
    for name, args in (
        ("learning:trainings", []),
        ("learning:training", [t.pk]),
        ("learning:training_sheet", [t.pk]),
        ("learning:training_screen", [t.pk]),
        ("learning:records", []),
    ):
        resp = c.get(reverse(name, args=args))
        assert resp.status_code == 200, name
        text = resp.content.decode()
        assert "concentrated" not in text.replace('value="concentrated"', "")
    sheet = c.get(reverse("learning:training_sheet", args=[t.pk])).content.decode()
    assert world.a.name in sheet and "打印日期" in sheet and "张三" in sheet


def test_training_list_queries_do_not_grow_with_rows(world, client_for):
    c = client_for(world.user("sec_a"))
    make_class(world)
    c.get(reverse("learning:trainings"))
    with CaptureQueriesContext(connection) as one:
        c.get(reverse("learning:trainings"))
    for i in range(4):
        make_class(world, title=f"培训{i}")
    with CaptureQueriesContext(connection) as five:
        c.get(reverse("learning:trainings"))
    assert len(five) == len(one)


def test_member_signs_in_on_the_phone(world, client_for):
    t = make_class(
        world,
        starts_at=timezone.now() - dt.timedelta(minutes=10),
        ends_at=timezone.now() + dt.timedelta(hours=2),
        hours="2",
    )
    services.training_notify(actor=SYSTEM, training=t)
    c = client_for(world.user("member_a"))
    page = c.get(reverse("learning:my_trainings"))
    assert page.status_code == 200 and t.title in page.content.decode()
    c.post(reverse("learning:my_sign_in", args=[t.pk]), {"code": t.sign_in_code})
    assert TrainingAttendance.objects.get(training=t, member=world.members_a[1]).status == "present"


def test_member_files_a_record_on_the_phone_and_approval_queue_shows_it(world, client_for):
    c = client_for(world.user("member_a"))
    assert c.get(reverse("learning:my_records")).status_code == 200
    resp = c.post(
        reverse("learning:my_records"),
        {
            "title": "党校轮训",
            "organizer": "市委党校",
            "starts_on": "2026-03-02",
            "ends_on": "2026-03-03",
            "hours": "12",
            "evidence": SimpleUploadedFile("c.pdf", PDF),
        },
    )
    assert resp.status_code == 302
    r = OutsideRecord.objects.get()
    queue = client_for(world.user("sec_a")).get(reverse("learning:records")).content.decode()
    assert "党校轮训" in queue and "李四" in queue
    resp = client_for(world.user("sec_a")).post(
        reverse("learning:record_decide", args=[r.pk]), {"decision": "approve"}
    )
    assert resp.status_code == 302
    assert OutsideRecord.objects.get().status == "approved"


def test_filing_bad_input_keeps_the_form_with_a_message(world, client_for):
    c = client_for(world.user("member_a"))
    resp = c.post(
        reverse("learning:my_records"),
        {
            "title": "党校轮训",
            "organizer": "市委党校",
            "starts_on": "2026-03-05",
            "ends_on": "2026-03-02",
            "hours": "2",
            "evidence": SimpleUploadedFile("c.pdf", PDF),
        },
    )
    assert resp.status_code == 200
    assert "结束日期不能早于开始日期" in resp.content.decode()


def test_certificate_is_a_pdf_or_a_clear_503(world, client_for):
    t = make_class(world)
    services.training_attendance_mark(
        actor=SYSTEM, training=t, member=world.members_a[1], status="present"
    )
    c = client_for(world.user("member_a"))
    url = reverse("learning:certificate", args=[world.members_a[1].pk])
    html = c.get(url + "?year=2026").content.decode()
    assert "8.00" in html and world.a.name in html
    resp = c.get(url + "?year=2026&format=pdf")
    assert resp.status_code in (200, 503)
    if resp.status_code == 200:
        assert resp.content.startswith(b"%PDF")
    other = reverse("learning:certificate", args=[world.members_b[0].pk])
    assert c.get(other).status_code == 404


# --- Workbench and lists ---


def test_workbench_shows_records_to_approve_and_classes_this_week(world):
    from dangjian.core.workbench import workbench_for

    file_record(world)
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time(9)))
    make_class(
        world,
        title="本周专题党课",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        hours="2",
    )
    bench = workbench_for(world.user("sec_a"), today=today)
    whats = [t.what for t in bench.todos]
    assert any("审核外出培训学时：李四" in w for w in whats)
    assert any("本周培训班：本周专题党课" in w for w in whats)
    other = [t.what for t in workbench_for(world.user("sec_b"), today=today).todos]
    assert not any("李四" in w or "本周专题党课" in w for w in other)


def test_record_queue_queries_do_not_grow_with_rows(world, client_for):
    c = client_for(world.user("sec_a"))
    file_record(world)
    c.get(reverse("learning:records"))
    with CaptureQueriesContext(connection) as one:
        c.get(reverse("learning:records"))
    for user in ("peer_a", "sec_a"):
        file_record(world, user=user, hours="2")
    with CaptureQueriesContext(connection) as three:
        c.get(reverse("learning:records"))
    assert len(three) == len(one)


def test_training_detail_queries_do_not_grow_with_attendees(world, client_for):
    c = client_for(world.user("sec_a"))
    t = make_class(world)
    services.training_notify(actor=SYSTEM, training=t, members=world.members_a[:1])
    url = reverse("learning:training", args=[t.pk])
    c.get(url)
    with CaptureQueriesContext(connection) as one:
        c.get(url)
    services.training_notify(actor=SYSTEM, training=t)
    with CaptureQueriesContext(connection) as four:
        c.get(url)
    assert len(four) == len(one)


def test_member_on_the_list_sees_the_materials_others_do_not(world, client_for):
    t = make_class(world)
    services.training_notify(actor=SYSTEM, training=t, members=world.members_a[1:2])
    m = services.training_material_add(
        actor=SYSTEM, training=t, title="讲义", file=SimpleUploadedFile("a.pdf", PDF)
    )
    page = client_for(world.user("member_a")).get(reverse("learning:my_trainings"))
    assert "讲义" in page.content.decode()
    url = reverse("learning:material", args=[m.pk])
    assert client_for(world.user("member_a")).get(url).status_code == 200
    assert client_for(world.user("peer_a")).get(url).status_code == 404


def test_wrong_codes_pause_the_code_of_that_class_only(world, settings):
    from django.core.cache import cache

    settings.SIGN_IN_CODE_TRIES = 2
    t = make_class(world)
    services.training_notify(actor=SYSTEM, training=t)
    user, now = world.user("member_a"), START + dt.timedelta(minutes=5)
    wrong = f"{(int(t.sign_in_code) + 1) % 1_000_000:06d}"
    key = f"learning:training-sign-in-code-misses:{t.pk}:{world.members_a[1].pk}"
    try:
        for _ in range(2):
            with pytest.raises(DomainError):
                services.training_sign_in(actor=user, training=t, code=wrong, now=now)
        with pytest.raises(DomainError) as exc:
            services.training_sign_in(actor=user, training=t, code=t.sign_in_code, now=now)
        assert "连续输错 2 次" in exc.value.message
        row = services.training_sign_in(actor=user, training=t, token=t.sign_in_token, now=now)
        assert row.status == "present" and row.channel == Attendance.Channel.QR
    finally:
        cache.delete(key)
