"""The API contract of issue 14, part 7: paths, fields and status codes as written."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.work.models import Initiative, Task, TaskNote
from tests.work.conftest import make_initiative, make_task

pytestmark = pytest.mark.django_db
API = "/api/v1/work"


def post(client, path, body, **headers):
    return client.post(f"{API}{path}", data=body, content_type="application/json", **headers)


def test_create_initiative_answers_201_in_plan(world, api_for):
    c = api_for(world.user("sec_a"))
    r = post(
        c,
        "/initiatives",
        {
            "title": "党员先锋服务预算编制攻坚",
            "org": world.a.pk,
            "unit": "预算处",
            "year": 2026,
            "goal": "按期完成预算编制",
            "indicators": [{"name": "办件", "target": "100", "unit": "件"}],
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["phase"] == "plan" and body["id"] == Initiative.objects.get().pk
    assert body["indicators"][0]["target"] == "100.00"


def test_create_for_another_branch_is_404(world, api_for):
    r = post(
        api_for(world.user("sec_a")),
        "/initiatives",
        {"title": "x", "org": world.b.pk, "unit": "国库处", "year": 2026},
    )
    assert r.status_code == 404


def test_advance_in_order_409_on_skip_422_on_gap(world, api_for):
    c = api_for(world.user("sec_a"))
    i = make_initiative(world.a)
    assert post(c, f"/initiatives/{i.pk}/advance", {"to": "execute"}).status_code == 409
    r = post(c, f"/initiatives/{i.pk}/advance", {"to": "deploy"})
    assert r.status_code == 200 and r.json()["phase"] == "deploy"
    r = post(c, f"/initiatives/{i.pk}/advance", {"to": "execute"})
    assert r.status_code == 422
    assert "至少交办 1 项任务" in r.json()["detail"]
    assert r.json()["errors"][0]["field"] == "tasks"
    r = post(c, f"/initiatives/{i.pk}/advance", {"to": "someday"})
    assert r.status_code == 422


def test_assign_task_to_org_or_member(world, api_for):
    c = api_for(world.user("sec_a"))
    i = make_initiative(world.a)
    r = post(
        c, f"/initiatives/{i.pk}/tasks", {"title": "方案", "org": world.a.pk, "due": "2026-07-01"}
    )
    assert r.status_code == 201, r.content
    assert r.json()["org"] == world.a.pk and r.json()["status"] in ("open", "overdue")
    member = world.members_a[1]
    r = post(
        c, f"/initiatives/{i.pk}/tasks", {"title": "攻坚", "member": member.pk, "due": "2026-07-01"}
    )
    assert r.status_code == 201 and r.json()["member_name"] == "李四"
    r = post(c, f"/initiatives/{i.pk}/tasks", {"title": "x", "due": "2026-07-01"})
    assert r.status_code == 422
    r = post(
        c, f"/initiatives/{i.pk}/tasks", {"title": "x", "org": world.b.pk, "due": "2026-07-01"}
    )
    assert r.status_code == 404


def test_member_reports_progress_and_completes_his_task(world, api_for):
    t = make_task(make_initiative(world.a), member=world.members_a[1])
    c = api_for(world.user("member_a"))
    r = post(c, f"/tasks/{t.pk}/progress", {"percent": 50, "note": "过半"})
    assert r.status_code == 200 and r.json()["percent"] == 50
    r = post(c, f"/tasks/{t.pk}/complete", {"outcome": "完成"})
    assert r.status_code == 200 and r.json()["status"] == "done"
    assert post(c, f"/tasks/{t.pk}/complete", {"outcome": "again"}).status_code == 409


def test_peer_cannot_report_on_someone_elses_task(world, api_for):
    t = make_task(make_initiative(world.a), member=world.members_a[1])
    r = post(api_for(world.user("peer_a")), f"/tasks/{t.pk}/progress", {"percent": 5, "note": "x"})
    assert r.status_code == 404
    assert not TaskNote.objects.exists()


def test_retried_progress_with_the_same_key_records_once(world, api_for):
    t = make_task(make_initiative(world.a), org=world.a)
    c = api_for(world.user("sec_a"))
    body = {"percent": 30, "note": "弱网重试"}
    r1 = post(c, f"/tasks/{t.pk}/progress", body, HTTP_IDEMPOTENCY_KEY="k-1")
    r2 = post(c, f"/tasks/{t.pk}/progress", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert r1.status_code == r2.status_code == 200
    assert TaskNote.objects.filter(task=t).count() == 1


def test_overdue_tasks_of_an_org(world, api_for):
    i = make_initiative(world.c1)
    late = make_task(i, org=world.a, due=dt.date(2020, 1, 1), title="逾期的")
    make_task(i, org=world.a, due=dt.date.today() + dt.timedelta(days=30), title="未到期")
    make_task(i, org=world.b, due=dt.date(2020, 1, 1), title="别的支部")
    c = api_for(world.user("c1_admin"))
    r = c.get(f"{API}/tasks", {"org": world.a.pk, "status": "overdue"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"count", "page", "page_size", "results"}
    assert [x["id"] for x in body["results"]] == [late.pk]
    assert body["results"][0]["status"] == "overdue"
    assert body["results"][0]["status_label"] == "已逾期"
    r = api_for(world.user("sec_a")).get(f"{API}/tasks", {"org": world.b.pk})
    assert r.status_code == 404


def test_pledge_and_fulfil(world, api_for):
    c = api_for(world.user("sec_a"))
    m = world.members_a[2]
    r = post(c, "/pledges", {"member": m.pk, "year": 2026, "text": "立足岗位作表率"})
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    assert post(c, "/pledges", {"member": m.pk, "year": 2026, "text": "again"}).status_code == 409
    r = post(c, f"/pledges/{pid}/fulfil", {"result": "已践诺", "rating": "excellent"})
    assert r.status_code == 200 and r.json()["rating_label"] == "优秀"
    r = post(c, f"/pledges/{pid}/fulfil", {"result": "x", "rating": "best"})
    assert r.status_code == 422


def test_member_makes_his_own_pledge_but_not_anothers(world, api_for):
    c = api_for(world.user("member_a"))
    me = world.members_a[1]
    assert post(c, "/pledges", {"member": me.pk, "year": 2026, "text": "承诺"}).status_code == 201
    other = world.members_a[2]
    r = post(c, "/pledges", {"member": other.pk, "year": 2026, "text": "承诺"})
    assert r.status_code == 404


def test_task_list_queries_do_not_grow_with_rows(world, api_for, django_assert_max_num_queries):
    i = make_initiative(world.a)
    c = api_for(world.user("sec_a"))
    make_task(i, org=world.a)
    c.get(f"{API}/tasks")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        c.get(f"{API}/tasks")
    for n in range(5):
        make_task(i, member=world.members_a[n % 4], title=f"任务{n}")
    with CaptureQueriesContext(connection) as six:
        r = c.get(f"{API}/tasks")
    assert r.json()["count"] == Task.objects.count()
    assert len(six) == len(one)
