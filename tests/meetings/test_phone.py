"""The member's phone pages (``meetings/views/phone.py``): a constant number of queries
however many meetings, make-ups and appraisal entries the member has."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.meetings import services
from tests.factories import SYSTEM, make_member
from tests.meetings.conftest import held_meeting, open_meeting

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200
    return len(ctx.captured_queries)


def add_meetings(world, start: int, n: int) -> None:
    """``n`` upcoming meetings with notices sent, and ``n`` held ones missed (补学 to do)."""
    for i in range(start, start + n):
        later = open_meeting(
            world.a, topic=f"计划会议{i}", starts=timezone.now() + dt.timedelta(days=i + 1)
        )
        services.meeting_send_notice(actor=SYSTEM, meeting=later)
        past = held_meeting(
            world.a, topic=f"已开会议{i}", when=timezone.now() - dt.timedelta(days=i + 1)
        )
        services.meeting_record(actor=SYSTEM, meeting=past, minutes="<p>学习文件精神</p>")


@pytest.mark.parametrize("url", ["/meetings/m/", "/meetings/m/history/", "/meetings/m/code/"])
def test_phone_list_pages_do_not_grow_with_meetings(
    world, client_for, django_assert_max_num_queries, url
):
    client = client_for(world.user("member_a"))
    add_meetings(world, 0, 1)
    services.appraisal_open(actor=SYSTEM, org=world.a, year=2026)
    few = queries(client, url)
    add_meetings(world, 1, 15)
    services.appraisal_open(actor=SYSTEM, org=world.a, year=2025)
    with django_assert_max_num_queries(few):
        resp = client.get(url)
    body = resp.content.decode()
    if url == "/meetings/m/":
        assert "计划会议15" in body and "已开会议15" in body and "2025 年度民主评议" in body


def test_phone_meeting_page_does_not_grow_with_attendees(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.user("member_a"))
    meeting = held_meeting(world.a, topic="支部党员大会")
    services.meeting_record(actor=SYSTEM, meeting=meeting, minutes="<p>学习文件精神</p>")
    few = queries(client, f"/meetings/m/{meeting.pk}/")
    for i in range(15):
        make_member(world.a, name=f"党员{i}")
    crowded = held_meeting(world.a, topic="人多的大会")
    services.meeting_record(actor=SYSTEM, meeting=crowded, minutes="<p>学习文件精神</p>")
    with django_assert_max_num_queries(few):
        resp = client.get(f"/meetings/m/{crowded.pk}/")
    assert "人多的大会" in resp.content.decode() and "学习文件精神" in resp.content.decode()


def test_phone_appraisal_page_does_not_grow_with_entries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.user("member_a"))
    small = services.appraisal_open(actor=SYSTEM, org=world.a, year=2025)
    few = queries(client, f"/meetings/m/appraisals/{small.pk}/")
    for i in range(15):
        make_member(world.a, name=f"党员{i}")
    large = services.appraisal_open(actor=SYSTEM, org=world.a, year=2026)
    with django_assert_max_num_queries(few):
        resp = client.get(f"/meetings/m/appraisals/{large.pk}/")
    assert "党员14" in resp.content.decode()


def test_member_of_another_branch_gets_404_for_the_appraisal(world, client_for):
    appraisal = services.appraisal_open(actor=SYSTEM, org=world.b, year=2026)
    resp = client_for(world.user("member_a")).get(f"/meetings/m/appraisals/{appraisal.pk}/")
    assert resp.status_code == 404
