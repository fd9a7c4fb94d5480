"""The leaders' heat map: rows aggregate branches, own findings apart, bounded queries."""

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.standards import periods as P
from dangjian.standards import selectors
from dangjian.standards.engine import COUNTED, evaluate
from tests.factories import make_member, make_org
from tests.standards.helpers import held, local

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


def test_a_committee_row_is_the_aggregate_of_its_branches(world):
    data = selectors.heatmap(world.w, P.year(2026), today=TODAY)
    rows = {r["org"].pk: r for r in data["rows"]}
    assert set(rows) == {world.c1.pk, world.c2.pk}
    findings = evaluate(world.w, P.year(2026), today=TODAY)
    branch_ids = {world.a.pk, world.ga.pk, world.b.pk}
    judged = [f for f in findings if f.org_id in branch_ids and f.status in COUNTED]
    assert rows[world.c1.pk]["judged"] == len(judged)
    assert rows[world.c1.pk]["ok"] == sum(f.status == "ok" for f in judged)
    assert rows[world.c1.pk]["branches"] == 2
    # The committees' own structural findings are apart, not a row at 0%.
    committee_codes = {f.rule_code for f in findings if f.org_id == world.c1.pk}
    assert committee_codes, "the committee has structural rules of its own"
    own = {r["org"].pk: r for r in data["own"]}
    assert world.c1.pk in own
    for code in committee_codes - {f.rule_code for f in findings if f.org_id in branch_ids}:
        assert code not in data["codes"]


def test_branches_level_lists_every_branch_with_groups_folded_in(world):
    data = selectors.heatmap(world.w, P.year(2026), today=TODAY, level="branches")
    assert {r["org"].pk for r in data["rows"]} == {world.a.pk, world.b.pk, world.d.pk}


def test_page_headers_legend_year_and_drill_down(world, client_for):
    held(world.a, "theme_day", local(2026, 3, 5))
    client = client_for(world.user("admin"))
    body = client.get(reverse("standards:heatmap_org", args=[world.w.pk])).content.decode()
    assert f'name="year" value="{P.local_today().year}"' in body
    assert 'title="MTG-6 主题党日每月开展1次' in body and "<span>主题党日</span>" in body
    for word in ("达标", "即将到期", "逾期 / 未达标", "缺项"):
        assert word in body
    assert reverse("standards:heatmap_org", args=[world.c1.pk]) in body
    assert "党委、党总支本级事项" in body
    assert "style=" not in body.split('id="heat-grid"')[1].split("</table>")[0]
    branch_page = client.get(
        reverse("standards:heatmap_org", args=[world.c1.pk]), {"year": 2026}
    ).content.decode()
    assert reverse("standards:board_org", args=[world.a.pk]) + "?year=2026&amp;rule=" in (
        branch_page
    )


def test_export_has_numbers_and_percentage_formats(world, client_for):
    held(world.a, "theme_day", local(2026, 3, 5))
    client = client_for(world.user("c1_admin"))
    export = client.get(reverse("standards:heatmap_export", args=[world.c1.pk]), {"year": 2026})
    book = load_workbook(io.BytesIO(export.content))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:7] == ["组织", "类型", "期间", "达标率", "达标项", "应检项", "所含支部"]
    assert "主题党日（MTG-6）" in headers
    col = headers.index("主题党日（MTG-6）") + 1
    rates = [sheet.cell(row=r, column=col) for r in range(2, sheet.max_row + 1)]
    assert rates and all(isinstance(c.value, float | int) for c in rates)
    assert all(c.number_format == "0.0%" for c in rates)
    assert sheet.cell(row=2, column=4).number_format == "0.0%"
    assert isinstance(sheet.cell(row=2, column=5).value, int)
    page = client.get(reverse("standards:heatmap_org", args=[world.c1.pk]), {"year": 2026})
    names = [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)]
    body = page.content.decode()
    assert sorted(names, key=body.index) == names  # same order as the page


def test_heatmap_queries_do_not_grow_with_the_number_of_orgs(world, client_for):
    client = client_for(world.user("admin"))
    url = reverse("standards:heatmap_org", args=[world.w.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"year": 2026}).status_code == 200
        return len(ctx.captured_queries)

    count()  # the first request of a session refreshes its last_seen (a write)
    before = count()
    for i in range(6):
        general = make_org(f"新总支{i}", "general_branch", world.c2)
        branch = make_org(f"新支部{i}", "branch", general)
        make_org(f"新党小组{i}", "group", branch)
        for n in range(3):
            make_member(branch, f"新党员{i}{n}")
        held(branch, "theme_day", local(2026, 2, 5))
    after = count()
    assert after == before, (before, after)


def test_own_items_listed_worst_first_up_to_a_cap(world, client_for, monkeypatch):
    from dangjian.standards import views

    monkeypatch.setattr(views, "OWN_ITEMS_SHOWN", 1)
    client = client_for(world.user("admin"))
    body = client.get(reverse("standards:heatmap_org", args=[world.w.pk])).content.decode()
    own = body.split("党委、党总支本级事项")[1]
    assert own.count('class="list-group-item') == 1
    assert "未列出，完整清单请导出 Excel" in own


@pytest.mark.parametrize("shown", [1, 3])
def test_own_items_from_kept_findings_are_the_live_ones(world, client_for, monkeypatch, shown):
    """Read from the kept findings, only the worst own findings are read and the rest
    counted: the page lists the same items and the same number left out as live."""
    from dangjian.standards import kept, views

    monkeypatch.setattr(views, "OWN_ITEMS_SHOWN", shown)
    client = client_for(world.user("admin"))
    url = reverse("standards:heatmap_org", args=[world.w.pk])

    def own_part():
        body = client.get(url).content.decode()
        return body.split("党委、党总支本级事项")[1].split("</ul>")[0], body

    live, live_body = own_part()
    kept.refresh(world.w, today=P.local_today())
    stored, stored_body = own_part()
    assert stored == live and stored.count('class="list-group-item') == shown
    more = re.compile(r"另有 (\d+) 项未列出")
    assert more.search(stored_body).group(1) == more.search(live_body).group(1)
