"""Proof of presence: a self sign-in needs the meeting's current QR token or 6-digit code;
the channel recorded is the one used; only the meeting's managers read the code."""

import pytest
from django.core.cache import cache

from dangjian.meetings.models import Attendance
from tests.meetings.conftest import open_meeting

pytestmark = pytest.mark.django_db


def sign_in(api_for, user, meeting, body=None):
    url = f"/api/v1/meetings/{meeting.pk}/sign-in"
    if body is None:
        return api_for(user).post(url)
    return api_for(user).post(url, body, content_type="application/json")


def present(meeting):
    return list(
        Attendance.objects.filter(meeting=meeting, status="present").values_list(
            "member__name", "channel"
        )
    )


@pytest.mark.parametrize("body", [None, {}, {"code": ""}, {"code": "  ", "token": ""}])
def test_self_sign_in_without_code_is_422(world, api_for, body):
    meeting = open_meeting(world.a)
    resp = sign_in(api_for, world.user("member_a"), meeting, body)
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "code"
    assert present(meeting) == []


def test_self_sign_in_with_a_stale_token_is_422(world, api_for):
    meeting = open_meeting(world.a)
    other = open_meeting(world.a, topic="另一次会议")
    resp = sign_in(api_for, world.user("member_a"), meeting, {"token": other.sign_in_token})
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "token"
    assert present(meeting) == []


def test_non_ascii_code_is_422_not_500(world, api_for):
    meeting = open_meeting(world.a)
    resp = sign_in(api_for, world.user("member_a"), meeting, {"code": "一二三四五六"})
    assert resp.status_code == 422 and resp.json()["detail"] == "签到码不正确"


def test_self_sign_in_with_the_token_records_qr(world, api_for):
    meeting = open_meeting(world.a)
    resp = sign_in(api_for, world.user("member_a"), meeting, {"token": meeting.sign_in_token})
    assert resp.status_code == 200 and resp.json()["channel"] == "qr"
    assert present(meeting) == [("李四", "qr")]


def test_self_sign_in_with_the_code_records_code(world, api_for):
    meeting = open_meeting(world.a)
    resp = sign_in(api_for, world.user("member_a"), meeting, {"code": meeting.sign_in_code})
    assert resp.status_code == 200 and resp.json()["channel"] == "code"
    assert present(meeting) == [("李四", "code")]


def test_form_encoded_code_works_too(world, api_for):
    meeting = open_meeting(world.a)
    resp = api_for(world.user("member_a")).post(
        f"/api/v1/meetings/{meeting.pk}/sign-in", {"code": meeting.sign_in_code}
    )
    assert resp.status_code == 200 and resp.json()["channel"] == "code"


def test_phone_page_without_code_or_token_signs_nothing(world, client_for):
    meeting = open_meeting(world.a)
    client = client_for(world.user("member_a"))
    resp = client.post(f"/meetings/m/{meeting.pk}/", {"action": "sign_in"}, follow=True)
    assert "请输入现场显示的6位签到码" in resp.content.decode()
    assert present(meeting) == []
    client.post(f"/meetings/m/{meeting.pk}/", {"action": "sign_in", "code": meeting.sign_in_code})
    assert present(meeting) == [("李四", "code")]


def test_phone_page_with_a_wrong_token_signs_nothing(world, client_for):
    meeting = open_meeting(world.a)
    client_for(world.user("member_a")).post(
        f"/meetings/m/{meeting.pk}/", {"action": "sign_in", "t": "forged"}
    )
    assert present(meeting) == []


def test_organizer_marking_needs_no_code(world, api_for):
    meeting = open_meeting(world.a)
    resp = api_for(world.user("sec_a")).post(
        f"/api/v1/meetings/{meeting.pk}/attendance",
        {"member": world.members_a[1].pk, "status": "present"},
        content_type="application/json",
    )
    assert resp.status_code == 200
    assert present(meeting) == [("李四", "secretary")]


def test_secretary_reads_the_current_code(world, api_for):
    meeting = open_meeting(world.a)
    resp = api_for(world.user("sec_a")).get(f"/api/v1/meetings/{meeting.pk}/sign-in-code")
    assert resp.status_code == 200
    body = resp.json()
    assert set(body) == {"code", "token", "opens_at", "closes_at"}
    assert (body["code"], body["token"]) == (meeting.sign_in_code, meeting.sign_in_token)
    assert body["opens_at"] and body["closes_at"]
    ok = sign_in(api_for, world.user("member_a"), meeting, {"token": body["token"]})
    assert ok.status_code == 200


def test_committee_above_reads_the_code(world, api_for):
    meeting = open_meeting(world.a)
    resp = api_for(world.user("c1_admin")).get(f"/api/v1/meetings/{meeting.pk}/sign-in-code")
    assert resp.status_code == 200 and resp.json()["code"] == meeting.sign_in_code


@pytest.mark.parametrize("name", ["member_a", "peer_a", "sec_b"])
def test_sign_in_code_404_for_plain_member(world, api_for, name):
    """A plain member of the same branch (who sees the meeting) and another branch's
    secretary both get 404, as for a meeting that does not exist."""
    meeting = open_meeting(world.a)
    client = api_for(world.user(name))
    resp = client.get(f"/api/v1/meetings/{meeting.pk}/sign-in-code")
    assert resp.status_code == 404
    assert meeting.sign_in_code not in resp.content.decode()
    assert client.get("/api/v1/meetings/999999999/sign-in-code").status_code == 404


def test_wrong_codes_pause_the_code_but_not_the_qr_code(world, api_for, settings):
    settings.SIGN_IN_CODE_TRIES = 3
    meeting = open_meeting(world.a)
    user, wrong = world.user("member_a"), f"{(int(meeting.sign_in_code) + 1) % 1_000_000:06d}"
    try:
        for _ in range(3):
            resp = sign_in(api_for, user, meeting, {"code": wrong})
            assert resp.json()["detail"] == "签到码不正确"
        # The fourth try is refused even with the right code, and says what still works.
        resp = sign_in(api_for, user, meeting, {"code": meeting.sign_in_code})
        assert resp.status_code == 422 and "连续输错 3 次" in resp.json()["detail"]
        assert "二维码" in resp.json()["detail"] and present(meeting) == []
        # Another member is not paused by it.
        resp = sign_in(api_for, world.user("peer_a"), meeting, {"code": meeting.sign_in_code})
        assert resp.status_code in (200, 201)
        resp = sign_in(api_for, user, meeting, {"token": meeting.sign_in_token})
        assert resp.status_code in (200, 201)
        assert sorted(present(meeting)) == [("李四", "qr"), ("赵六", "code")]
    finally:
        cache.delete(f"meetings:sign-in-code-misses:{meeting.pk}:{world.members_a[1].pk}")
