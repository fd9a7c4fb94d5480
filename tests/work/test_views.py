"""Pages of 党建+业务: the board by phase, an initiative with its timeline, tasks, the key
points and the one pre-filled feedback per branch and item, posts and pledges, the member's
phone pages; list pages run a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.work import services
from dangjian.work.models import Feedback, Phase, Pledge, TaskNote
from tests.factories import SYSTEM
from tests.work.conftest import make_initiative, make_plan, make_task

pytestmark = pytest.mark.django_db


def test_board_groups_initiatives_by_phase(world, client_for):
    make_initiative(world.a, title="在谋划的")
    make_initiative(world.a, title="已完成的", phase=Phase.DONE)
    make_initiative(world.b, title="别的支部的")
    body = client_for(world.user("sec_a")).get("/work/").content.decode()
    assert "在谋划的" in body and "已完成的" in body and "别的支部的" not in body
    assert body.index("在谋划的") < body.index("已完成的")


def test_board_searches(world, client_for):
    make_initiative(world.a, title="预算攻坚")
    make_initiative(world.a, title="窗口提速", unit="政务服务中心")
    body = client_for(world.user("sec_a")).get("/work/?q=政务").content.decode()
    assert "窗口提速" in body and "预算攻坚" not in body


def test_staff_creates_an_initiative_and_advances_it(world, client_for):
    c = client_for(world.user("sec_a"))
    r = c.post(
        "/work/initiatives/new/",
        {
            "title": "党员先锋服务预算编制攻坚",
            "org": world.a.pk,
            "unit": "预算处",
            "year": 2026,
            "goal": "按期",
            "ind0_name": "报送率",
            "ind0_target": "100",
            "ind0_unit": "%",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    url = r["Location"]
    r = c.post(url + "advance/", {"to": "deploy"}, follow=True)
    assert "项目已进入“部署”阶段" in r.content.decode()
    r = c.post(url + "advance/", {"to": "execute"}, follow=True)
    assert "至少交办 1 项任务" in r.content.decode()
    r = c.post(
        url + "tasks/", {"title": "方案", "org": world.a.pk, "due": "2026-12-01"}, follow=True
    )
    assert "任务已交办" in r.content.decode()
    body = c.get(url).content.decode()
    assert "进入“部署”阶段" in body and "方案" in body


def test_initiative_of_another_branch_is_404(world, client_for):
    i = make_initiative(world.b)
    assert client_for(world.user("sec_a")).get(f"/work/initiatives/{i.pk}/").status_code == 404


def test_feedback_form_shows_what_the_platform_knows_and_files_once(world, client_for):
    plan = make_plan(world.c1)
    item = plan.items.first()
    c = client_for(world.user("sec_a"))
    url = f"/work/items/{item.pk}/feedback/{world.a.pk}/"
    body = c.get(url).content.decode()
    assert "党员人数" in body and "平台已有的数据" in body
    assert c.post(url, {"text": "第一次"}).status_code == 302
    assert c.post(url, {"text": "第二次"}).status_code == 302
    assert list(Feedback.objects.values_list("text", flat=True)) == ["第二次"]
    assert "再次提交即修改" in c.get(url).content.decode()


def test_plan_page_shows_the_decomposition(world, client_for):
    plan = make_plan(world.c1)
    body = client_for(world.user("c1_admin")).get(f"/work/plans/{plan.pk}/").content.decode()
    assert world.a.name in body and world.b.name in body and "填报反馈" in body


def test_staff_creates_and_publishes_a_plan(world, client_for):
    c = client_for(world.user("c1_admin"))
    r = c.post(
        "/work/plans/new/",
        {"title": "要点", "org": world.c1.pk, "year": 2026, "items": "2026-06-30 融合项目\n"},
    )
    assert r.status_code == 302
    r = c.post(r["Location"] + "publish/", follow=True)
    assert "分解任务 2 项" in r.content.decode()


def test_plan_items_with_a_bad_date_say_which_line(world, client_for):
    r = client_for(world.user("c1_admin")).post(
        "/work/plans/new/",
        {"title": "要点", "org": world.c1.pk, "year": 2026, "items": "六月底 融合项目"},
    )
    assert "第 1 行应以完成时限开头" in r.content.decode()


def test_member_reports_progress_on_the_phone(world, client_for):
    t = make_task(make_initiative(world.a), member=world.members_a[1], title="先锋岗攻坚")
    c = client_for(world.user("member_a"))
    body = c.get("/work/m/tasks/").content.decode()
    assert "先锋岗攻坚" in body and "dj-tabbar" in body
    r = c.post(f"/work/m/tasks/{t.pk}/", {"percent": 60, "note": "过半"})
    assert r.status_code == 302
    assert TaskNote.objects.get().percent == 60


def test_member_page_shows_post_and_makes_pledge(world, client_for):
    me = world.members_a[1]
    services.post_create(
        actor=SYSTEM,
        kind="vanguard",
        org=world.a,
        title="政策咨询先锋岗",
        holders=[me],
        started_on=dt.date(2026, 1, 1),
    )
    c = client_for(world.user("member_a"))
    body = c.get("/work/m/").content.decode()
    assert "政策咨询先锋岗" in body and "作出承诺" in body
    assert c.post("/work/m/", {"text": "立足岗位作表率"}).status_code == 302
    assert Pledge.objects.get(member=me).text == "立足岗位作表率"
    assert "立足岗位作表率" in c.get("/work/m/").content.decode()


def test_posts_page_lists_who_has_not_pledged(world, client_for):
    services.pledge_make(
        actor=SYSTEM, member=world.members_a[0], year=dt.date.today().year, text="x"
    )
    body = client_for(world.user("sec_a")).get("/work/posts/").content.decode()
    assert "尚未承诺的正式党员" in body and "李四" in body


def _count(client, url):
    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code == 200
    return len(q)


@pytest.mark.parametrize("url", ["/work/", "/work/tasks/", "/work/posts/", "/work/plans/"])
def test_list_pages_run_constant_queries(world, client_for, url):
    c = client_for(world.user("sec_a"))
    c.get(url)  # warm the session
    i = make_initiative(world.a)
    make_task(i, org=world.a)
    services.pledge_make(
        actor=SYSTEM, member=world.members_a[0], year=dt.date.today().year, text="x"
    )
    one = _count(c, url)
    for n in range(5):
        j = make_initiative(world.a, title=f"项目{n}", phase=Phase.DEPLOY)
        make_task(j, member=world.members_a[n % 4], title=f"任务{n}")
    for m in world.members_a[1:]:
        services.pledge_make(actor=SYSTEM, member=m, year=dt.date.today().year, text="y")
    assert _count(c, url) == one


def test_top_bar_search_finds_initiatives_within_reach(world):
    from dangjian.core.search import search

    make_initiative(world.a, title="预算编制攻坚")
    make_initiative(world.b, title="预算执行攻坚")
    groups = {g.title: g for g in search(user=world.user("sec_a"), q="预算")}
    assert [h.title for h in groups["融合项目"].hits] == ["预算编制攻坚"]
