"""The 驾驶舱 pages: what each user sees, drill-down, the big screen, the export, the rebuild
request; read from the kept figures in a constant number of queries."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.models import AuditEntry
from dangjian.dashboard.models import PanelFigure, Rebuild
from tests.dashboard.conftest import rebuild, today
from tests.factories import make_member, make_org

pytestmark = pytest.mark.django_db

INDEX = reverse("dashboard:index")


def test_work_committee_sees_every_panel_with_charts_and_figures(world, client_for):
    rebuild()
    resp = client_for(world.user("wc_admin")).get(INDEX)
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "市直机关工委" in body and "党员队伍结构" in body and "党费收缴" in body
    assert 'type="application/json"' in body and "data-chart=" in body
    assert "echarts.min.js" in body and "<script>" not in body  # no inline script
    assert f"{reverse('statistics:cell')}?org={world.w.pk}" in body  # the list behind a number
    assert "None" not in body and "snake" not in body


def test_branch_secretary_sees_own_branch_and_other_org_is_404(world, client_for):
    rebuild()
    client = client_for(world.user("sec_a"))
    resp = client.get(INDEX)
    assert resp.status_code == 200 and world.a.name in resp.content.decode()
    assert client.get(INDEX, {"org": world.w.pk}).status_code == 404
    assert client.get(INDEX, {"org": world.b.pk}).status_code == 404
    assert client.get(INDEX, {"org": "x"}).status_code == 404
    assert client.get(INDEX, {"year": "abc"}).status_code == 404
    assert client.get(INDEX, {"year": "1999"}).status_code == 404


def test_plain_member_gets_404(world, client_for):
    assert client_for(world.user("member_a")).get(INDEX).status_code == 404


def test_not_built_yet_says_so(world, client_for):
    resp = client_for(world.user("wc_admin")).get(INDEX)
    assert resp.status_code == 200 and "尚未生成" in resp.content.decode()


def test_drill_down_lists_children_with_their_headline(world, client_for):
    rebuild()
    client = client_for(world.user("wc_admin"))
    url = reverse("dashboard:panel", kwargs={"panel_key": "members"})
    body = client.get(url, {"org": world.w.pk}).content.decode()
    assert world.c1.name in body and world.c2.name in body
    assert f"?org={world.c1.pk}&amp;year={today().year}" in body
    body = client.get(url, {"org": world.c1.pk}).content.decode()
    assert f"?org={world.a.pk}&amp;year=" in body and f"?org={world.b.pk}&amp;year=" in body
    assert f"?org={world.d.pk}&amp;year=" not in body
    assert client.get(reverse("dashboard:panel", kwargs={"panel_key": "nope"})).status_code == 404


def test_dashboard_queries_do_not_grow_with_the_tree(
    world, client_for, django_assert_max_num_queries
):
    rebuild()
    client = client_for(world.user("wc_admin"))
    client.get(INDEX)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(INDEX)
        client.get(reverse("dashboard:panel", kwargs={"panel_key": "dues"}))
    for i in range(5):
        branch = make_org(f"新支部{i}", "branch", world.c2)
        make_member(branch, f"新党员{i}")
    rebuild()
    with CaptureQueriesContext(connection) as big:
        client.get(INDEX)
        client.get(reverse("dashboard:panel", kwargs={"panel_key": "dues"}))
    assert len(big) == len(small)
    with django_assert_max_num_queries(25):
        client.get(INDEX)


def test_big_screen_is_dark_refreshing_and_has_no_menu(world, client_for):
    rebuild()
    resp = client_for(world.user("c1_admin")).get(reverse("dashboard:screen"))
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "dj-screen" in body and 'http-equiv="refresh"' in body and "dj-side" not in body
    assert world.c1.name in body


def test_export_is_an_xlsx_of_the_figures(world, client_for):
    rebuild()
    resp = client_for(world.user("c1_admin")).get(reverse("dashboard:export"))
    assert resp.status_code == 200
    sheet = load_workbook(io.BytesIO(resp.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("面板", "指标", "数值", "单位")
    total = next(r for r in rows if r[0] == "党员队伍结构" and r[1] == "党员总数")
    assert total[2] == 6  # C1: four in A, two in B
    assert any(r[2] == "缺项" for r in rows)


def test_refresh_request_is_audited_and_rebuilds_on_commit(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.user("c1_admin"))
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("dashboard:refresh"), {"org": world.c1.pk})
    assert resp.status_code == 302
    assert AuditEntry.objects.filter(action="dashboard.refresh").count() == 1
    assert PanelFigure.objects.filter(org=world.c1, panel="members").exists()
    assert Rebuild.objects.get(year=today().year).stale_since is None
    # Out of reach: 404, nothing written.
    other = client_for(world.user("sec_a")).post(reverse("dashboard:refresh"), {"org": world.b.pk})
    assert other.status_code == 404
    assert AuditEntry.objects.filter(action="dashboard.refresh").count() == 1


def test_a_watched_change_marks_the_figures_stale_and_the_worker_rebuilds(
    world, django_capture_on_commit_callbacks
):
    rebuild()
    before = PanelFigure.objects.get(org=world.w, panel="members").figures["total"]
    with django_capture_on_commit_callbacks(execute=True):
        make_member(world.d, "新来的")
    after = PanelFigure.objects.get(org=world.w, panel="members").figures["total"]
    assert after == before + 1
    assert Rebuild.objects.get(year=today().year).stale_since is None


def test_drill_down_table_searches_and_sorts(world, client_for):
    from tests.factories import make_member

    make_member(world.d, "再来一位")
    rebuild()
    client = client_for(world.user("wc_admin"))
    url = reverse("dashboard:panel", kwargs={"panel_key": "members"})
    body = client.get(url, {"org": world.w.pk, "order": "-value"}).content.decode()
    assert body.index(f"?org={world.c1.pk}&amp;") < body.index(f"?org={world.c2.pk}&amp;")
    body = client.get(url, {"org": world.w.pk, "order": "value"}).content.decode()
    assert body.index(f"?org={world.c2.pk}&amp;") < body.index(f"?org={world.c1.pk}&amp;")
    body = client.get(url, {"org": world.w.pk, "q": "教育"}).content.decode()
    assert f"?org={world.c2.pk}&amp;year" in body and f"?org={world.c1.pk}&amp;year" not in body
