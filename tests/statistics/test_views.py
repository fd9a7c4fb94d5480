"""Pages of 党内统计: the tables with links to their lists, generate, export, the list behind
a cell within reach; out of reach answers 404."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from dangjian.core.models import AuditEntry
from dangjian.statistics.models import AnnualReport
from tests.statistics.conftest import YEAR

pytestmark = pytest.mark.django_db


def q(book, org=None, **extra):
    return {"org": (org or book.c).pk, "year": YEAR, **extra}


def test_the_tables_show_live_figures_with_links(book, people, client_for):
    body = client_for(people["c_staff"]).get("/statistics/", q(book)).content.decode()
    assert "未生成" in body and "全部通过" in body
    assert "cell=members.age_bands.41-45" in body and "少数民族党员" in body
    assert "预备党员转为正式党员" in body


def test_the_page_defaults_to_the_users_org_and_this_year(book, people, client_for):
    r = client_for(people["sec_a"]).get("/statistics/")
    assert r.status_code == 200
    assert "统计一支部" in r.content.decode()


def test_generate_then_the_page_shows_the_kept_report(book, people, client_for):
    c = client_for(people["c_staff"])
    r = c.post("/statistics/generate/", q(book), follow=True)
    body = r.content.decode()
    assert "2026年党内统计已生成，全部校核通过" in body and "已生成" in body
    assert AnnualReport.objects.filter(org=book.c, year=YEAR).exists()
    r = c.post("/statistics/generate/", q(book), follow=True)
    assert "与已生成的年报相同，未作改动" in r.content.decode()
    assert AuditEntry.objects.filter(verb__contains="党内统计年报").count() == 1
    book.m["甲"].org = book.b  # a change the history does not show: the tables change
    book.m["甲"].save()
    r = c.post("/statistics/generate/", q(book), follow=True)
    assert "已重新生成，有校核未通过" in r.content.decode()


def test_generate_a_future_year_says_why(book, people, client_for):
    r = client_for(people["c_staff"]).post("/statistics/generate/", q(book, year=2999), follow=True)
    assert "年度应在" in r.content.decode()
    assert not AnnualReport.objects.exists()


def test_the_list_behind_a_cell(book, people, client_for, django_assert_max_num_queries):
    c = client_for(people["c_staff"])
    with django_assert_max_num_queries(14):
        r = c.get("/statistics/cell/", q(book, cell="members.probationary"))
    body = r.content.decode()
    assert "丙" in body and "壬" in body and "甲" not in body
    assert "共 2 人" in body


def test_a_member_transferred_away_is_counted_but_not_named(book, people, client_for):
    body = (
        client_for(people["sec_a"])
        .get("/statistics/cell/", q(book, book.a, cell="changes.transferred_out"))
        .content.decode()
    )
    # 庚 left the system: still A's record (visible); the count says one.
    assert "庚" in body
    body = (
        client_for(people["c_staff"])
        .get("/statistics/cell/", q(book, cell="changes.transferred_out"))
        .content.decode()
    )
    assert "另有 1 人已转出您的管理范围" in body and "丁" not in body


def test_the_list_of_orgs_behind_a_cell(book, people, client_for):
    body = (
        client_for(people["c_staff"])
        .get("/statistics/cell/", q(book, cell="orgs.branch"))
        .content.decode()
    )
    assert "统计一支部" in body and "统计二支部" in body and "统计外单位支部" not in body


def test_an_unknown_cell_is_404(book, people, client_for):
    r = client_for(people["c_staff"]).get("/statistics/cell/", q(book, cell="members.x"))
    assert r.status_code == 404


def test_an_org_out_of_reach_is_404(book, people, client_for):
    c = client_for(people["sec_x"])
    assert c.get("/statistics/", q(book)).status_code == 404
    assert c.get("/statistics/cell/", q(book, cell="members.total")).status_code == 404
    assert c.get("/statistics/export/", q(book)).status_code == 404
    assert c.post("/statistics/generate/", q(book)).status_code == 404
    assert not AnnualReport.objects.exists()


def test_a_plain_member_gets_404(book, people, client_for):
    assert client_for(people["plain"]).get("/statistics/", q(book)).status_code == 404


def test_export_has_one_sheet_per_table_and_is_audited(book, people, client_for):
    r = client_for(people["c_staff"]).get("/statistics/export/", q(book))
    book_ = load_workbook(io.BytesIO(r.content))
    assert book_.sheetnames == [
        "党员基本情况",
        "党员年龄",
        "党员学历",
        "党员职业",
        "党员增减",
        "党组织",
        "下级组织",
        "校核",
    ]
    ages = book_["党员年龄"]
    assert [c.value for c in ages[2]][:3] == ["合计", "30岁及以下", "31至35岁"]
    assert [c.value for c in ages[3]][:3] == [6, 1, 1]
    assert ages.column_dimensions["B"].width >= 12
    assert AuditEntry.objects.filter(action="export", verb__contains="年报表").count() == 1


def test_export_of_a_cell_list_is_audited(book, people, client_for):
    r = client_for(people["c_staff"]).get(
        "/statistics/cell/", q(book, cell="members.female", format="xlsx")
    )
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    assert rows[0][0] == "姓名" and sorted(r[0] for r in rows[1:]) == ["丙", "甲"]
    assert AuditEntry.objects.filter(action="export", verb__contains="女党员名单").count() == 1


def test_pages_run_the_same_queries_for_more_members(book, people, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_member

    c = client_for(people["c_staff"])
    urls = [
        ("/statistics/", q(book)),
        ("/statistics/cell/", q(book, cell="members.total")),
    ]
    for url, params in urls:
        c.get(url, params)
    counts = []
    for _ in range(2):
        row = []
        for url, params in urls:
            with CaptureQueriesContext(connection) as captured:
                assert c.get(url, params).status_code == 200
            row.append(len(captured))
        counts.append(row)
        for i in range(3):
            make_member(book.b, f"加{len(counts)}{i}")
    assert counts[0] == counts[1]
