"""The workbench (工作台): every module's to-dos, worst first, through the gate, in a
constant number of queries."""

from __future__ import annotations

import ast
import datetime as dt
import inspect

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.assessment.models import Rectification
from dangjian.assessment.services import rectification_create
from dangjian.core import workbench as wb_module
from dangjian.core.models import Notification
from dangjian.core.workbench import OVERDUE, PROVIDERS, workbench_for
from dangjian.meetings import services as meeting_services
from dangjian.meetings.models import Attendance, Meeting
from dangjian.standards.models import Rule
from tests.factories import SYSTEM, give_role, make_member, make_org, make_user

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def planned(org, topic, on, kind=Meeting.Kind.BOARD_MEETING):
    meeting = meeting_services.meeting_create(
        actor=SYSTEM, org=org, kind=kind, topic=topic, planned_on=today() + dt.timedelta(days=1)
    )
    # The fixture's "past" day: a meeting planned and then left unrecorded.
    Meeting.objects.filter(pk=meeting.pk).update(planned_on=on)
    meeting.refresh_from_db()
    return meeting


def rectification(org, item, owner, days_late):
    row = rectification_create(
        actor=SYSTEM, org=org, item=item, owner=owner, deadline=today() + dt.timedelta(days=1)
    )
    # Time passes: the deadline is now behind us.
    Rectification.objects.filter(pk=row.pk).update(deadline=today() - dt.timedelta(days=days_late))
    return row


def branch_with_work(parent, n):
    """A branch with members, an overdue meeting, a leave request and an overdue
    rectification: one row of each kind on the workbench."""
    branch = make_org(f"第{n}党支部", "branch", parent)
    members = [make_member(branch, f"党员{n}{i}") for i in range(3)]
    meeting = planned(branch, f"支委会{n}", today() - dt.timedelta(days=5))
    Attendance.objects.create(
        meeting=meeting,
        member=members[0],
        leave_reason="出差",
        leave_status=Attendance.Leave.PENDING,
    )
    rectification(branch, f"整改事项{n}", members[1], 2)
    return branch


def sources(bench):
    return [t.source for t in bench.all_todos]


def test_secretary_sees_overdue_first_then_due_this_week(world):
    planned(world.a, "本周支委会", today())
    planned(world.a, "上周支委会", today() - dt.timedelta(days=6))
    bench = workbench_for(world.user("sec_a"))
    meetings = [t for t in bench.all_todos if t.source == "组织生活"]
    assert [t.what for t in meetings] == [
        "支部委员会会议：上周支委会",
        "支部委员会会议：本周支委会",
    ]
    late, due = meetings
    assert (late.status, late.action, late.late_days) == (OVERDUE, "记录会议", 6)
    assert late.url.endswith(f"/meetings/{Meeting.objects.get(topic='上周支委会').pk}/record/")
    assert (due.status, due.action, due.org_name) == ("due", "发送通知", "预算处党支部")
    statuses = [t.status for t in bench.all_todos]
    assert statuses == sorted(statuses, key=lambda s: s != OVERDUE)


def test_secretary_of_other_branch_does_not_see_them(world):
    planned(world.a, "预算处支委会", today() - dt.timedelta(days=2))
    bench = workbench_for(world.user("sec_b"))
    assert not [t for t in bench.all_todos if "预算处" in t.what or t.org_name == "预算处党支部"]


def test_committee_staff_see_their_subtree_only(world):
    planned(world.a, "预算处支委会", today() - dt.timedelta(days=2))
    planned(world.b, "国库处支委会", today() - dt.timedelta(days=1))
    planned(world.d, "教育局支委会", today() - dt.timedelta(days=1))
    bench = workbench_for(world.user("c1_admin"))
    topics = [t.what for t in bench.all_todos if t.source == "组织生活"]
    assert topics == ["支部委员会会议：预算处支委会", "支部委员会会议：国库处支委会"]


def test_leave_request_and_rectification_have_their_action(world):
    meeting = planned(world.a, "主题党日", today() + dt.timedelta(days=0))
    Attendance.objects.create(
        meeting=meeting,
        member=world.members_a[2],
        leave_reason="出差",
        leave_status=Attendance.Leave.PENDING,
    )
    rectification(world.a, "会议记录不完整", world.members_a[1], 3)
    rows = {t.source: t for t in workbench_for(world.user("sec_a")).all_todos}
    assert rows["请假"].action == "审批请假"
    assert rows["请假"].what == "王五 请假：主题党日"
    assert rows["整改"].action == "督促整改"
    assert rows["整改"].status == OVERDUE and rows["整改"].late_days == 3


def test_month_calendar_colours_done_planned_and_overdue(world):
    first = today().replace(day=1)
    meeting_services.meeting_create(
        actor=SYSTEM,
        org=world.a,
        kind=Meeting.Kind.THEME_DAY,
        topic="已开",
        status=Meeting.Status.HELD,
        # Midnight: never later than now, even just after midnight on the 1st.
        held_at=timezone.make_aware(dt.datetime.combine(first, dt.time(0))),
    )
    future = planned(world.a, "计划", today() + dt.timedelta(days=1))
    bench = workbench_for(world.user("sec_a"))
    statuses = {e.day: e.status for e in bench.calendar}
    assert statuses[first] == "done"
    if future.planned_on.month == today().month:
        assert statuses[future.planned_on] == "planned"
    days = bench.calendar_days()
    assert days[0]["day"] == first and len(days) >= 28


def test_query_count_does_not_grow_with_branches(world):
    branch_with_work(world.c1, 1)
    user = world.user("c1_admin")
    workbench_for(user)  # warm caches (content types, rate book)
    with CaptureQueriesContext(connection) as small:
        few = workbench_for(user)
    for n in range(2, 6):
        branch_with_work(world.c1, n)
    user = type(user).objects.get(pk=user.pk)
    workbench_for(user)
    with CaptureQueriesContext(connection) as large:
        many = workbench_for(user)
    assert many.todo_total >= few.todo_total + 4 * 3
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]


def test_home_page_shows_the_sections_and_says_why_empty(world, client_for):
    # No meeting rule to check (the dues rules stay: they price the month).
    Rule.objects.exclude(code__startswith="DUE-").update(enabled=False)
    org = make_org("空支部", "branch", world.c2)
    user = make_user("empty_sec")
    give_role(user, org, "secretary")
    response = client_for(user).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("待办", "本月组织生活", "关键数字", "通知公告与提醒"):
        assert title in html
    assert "本周无到期事项，也没有逾期事项" in html
    assert "本月尚未安排组织生活" in html
    assert "暂无通知和提醒" in html


def test_home_page_lists_todo_with_its_button(world, client_for):
    meeting = planned(world.a, "逾期的支委会", today() - dt.timedelta(days=4))
    Notification.objects.create(user=world.user("sec_a"), title="会议提醒：明天召开")
    html = client_for(world.user("sec_a")).get("/").content.decode()
    assert "支部委员会会议：逾期的支委会" in html
    assert f'href="/meetings/{meeting.pk}/record/">记录会议</a>' in html
    assert "逾期 4 天" in html
    assert "会议提醒：明天召开" in html


def test_a_module_that_cannot_answer_is_named_not_fatal(world, client_for):
    Rule.objects.filter(code="DUE-6").update(enabled=False)
    response = client_for(world.user("sec_a")).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "部分事项暂时无法统计" in html and "DUE-6" in html
    assert "本月组织生活" in html


def test_plain_member_home_is_the_phone_page(world, client_for):
    response = client_for(world.user("member_a")).get("/")
    assert response.status_code == 302 and response["Location"] == "/members/me/"


def test_collecting_code_imports_no_domain_app():
    tree = ast.parse(inspect.getsource(wb_module))
    modules = [
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    ] + [a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names]
    assert [
        m for m in modules if m.startswith("dangjian.") and not m.startswith("dangjian.core")
    ] == []


def test_every_domain_app_registers_from_its_own_module():
    modules = {p.func.__module__ for kind in PROVIDERS.values() for p in kind.values()}
    assert {
        "dangjian.meetings.workbench",
        "dangjian.dues.workbench",
        "dangjian.development.workbench",
        "dangjian.assessment.workbench",
        "dangjian.standards.workbench",
    } <= modules


IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"


def test_inbox_opens_in_the_shell_of_the_device(world, client_for):
    staff = client_for(world.user("sec_a"))
    assert 'id="dj-menu"' in staff.get("/inbox/").content.decode()
    phone = staff.get("/inbox/", HTTP_USER_AGENT=IPHONE).content.decode()
    assert "dj-tabbar" in phone and 'id="dj-menu"' not in phone
    assert "管理端" in phone
    member = client_for(world.user("member_a")).get("/inbox/").content.decode()
    assert "dj-tabbar" in member and "管理端" not in member


def test_collection_rate_counts_members_on_the_rolls(world):
    figures = {f.label: f for f in workbench_for(world.user("sec_a")).figures}
    rate = figures["本月党费收缴率"]
    assert rate.value == "0.0%"
    assert rate.note.startswith("已交 0 / 4 人")
    assert rate.url == "/dues/"
