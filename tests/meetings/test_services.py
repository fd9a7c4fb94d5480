"""Meetings, notices, leave, minutes, attachments and the 组织生活会 loop, through services."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.assessment.models import Rectification
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import AuditEntry, Notification
from dangjian.meetings import selectors, services
from dangjian.meetings.models import Attendance, Meeting
from dangjian.orgs.services import position_assign
from tests.factories import SYSTEM, make_member, make_user
from tests.meetings.conftest import held_meeting, open_meeting

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64
LONG = (
    "<p>3月15日上午，预算处党支部召开支部党员大会，应到4人，实到4人。</p>"
    "<p>会议首先传达学习了上级关于加强机关党建工作的通知精神，张三同志领学了有关文件。"
    "随后，与会党员结合预算编制和绩效评价工作，逐一交流了学习体会，"
    "大家认为要把学习成果转化为推动业务工作的实际成效。</p>"
    "<p>会议研究了本季度发展党员工作，对入党积极分子的培养考察情况进行了讨论，"
    "明确了培养联系人和下一步工作安排。最后，书记对支部近期工作作了部署。</p>"
)


def test_expected_attendees_follow_the_kind(world):
    a1, a2, a3, a4 = world.members_a
    from dangjian.members.services import member_update

    member_update(actor=SYSTEM, member=a3, group=world.ga)
    position_assign(actor=SYSTEM, org=world.a, role="organizer", member=a2)
    general = open_meeting(world.a)
    group = open_meeting(world.a, kind="group_meeting", group=world.ga)
    board = open_meeting(world.a, kind="board_meeting")
    assert set(selectors.expected_members(general)) == {a1, a2, a3, a4}
    assert set(selectors.expected_members(group)) == {a3}
    assert set(selectors.expected_members(board)) == {a1, a2}  # sec_a is a1


def test_group_meeting_needs_a_group_of_the_branch(world):
    with pytest.raises(DomainError, match="党小组会须选择党小组"):
        open_meeting(world.a, kind="group_meeting")
    other = world.ga
    with pytest.raises(DomainError, match="本支部下设"):
        open_meeting(world.b, kind="group_meeting", group=other)


def test_notice_reaches_each_attendee_once(world):
    meeting = open_meeting(world.a, starts=timezone.now() + dt.timedelta(days=3))
    assert services.meeting_send_notice(actor=SYSTEM, meeting=meeting) == 3  # users of A
    assert services.meeting_send_notice(actor=SYSTEM, meeting=meeting) == 0
    assert meeting.attendances.count() == 4
    assert (
        Notification.objects.filter(
            user=world.user("member_a"), title__startswith="会议通知"
        ).count()
        == 1
    )


def test_leave_refused_keeps_member_expected(world):
    meeting = open_meeting(world.a, starts=timezone.now() + dt.timedelta(days=3))
    row = services.leave_request(actor=world.user("member_a"), meeting=meeting, reason="出差")
    row = services.leave_decide(actor=SYSTEM, attendance=row, approve=False)
    assert (row.status, row.leave_status) == ("expected", "refused")
    with pytest.raises(Conflict):
        services.leave_decide(actor=SYSTEM, attendance=row, approve=True)


def test_leave_without_reason_is_refused(world):
    meeting = open_meeting(world.a, starts=timezone.now() + dt.timedelta(days=3))
    with pytest.raises(DomainError, match="请假事由"):
        services.leave_request(actor=world.user("member_a"), meeting=meeting, reason="  ")


def test_record_marks_the_rest_absent_and_asks_them_to_make_up(world):
    meeting = open_meeting(world.a, starts=timezone.now() - dt.timedelta(minutes=20))
    services.meeting_sign_in(actor=world.user("sec_a"), meeting=meeting, code=meeting.sign_in_code)
    services.meeting_record(actor=SYSTEM, meeting=meeting, minutes=LONG)
    statuses = dict(meeting.attendances.values_list("member__name", "status"))
    assert statuses == {"张三": "present", "李四": "absent", "王五": "absent", "赵六": "absent"}
    assert Notification.objects.filter(
        user=world.user("member_a"), title__startswith="请补学"
    ).exists()
    row = services.makeup_acknowledge(
        actor=world.user("member_a"), meeting=meeting, note="学习了会议记录"
    )
    assert row.status == "made_up" and row.made_up_at is not None


def test_minutes_are_sanitized(world):
    meeting = held_meeting(world.a)
    services.meeting_record(
        actor=SYSTEM,
        meeting=meeting,
        minutes=LONG + '<script>alert(1)</script><p onclick="x()">讨论<strong>决定</strong></p>',
    )
    meeting.refresh_from_db()
    assert "<script" not in meeting.minutes and "onclick" not in meeting.minutes
    assert "<strong>决定</strong>" in meeting.minutes


def test_short_minutes_are_flagged(world):
    meeting = held_meeting(world.a)
    services.meeting_record(actor=SYSTEM, meeting=meeting, minutes="<p>开会了。</p>")
    meeting.refresh_from_db()
    assert meeting.quality == "short"


def test_copied_minutes_of_another_branch_are_flagged_with_the_record(world):
    original = held_meeting(world.b, when=timezone.now() - dt.timedelta(days=30))
    services.meeting_record(actor=SYSTEM, meeting=original, minutes=LONG)
    copy = held_meeting(world.a)
    services.meeting_record(
        actor=SYSTEM,
        meeting=copy,
        minutes=LONG.replace("3月15日", "4月12日").replace("预算处", "国库处"),
    )
    copy.refresh_from_db()
    assert copy.quality == "similar"
    assert copy.similar_to_id == original.pk and copy.similarity >= 0.7


def test_different_minutes_are_ok(world):
    first = held_meeting(world.a, when=timezone.now() - dt.timedelta(days=30))
    services.meeting_record(actor=SYSTEM, meeting=first, minutes=LONG)
    other = held_meeting(world.a)
    services.meeting_record(
        actor=SYSTEM,
        meeting=other,
        minutes="<p>" + "传达学习上级会议精神，结合处室业务谈认识，每位党员作了发言。" * 6 + "</p>",
    )
    other.refresh_from_db()
    assert other.quality == "ok" and other.similar_to_id is None


def test_attachments_are_checked_by_content(world, settings):
    meeting = held_meeting(world.a)
    photo = services.attachment_add(
        actor=SYSTEM, meeting=meeting, upload=SimpleUploadedFile("现场.png", PNG)
    )
    assert photo.content_type == "image/png"
    pdf = services.attachment_add(
        actor=SYSTEM, meeting=meeting, upload=SimpleUploadedFile("签到表", PDF)
    )
    assert pdf.content_type == "application/pdf"
    with pytest.raises(DomainError, match="只能上传图片"):
        services.attachment_add(
            actor=SYSTEM, meeting=meeting, upload=SimpleUploadedFile("fake.png", b"MZ\x90\x00evil")
        )
    settings.UPLOAD_MAX_BYTES = 50
    with pytest.raises(DomainError, match="文件过大"):
        services.attachment_add(
            actor=SYSTEM, meeting=meeting, upload=SimpleUploadedFile("big.pdf", PDF)
        )
    assert meeting.attachments.count() == 2


def test_backfilling_a_held_meeting_is_audited(world):
    meeting = held_meeting(world.a, when=timezone.now() - dt.timedelta(days=60))
    assert meeting.backfilled
    entry = AuditEntry.objects.get(object_type="meetings.meeting", object_id=str(meeting.pk))
    assert entry.verb == "补录已召开会议"


def test_cancelled_meeting_refuses_sign_in(world):
    meeting = open_meeting(world.a)
    services.meeting_cancel(actor=SYSTEM, meeting=meeting, reason="与上级会议冲突")
    with pytest.raises(DomainError, match="已取消"):
        services.meeting_sign_in(actor=world.user("member_a"), meeting=meeting)


def test_sign_in_after_window_is_refused(world):
    meeting = open_meeting(world.a, starts=timezone.now() - dt.timedelta(hours=5))
    with pytest.raises(DomainError, match="签到已截止"):
        services.meeting_sign_in(actor=world.user("member_a"), meeting=meeting)


def test_secretary_can_change_the_window(world):
    meeting = open_meeting(world.a, starts=timezone.now() - dt.timedelta(hours=5))
    services.meeting_update(
        actor=SYSTEM, meeting=meeting, sign_in_closes_at=timezone.now() + dt.timedelta(minutes=5)
    )
    meeting.refresh_from_db()
    row = services.meeting_sign_in(
        actor=world.user("member_a"), meeting=meeting, token=meeting.sign_in_token
    )
    assert row.status == "present"


def test_heart_talk_records_who_with_whom(world):
    a1, a2 = world.members_a[:2]
    talk = services.meeting_create(
        actor=SYSTEM,
        org=world.a,
        kind="heart_talk",
        topic="谈心谈话",
        status="held",
        held_at=timezone.now() - dt.timedelta(days=1),
        host=a1,
        counterpart=a2,
    )
    assert set(talk.attendances.values_list("member_id", flat=True)) == {a1.pk, a2.pk}
    with pytest.raises(DomainError, match="谈话对象不能是谈话人本人"):
        services.meeting_create(
            actor=SYSTEM,
            org=world.a,
            kind="heart_talk",
            topic="x",
            status="held",
            held_at=timezone.now() - dt.timedelta(days=1),
            host=a1,
            counterpart=a1,
        )


def test_life_meeting_criticism_becomes_a_rectification(world):
    life = held_meeting(world.a, kind="life_meeting", topic="年度组织生活会")
    a1, a2 = world.members_a[:2]
    item = services.criticism_add(
        actor=SYSTEM, meeting=life, member=a2, kind="peer", critic=a1, content="理论学习不够系统"
    )
    deadline = timezone.localdate() + dt.timedelta(days=60)
    rect = services.criticism_to_rectification(
        actor=SYSTEM, item=item, item_text="制定个人学习计划", deadline=deadline
    )
    again = services.criticism_to_rectification(
        actor=SYSTEM, item=item, item_text="制定个人学习计划", deadline=deadline
    )
    assert rect.pk == again.pk
    assert (rect.owner, rect.org, rect.source) == (a2, world.a, item)
    assert Rectification.objects.for_source(item).count() == 1


def test_criticism_only_at_life_meeting(world):
    meeting = held_meeting(world.a, kind="theme_day")
    with pytest.raises(DomainError, match="组织生活会"):
        services.criticism_add(
            actor=SYSTEM, meeting=meeting, member=world.members_a[0], kind="self", content="x"
        )


def test_secretary_of_b_cannot_record_a_meeting_of_a(world, api_for):
    # The gate answers in the API (404, as for a missing id); the service trusts its caller.
    meeting = held_meeting(world.a)
    resp = api_for(world.user("sec_b")).post(
        f"/api/v1/meetings/{meeting.pk}/record",
        data={"minutes": LONG},
        content_type="application/json",
    )
    assert resp.status_code == 404
    meeting.refresh_from_db()
    assert meeting.minutes != LONG


def test_member_who_left_is_not_expected(world):
    from dangjian.members.services import member_leave

    member_leave(actor=SYSTEM, member=world.members_a[3], on=timezone.localdate(), reason="转出")
    meeting = held_meeting(world.a)
    assert meeting.attendances.count() == 3


def test_member_joining_later_sees_branch_meetings(world, client_for):
    newcomer = make_member(world.a, "新同志")
    user = make_user("newcomer", member=newcomer)
    meeting = open_meeting(world.a)
    assert Meeting.objects.visible_to(user).filter(pk=meeting.pk).exists()
    assert not Meeting.objects.visible_to(user).filter(org=world.b).exists()
    assert Attendance.objects.count() == 0


def test_a_brief_heart_talk_record_is_not_flagged_short(world):
    a1, a2 = world.members_a[:2]
    talk = services.meeting_create(
        actor=SYSTEM,
        org=world.a,
        kind="heart_talk",
        topic="谈心谈话",
        status="held",
        held_at=timezone.now() - dt.timedelta(days=1),
        host=a1,
        counterpart=a2,
    )
    services.meeting_record(actor=SYSTEM, meeting=talk, minutes="<p>交流了思想和工作。</p>")
    talk.refresh_from_db()
    assert talk.quality == "ok"


def test_invalid_choices_are_listed_by_label_with_the_value_to_send(world):
    with pytest.raises(DomainError) as exc:
        services.meeting_create(
            actor=SYSTEM, org=world.a, kind="picnic", topic="春游", status="done"
        )
    messages = {e["field"]: e["message"] for e in exc.value.errors}
    assert "支部党员大会（general_meeting）" in messages["kind"]
    assert (
        messages["status"] == "状态无效，可选：计划（planned）、已召开（held）、已取消（cancelled）"
    )
    meeting = held_meeting(world.a)
    with pytest.raises(DomainError) as exc:
        services.attendance_mark(
            actor=SYSTEM, meeting=meeting, member=world.members_a[1], status="late"
        )
    assert exc.value.message == (
        "出席情况无效，可选：出席（present）、请假（leave）、缺席（absent）、已补学（made_up）"
    )
    life = held_meeting(world.a, kind="life_meeting")
    with pytest.raises(DomainError, match="类型无效，可选：自我批评（self）、相互批评（peer）"):
        services.criticism_add(
            actor=SYSTEM, meeting=life, member=world.members_a[1], kind="other", content="x"
        )
