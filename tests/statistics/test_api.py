"""The 党内统计 API: the exact contract of GET /api/v1/statistics/annual, generating, the kept
years; out of reach 404; bad input 422."""

from __future__ import annotations

import pytest

from dangjian.statistics.models import AnnualReport
from tests.statistics.conftest import YEAR

pytestmark = pytest.mark.django_db

URL = "/api/v1/statistics/annual"


def test_annual_answers_the_contract(book, people, api_for):
    r = api_for(people["c_staff"]).get(URL, {"org": book.c.pk, "year": YEAR})
    assert r.status_code == 200
    body = r.json()
    assert body["as_of"] == "2026-12-31"
    m = body["members"]
    assert (m["total"], m["full"], m["probationary"], m["female"], m["minority"]) == (6, 4, 2, 2, 1)
    assert m["age_bands"]["41-45"] == 2 and m["education"]["university"] == 2
    assert body["orgs"]["branch"] == 2
    assert body["changes"]["developed"] == 1 and body["changes"]["died"] == 1
    assert all(isinstance(v, int) for v in body["changes"].values())
    assert {c["key"] for c in body["checks"]} >= {"balance_total", "history"}
    assert body["generated_at"] is None


def test_generate_then_annual_answers_the_kept_report(book, people, api_for):
    c = api_for(people["c_staff"])
    r = c.post(
        "/api/v1/statistics/annual",
        {"org": book.c.pk, "year": YEAR},
        content_type="application/json",
        headers={"Idempotency-Key": "stat-1"},
    )
    assert r.status_code == 201 and r.json()["members"]["total"] == 6
    again = c.post(
        "/api/v1/statistics/annual",
        {"org": book.c.pk, "year": YEAR},
        content_type="application/json",
        headers={"Idempotency-Key": "stat-1"},
    )
    assert again.status_code == 201
    assert AnnualReport.objects.get().times == 1  # the retry did not generate again
    body = c.get(URL, {"org": book.c.pk, "year": YEAR}).json()
    assert body["generated_at"] is not None and body["generated_by"] == "c_staff"
    kept = c.get("/api/v1/statistics/reports", {"org": book.c.pk}).json()
    assert kept["count"] == 1 and kept["results"][0]["year"] == YEAR


def test_out_of_reach_is_404(book, people, api_for):
    c = api_for(people["sec_x"])
    assert c.get(URL, {"org": book.c.pk, "year": YEAR}).status_code == 404
    r = c.post(URL, {"org": book.c.pk, "year": YEAR}, content_type="application/json")
    assert r.status_code == 404 and not AnnualReport.objects.exists()


def test_a_future_year_is_422(book, people, api_for):
    r = api_for(people["c_staff"]).get(URL, {"org": book.c.pk, "year": 2099})
    assert r.status_code == 422 and "年度应在" in r.json()["detail"]


def test_queries_do_not_grow_with_the_members(book, people, api_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_member

    c = api_for(people["c_staff"])
    c.get(URL, {"org": book.c.pk, "year": YEAR})
    with CaptureQueriesContext(connection) as before:
        c.get(URL, {"org": book.c.pk, "year": YEAR})
    for i in range(4):
        make_member(book.b, f"新{i}")
    with CaptureQueriesContext(connection) as after:
        c.get(URL, {"org": book.c.pk, "year": YEAR})
    assert len(after) == len(before)
