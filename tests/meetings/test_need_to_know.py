"""Need to know: what a member who does not manage the branch sees of its meetings.

Branch A: 张三 (sec_a, the secretary), 李四 (member_a), 王五, 赵六 (peer_a). A 谈心谈话
between 张三 and 王五 is theirs and the managers'; a 支委会 is the board's; a general
meeting is the whole branch's. The same rule answers the list, the detail, the record
(minutes, votes, attachments), the phone pages and the search.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.meetings import services
from dangjian.meetings.models import Meeting, MeetingAttachment, Vote
from tests.factories import SYSTEM, make_member, make_user
from tests.meetings.conftest import held_meeting

pytestmark = pytest.mark.django_db

TEXT = "谈话双方围绕思想、工作和作风深入交流，提出了具体的改进意见和努力方向。"
MINUTES = "<p>" + TEXT * 3 + "</p>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def heart_talk(world, *, host=0, counterpart=2, **kw):
    talk = services.meeting_create(
        actor=SYSTEM,
        org=world.a,
        kind="heart_talk",
        topic="与王五谈心谈话",
        status="held",
        held_at=timezone.now() - dt.timedelta(days=1),
        place="党员活动室",
        host=world.members_a[host],
        counterpart=world.members_a[counterpart],
        **kw,
    )
    return services.meeting_record(actor=SYSTEM, meeting=talk, minutes=MINUTES)


def recorded(meeting, minutes=MINUTES, resolutions="同意接收张某为入党积极分子"):
    return services.meeting_record(
        actor=SYSTEM, meeting=meeting, minutes=minutes, resolutions=resolutions
    )


def listed(api_for, user, **params):
    resp = api_for(user).get("/api/v1/meetings", params)
    assert resp.status_code == 200, resp.content
    return {m["topic"] for m in resp.json()["results"]}


# ---------------------------------------------------------------- 谈心谈话


def test_member_cannot_list_other_members_heart_talks(world, api_for):
    heart_talk(world)
    assert listed(api_for, world.user("member_a"), kind="heart_talk") == set()
    assert listed(api_for, world.user("member_a")) == set()


def test_member_gets_404_on_other_members_heart_talk(world, api_for, client_for):
    talk = heart_talk(world)
    api = api_for(world.user("member_a"))
    for path in ("", "/attendance", "/votes"):
        assert api.get(f"/api/v1/meetings/{talk.pk}{path}").status_code == 404
    client = client_for(world.user("member_a"))
    assert client.get(f"/meetings/m/{talk.pk}/").status_code == 404
    assert client.get(f"/meetings/{talk.pk}/").status_code == 404


def test_both_parties_read_the_heart_talk_minutes(world, api_for):
    talk = heart_talk(world)
    counterpart = make_user("wangwu", member=world.members_a[2])
    for user in (world.user("sec_a"), counterpart):
        body = api_for(user).get(f"/api/v1/meetings/{talk.pk}").json()
        assert body["record_visible"] is True
        assert "深入交流" in body["minutes"]
    assert listed(api_for, counterpart, kind="heart_talk") == {"与王五谈心谈话"}


def test_secretary_and_committee_read_every_heart_talk_of_the_branch(world, api_for):
    talk = heart_talk(world, host=1, counterpart=2)  # the secretary is not a party
    for name in ("sec_a", "c1_admin", "admin"):
        body = api_for(world.user(name)).get(f"/api/v1/meetings/{talk.pk}").json()
        assert body["record_visible"] is True and "深入交流" in body["minutes"], name
    assert api_for(world.user("sec_b")).get(f"/api/v1/meetings/{talk.pk}").status_code == 404


def test_member_named_in_a_heart_talk_sees_time_and_place_but_not_the_minutes(
    world, api_for, client_for
):
    talk = heart_talk(world, recorder=world.members_a[1])  # 李四 records, is no party
    body = api_for(world.user("member_a")).get(f"/api/v1/meetings/{talk.pk}").json()
    assert (body["topic"], body["place"]) == ("与王五谈心谈话", "党员活动室")
    assert body["record_visible"] is False
    assert (body["minutes"], body["resolutions"], body["attendance"]) == (None, None, None)
    page = client_for(world.user("member_a")).get(f"/meetings/m/{talk.pk}/").content.decode()
    assert "党员活动室" in page and "深入交流" not in page and "仅限" in page


# ---------------------------------------------------------------- 支委会


def test_plain_member_does_not_see_the_board_meetings(world, api_for, client_for):
    board = recorded(held_meeting(world.a, kind="board_meeting", topic="研究发展党员"))
    assert listed(api_for, world.user("member_a")) == set()
    assert api_for(world.user("member_a")).get(f"/api/v1/meetings/{board.pk}").status_code == 404
    assert client_for(world.user("member_a")).get(f"/meetings/m/{board.pk}/").status_code == 404


def test_board_and_managers_above_read_the_board_minutes(world, api_for):
    board = recorded(held_meeting(world.a, kind="board_meeting", topic="研究发展党员"))
    for name in ("sec_a", "c1_admin", "wc_admin"):
        body = api_for(world.user(name)).get(f"/api/v1/meetings/{board.pk}").json()
        assert body["resolutions"] == "同意接收张某为入党积极分子", name


def test_member_expected_at_a_board_meeting_reads_its_minutes(world, api_for):
    board = held_meeting(world.a, kind="board_meeting", topic="研究发展党员")
    services.attendance_mark(
        actor=SYSTEM, meeting=board, member=world.members_a[1], status="present"
    )
    recorded(board)
    body = api_for(world.user("member_a")).get(f"/api/v1/meetings/{board.pk}").json()
    assert body["record_visible"] is True and body["minutes"]


# ---------------------------------------------------------------- open to the branch


def test_branch_members_read_general_meetings_lectures_and_theme_days(world, api_for):
    for kind in Meeting.OPEN_TO_BRANCH:
        recorded(held_meeting(world.a, kind=kind, topic=f"公开的{kind}"))
    recorded(held_meeting(world.a, kind="life_meeting", topic="组织生活会"))
    peer = world.user("peer_a")
    assert listed(api_for, peer) == {f"公开的{k}" for k in Meeting.OPEN_TO_BRANCH} | {
        "组织生活会"  # an expected attendee (the whole branch)
    }
    for m in Meeting.objects.filter(org=world.a):
        body = api_for(peer).get(f"/api/v1/meetings/{m.pk}").json()
        assert body["record_visible"] is True and body["minutes"], m.kind


def test_member_who_joined_after_a_general_meeting_still_reads_it(world, api_for):
    meeting = recorded(held_meeting(world.a, topic="支部党员大会"))
    newcomer = make_user("newcomer", member=make_member(world.a, "钱多多"))
    assert listed(api_for, newcomer) == {"支部党员大会"}
    body = api_for(newcomer).get(f"/api/v1/meetings/{meeting.pk}").json()
    assert body["minutes"]


def test_applicant_of_the_branch_does_not_see_party_meetings(world, api_for):
    recorded(held_meeting(world.a, topic="支部党员大会"))
    applicant = make_user("applicant", member=make_member(world.a, "申请人", status="applicant"))
    assert listed(api_for, applicant) == set()


def test_group_members_see_their_group_meetings(world, api_for):
    from dangjian.members.services import member_update

    member_update(actor=SYSTEM, member=world.members_a[3], group=world.ga)
    recorded(held_meeting(world.a, kind="group_meeting", topic="党小组学习", group=world.ga))
    assert listed(api_for, world.user("peer_a")) == {"党小组学习"}
    assert listed(api_for, world.user("member_a")) == set()


# ---------------------------------------------------------------- the record's parts


def test_votes_and_attachments_follow_the_record(world, api_for, client_for):
    board = held_meeting(world.a, kind="board_meeting", topic="研究发展党员")
    talk = heart_talk(world, recorder=world.members_a[1])
    general = held_meeting(world.a, topic="支部党员大会")
    for m in (board, talk, general):
        services.attachment_add(actor=SYSTEM, meeting=m, upload=SimpleUploadedFile("现场.png", PNG))
    services.vote_record(actor=SYSTEM, meeting=general, subject="接收预备党员", votes_for=0)
    user = world.user("member_a")
    assert set(MeetingAttachment.objects.visible_to(user).values_list("meeting", flat=True)) == {
        general.pk
    }
    assert set(Vote.objects.visible_to(user).values_list("meeting", flat=True)) == {general.pk}
    assert api_for(user).get(f"/api/v1/meetings/{talk.pk}/votes").json() == []
    votes = api_for(user).get(f"/api/v1/meetings/{general.pk}/votes").json()
    assert [v["subject"] for v in votes] == ["接收预备党员"]
    client = client_for(user)
    for m, status in ((general, 200), (talk, 404), (board, 404)):
        att = m.attachments.get()
        assert client.get(f"/meetings/{m.pk}/attachments/{att.pk}/").status_code == status


def test_review_flags_are_blank_for_members(world, api_for):
    short = held_meeting(world.a, topic="支部党员大会")
    services.meeting_record(actor=SYSTEM, meeting=short, minutes="<p>学习了。</p>")
    assert Meeting.objects.get(pk=short.pk).quality == "short"
    member = api_for(world.user("member_a")).get(f"/api/v1/meetings/{short.pk}").json()
    secretary = api_for(world.user("sec_a")).get(f"/api/v1/meetings/{short.pk}").json()
    assert (member["quality"], member["similarity"]) == ("", None)
    assert secretary["quality"] == "short"


def test_phone_page_shows_the_record_the_api_gives(world, api_for, client_for):
    general = recorded(held_meeting(world.a, topic="支部党员大会"))
    page = client_for(world.user("peer_a")).get(f"/meetings/m/{general.pk}/").content.decode()
    body = api_for(world.user("peer_a")).get(f"/api/v1/meetings/{general.pk}").json()
    assert "深入交流" in body["minutes"] and "深入交流" in page
    assert body["resolutions"] in page


def test_list_query_count_does_not_grow(world, api_for, django_assert_max_num_queries):
    for i in range(6):
        recorded(held_meeting(world.a, topic=f"支部党员大会{i}"))
    heart_talk(world)
    client = api_for(world.user("member_a"))
    with django_assert_max_num_queries(8):
        resp = client.get("/api/v1/meetings")
    assert resp.json()["count"] == 6
