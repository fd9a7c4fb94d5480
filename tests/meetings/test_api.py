"""The API contract of organizational life, as the issue fixes it."""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.meetings import services
from dangjian.meetings.models import Attendance, Meeting, Vote
from tests.factories import SYSTEM, make_user
from tests.meetings.conftest import held_meeting, open_meeting

pytestmark = pytest.mark.django_db


def test_create_held_board_meeting_returns_201_with_id(world, api_for):
    held_at = (timezone.localtime() - dt.timedelta(days=3)).strftime("%Y-%m-%dT09:00:00")
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/meetings",
        {
            "org": world.a.pk,
            "kind": "board_meeting",
            "topic": "研究发展党员",
            "status": "held",
            "held_at": held_at,
        },
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    meeting = Meeting.objects.get(pk=body["id"])
    assert (meeting.org_id, meeting.kind, meeting.status) == (world.a.pk, "board_meeting", "held")
    assert body["backfilled"] is True
    assert timezone.localtime(meeting.held_at).hour == 9


def test_list_by_org_and_year(world, api_for):
    held_meeting(world.a, topic="今年的会")
    held_meeting(world.a, topic="去年的会", when=timezone.now() - dt.timedelta(days=400))
    held_meeting(world.b, topic="别的支部")
    year = timezone.localdate().year
    resp = api_for(world.user("sec_a")).get(f"/api/v1/meetings?org={world.a.pk}&year={year}")
    assert resp.status_code == 200
    topics = [m["topic"] for m in resp.json()["results"]]
    if (timezone.now() - dt.timedelta(hours=1)).year == year:
        assert topics == ["今年的会"]


def test_secretary_of_other_branch_cannot_create_in_a(world, api_for):
    resp = api_for(world.user("sec_b")).post(
        "/api/v1/meetings",
        {"org": world.a.pk, "kind": "theme_day", "topic": "x", "planned_on": "2026-12-01"},
        content_type="application/json",
    )
    assert resp.status_code == 404
    assert not Meeting.objects.exists()


def test_held_meeting_in_the_future_is_refused_in_chinese(world, api_for):
    future = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT09:00:00")
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/meetings",
        {
            "org": world.a.pk,
            "kind": "board_meeting",
            "topic": "x",
            "status": "held",
            "held_at": future,
        },
        content_type="application/json",
    )
    assert resp.status_code == 422
    assert "晚于现在" in resp.json()["detail"]


def test_bad_kind_is_422_not_500(world, api_for):
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/meetings",
        {"org": world.a.pk, "kind": "party", "topic": "x"},
        content_type="application/json",
    )
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "kind"


def test_idempotency_key_creates_once(world, api_for):
    client = api_for(world.user("sec_a"))
    payload = {
        "org": world.a.pk,
        "kind": "theme_day",
        "topic": "主题党日",
        "planned_on": "2026-12-10",
    }
    first = client.post(
        "/api/v1/meetings",
        payload,
        content_type="application/json",
        headers={"Idempotency-Key": "k1"},
    )
    again = client.post(
        "/api/v1/meetings",
        payload,
        content_type="application/json",
        headers={"Idempotency-Key": "k1"},
    )
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Meeting.objects.count() == 1


def test_secretary_marks_attendance(world, api_for):
    meeting = held_meeting(world.a)
    member = world.members_a[2]
    resp = api_for(world.user("sec_a")).post(
        f"/api/v1/meetings/{meeting.pk}/attendance",
        {"member": member.pk, "status": "present"},
        content_type="application/json",
    )
    assert resp.status_code == 200, resp.json()
    row = Attendance.objects.get(meeting=meeting, member=member)
    assert (row.status, row.channel) == ("present", "secretary")


def test_member_signs_in_once_even_when_repeating(world, api_for):
    meeting = open_meeting(world.a)
    client = api_for(world.user("member_a"))
    url, code = f"/api/v1/meetings/{meeting.pk}/sign-in", {"code": meeting.sign_in_code}
    first = client.post(url, code, content_type="application/json")
    again = client.post(url, code, content_type="application/json")
    assert first.status_code == again.status_code == 200
    assert first.json()["signed_at"] == again.json()["signed_at"]
    rows = Attendance.objects.filter(meeting=meeting, member=world.members_a[1])
    assert [r.status for r in rows] == ["present"]


def test_sign_in_outside_window_is_refused_with_the_window(world, api_for):
    meeting = open_meeting(world.a, starts=timezone.now() + dt.timedelta(days=1))
    resp = api_for(world.user("member_a")).post(f"/api/v1/meetings/{meeting.pk}/sign-in")
    assert resp.status_code == 422
    assert "签到尚未开始" in resp.json()["detail"]
    assert not Attendance.objects.filter(status="present").exists()


def test_sign_in_with_wrong_code_is_refused(world, api_for):
    meeting = open_meeting(world.a)
    wrong = "000000" if meeting.sign_in_code != "000000" else "111111"
    resp = api_for(world.user("member_a")).post(
        f"/api/v1/meetings/{meeting.pk}/sign-in", {"code": wrong}, content_type="application/json"
    )
    assert resp.status_code == 422 and resp.json()["detail"] == "签到码不正确"
    ok = api_for(world.user("member_a")).post(
        f"/api/v1/meetings/{meeting.pk}/sign-in",
        {"code": meeting.sign_in_code},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["channel"] == "code"


def test_member_of_other_branch_gets_404_on_sign_in(world, api_for):
    meeting = open_meeting(world.b)
    resp = api_for(world.user("member_a")).post(f"/api/v1/meetings/{meeting.pk}/sign-in")
    assert resp.status_code == 404


def test_plain_member_cannot_see_the_board_meeting_of_their_branch(world, api_for):
    meeting = open_meeting(world.a, kind="board_meeting")
    resp = api_for(world.user("member_a")).post(
        f"/api/v1/meetings/{meeting.pk}/sign-in",
        {"code": meeting.sign_in_code},
        content_type="application/json",
    )
    assert resp.status_code == 404


def test_member_named_in_a_meeting_but_not_expected_cannot_sign_in(world, api_for):
    meeting = open_meeting(world.a, kind="board_meeting", recorder=world.members_a[1])
    resp = api_for(world.user("member_a")).post(
        f"/api/v1/meetings/{meeting.pk}/sign-in",
        {"code": meeting.sign_in_code},
        content_type="application/json",
    )
    assert resp.status_code == 422
    assert "应到人员" in resp.json()["detail"]


def _present(meeting, members):
    for m in members:
        Attendance.objects.update_or_create(
            meeting=meeting, member=m, defaults={"status": "present"}
        )


def test_vote_contract_quorum_and_majority_of_those_who_should_attend(world, api_for):
    meeting = held_meeting(world.a)  # branch A: 4 full members
    _present(meeting, world.members_a[:3])
    resp = api_for(world.user("sec_a")).post(
        f"/api/v1/meetings/{meeting.pk}/votes",
        {"subject": "接收张某为预备党员", "for": 3, "against": 0, "abstain": 0},
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body["quorum"] is True and body["passed"] is True
    assert (body["voting_members"], body["present_voting"]) == (4, 3)
    assert body["pass_needed"] == 3
    assert "应到会有表决权 4 人" in body["explanation"]


def test_two_votes_for_out_of_four_does_not_pass(world, api_for):
    meeting = held_meeting(world.a)
    _present(meeting, world.members_a[:3])
    body = (
        api_for(world.user("sec_a"))
        .post(
            f"/api/v1/meetings/{meeting.pk}/votes",
            {"subject": "决议", "for": 2, "against": 1},
            content_type="application/json",
        )
        .json()
    )
    assert body["quorum"] is True and body["passed"] is False


def test_suspended_and_probationary_members_do_not_vote(world, api_for):
    from dangjian.members.services import member_update
    from tests.factories import SYSTEM, make_member

    member_update(actor=SYSTEM, member=world.members_a[3], voting_rights_suspended=True)
    make_member(world.a, "预备甲", status="probationary")
    meeting = held_meeting(world.a)
    _present(meeting, world.members_a[:2])
    body = (
        api_for(world.user("sec_a"))
        .post(
            f"/api/v1/meetings/{meeting.pk}/votes",
            {"subject": "决议", "for": 2},
            content_type="application/json",
        )
        .json()
    )
    assert (body["voting_members"], body["present_voting"]) == (3, 2)
    assert body["quorum"] is True and body["passed"] is True


def test_written_opinions_count_as_present(world, api_for):
    meeting = held_meeting(world.a)
    _present(meeting, world.members_a[:2])  # 2 of 4: no quorum on its own
    body = (
        api_for(world.user("sec_a"))
        .post(
            f"/api/v1/meetings/{meeting.pk}/votes",
            {"subject": "决议", "for": 3, "written_opinions": 1},
            content_type="application/json",
        )
        .json()
    )
    assert body["present_voting"] == 3 and body["quorum"] is True and body["passed"] is True


def test_written_opinions_cannot_exceed_absent_voters(world, api_for):
    meeting = held_meeting(world.a)
    _present(meeting, world.members_a[:3])
    resp = api_for(world.user("sec_a")).post(
        f"/api/v1/meetings/{meeting.pk}/votes",
        {"subject": "决议", "for": 3, "written_opinions": 2},
        content_type="application/json",
    )
    assert resp.status_code == 422 and "书面意见" in resp.json()["detail"]


def test_repeated_vote_is_stored_once_and_a_changed_one_conflicts(world, api_for):
    meeting = held_meeting(world.a)
    _present(meeting, world.members_a[:3])
    client = api_for(world.user("sec_a"))
    payload = {"subject": "决议", "for": 3}
    assert (
        client.post(
            f"/api/v1/meetings/{meeting.pk}/votes", payload, content_type="application/json"
        ).status_code
        == 201
    )
    assert (
        client.post(
            f"/api/v1/meetings/{meeting.pk}/votes", payload, content_type="application/json"
        ).status_code
        == 201
    )
    changed = client.post(
        f"/api/v1/meetings/{meeting.pk}/votes",
        {"subject": "决议", "for": 2},
        content_type="application/json",
    )
    assert changed.status_code == 409
    assert Vote.objects.count() == 1


def test_vote_only_at_general_meeting(world, api_for):
    meeting = held_meeting(world.a, kind="theme_day")
    resp = api_for(world.user("sec_a")).post(
        f"/api/v1/meetings/{meeting.pk}/votes",
        {"subject": "决议", "for": 1},
        content_type="application/json",
    )
    assert resp.status_code == 422 and "支部党员大会" in resp.json()["detail"]


def test_more_votes_than_present_is_refused(world, api_for):
    meeting = held_meeting(world.a)
    _present(meeting, world.members_a[:3])
    resp = api_for(world.user("sec_a")).post(
        f"/api/v1/meetings/{meeting.pk}/votes",
        {"subject": "决议", "for": 3, "against": 1},
        content_type="application/json",
    )
    assert resp.status_code == 422


def test_leave_request_and_decision_by_api(world, api_for):
    meeting = open_meeting(world.a, starts=timezone.now() + dt.timedelta(days=2))
    resp = api_for(world.user("member_a")).post(
        f"/api/v1/meetings/{meeting.pk}/leave", {"reason": "出差"}, content_type="application/json"
    )
    assert resp.status_code == 200 and resp.json()["leave_status"] == "pending"
    resp = api_for(world.user("sec_a")).post(
        f"/api/v1/meetings/{meeting.pk}/leave-decision",
        {"member": world.members_a[1].pk, "approve": True},
        content_type="application/json",
    )
    assert resp.status_code == 200
    assert (resp.json()["status"], resp.json()["leave_status"]) == ("leave", "approved")


def test_record_then_make_up_by_api(world, api_for):
    meeting = open_meeting(world.a, starts=timezone.now() - dt.timedelta(hours=1))
    resp = api_for(world.user("sec_a")).post(
        f"/api/v1/meetings/{meeting.pk}/record",
        {"minutes": "<p>" + "会议学习了文件精神，并进行了讨论。" * 10 + "</p>"},
        content_type="application/json",
    )
    assert resp.status_code == 200, resp.json()
    assert resp.json()["status"] == "held"
    assert resp.json()["attendance"]["absent"] == 4
    resp = api_for(world.user("member_a")).post(
        f"/api/v1/meetings/{meeting.pk}/make-up",
        {"note": "已学习会议记录和文件"},
        content_type="application/json",
    )
    assert resp.status_code == 200 and resp.json()["status"] == "made_up"


def test_anonymous_gets_401(client):
    assert client.get("/api/v1/meetings").status_code == 401


def test_user_without_member_cannot_sign_in(world, api_for):
    meeting = open_meeting(world.a)
    resp = api_for(make_user("lonely", superuser=True)).post(
        f"/api/v1/meetings/{meeting.pk}/sign-in"
    )
    assert resp.status_code == 422 and "未关联党员档案" in resp.json()["detail"]


def test_vote_output_keeps_its_keys_and_order(world, api_for):
    meeting = held_meeting(world.a)
    _present(meeting, world.members_a[:3])
    client = api_for(world.user("sec_a"))
    created = client.post(
        f"/api/v1/meetings/{meeting.pk}/votes",
        {"subject": "决议", "for": 3},
        content_type="application/json",
    ).json()
    assert list(created) == [
        *("id", "subject", "for", "against", "abstain", "written_opinions", "voting_members"),
        *("present_voting", "quorum", "passed", "quorum_needed", "pass_needed", "explanation"),
        *("rule", "rule_version"),
    ]
    vote = Vote.objects.get()
    assert (created["for"], created["against"], created["rule"]) == (3, 0, vote.rule_code)
    assert client.get(f"/api/v1/meetings/{meeting.pk}/votes").json() == [created]


def test_sign_in_code_and_self_assessment_outputs(world, api_for):
    meeting = open_meeting(world.a)
    code = api_for(world.user("sec_a")).get(f"/api/v1/meetings/{meeting.pk}/sign-in-code")
    assert list(code.json()) == ["code", "token", "opens_at", "closes_at"]
    assert code.json()["code"] == meeting.sign_in_code
    sec = api_for(world.user("sec_a"))
    pk = sec.post(
        "/api/v1/meetings/appraisals", {"org": world.a.pk, "year": 2026}, "application/json"
    ).json()["id"]
    mine = api_for(world.user("member_a")).post(
        f"/api/v1/meetings/appraisals/{pk}/self",
        {"text": "一年来认真学习，按时参加组织生活。"},
        content_type="application/json",
    )
    assert mine.status_code == 200
    assert mine.json() == {
        "member": world.members_a[1].pk,
        "self_assessment": "一年来认真学习，按时参加组织生活。",
    }
    detail = sec.get(f"/api/v1/meetings/appraisals/{pk}").json()
    assert list(detail) == [
        *("id", "org", "year", "status", "meeting", "finalized_at", "entries", "stats")
    ]
    assert list(detail["stats"]) == ["per_member", "final", "raters"]


def test_criticism_to_rectification_answers_id_item_and_deadline(world, api_for):
    life = held_meeting(world.a, kind="life_meeting")
    item = services.criticism_add(
        actor=SYSTEM, meeting=life, member=world.members_a[1], kind="self", content="学习不够深入"
    )
    resp = api_for(world.user("sec_a")).post(
        f"/api/v1/meetings/criticisms/{item.pk}/rectification",
        {"item": "加强理论学习", "deadline": "2027-03-31"},
        content_type="application/json",
    )
    assert resp.status_code == 201
    body = resp.json()
    assert body == {"id": body["id"], "item": "加强理论学习", "deadline": "2027-03-31"}
