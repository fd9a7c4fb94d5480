"""Pages of assessment schemes: the designer, the results matrix with its sources, one
target's sheet where a manual indicator is scored and reviewed, Excel export."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.assessment.schemes import services
from dangjian.assessment.schemes.models import Scheme, Score
from tests.factories import SYSTEM, make_org

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def scheme(world):
    s = services.scheme_create(
        actor=SYSTEM,
        org=world.w,
        title="年度党建考核",
        year=YEAR,
        target_kind="branch",
        indicators=[
            {
                "code": "A1",
                "title": "整改按期销号",
                "max_score": 30,
                "method": "auto",
                "metric": "assessment:rectifications_on_time",
            },
            {"code": "A2", "title": "特色工作", "max_score": 20, "method": "manual"},
        ],
    )
    return services.scheme_publish(actor=SYSTEM, scheme=s)


def test_designer_drafts_a_scheme_adds_an_indicator_and_refuses_ant2(world, client_for):
    c = client_for(world.user("wc_admin"))
    resp = c.post(
        reverse("assessment:indicators"),
        {"org": world.w.pk, "title": "新方案", "year": YEAR, "target_kind": "branch"},
    )
    scheme = Scheme.objects.get(title="新方案")
    assert resp.status_code == 302 and scheme.indicators.count() == 0
    url = reverse("assessment:scheme", args=[scheme.pk])
    resp = c.post(
        url,
        {
            "action": "add",
            "code": "B1",
            "title": "学习积分",
            "method": "manual",
            "max_score": "10",
            "weight": "1",
        },
    )
    assert resp.status_code == 200 and "ANT-2" in resp.content.decode()
    assert scheme.indicators.count() == 0
    resp = c.post(
        url,
        {
            "action": "add",
            "code": "B1",
            "title": "三会一课",
            "method": "auto",
            "metric": "meetings:held_rate",
            "max_score": "10",
            "weight": "1",
        },
    )
    assert resp.status_code == 302 and scheme.indicators.get().metric == "meetings:held_rate"
    assert "三会一课" in c.get(url).content.decode()


def test_results_matrix_shows_missing_not_zero_and_links_sources(world, client_for, scheme):
    c = client_for(world.user("wc_admin"))
    page = c.get(reverse("assessment:scheme_results", args=[scheme.pk])).content.decode()
    assert "缺项" in page and world.a.name in page
    assert reverse("assessment:scheme_target", args=[scheme.pk, world.a.pk]) in page


def test_a_target_sheet_scores_and_another_person_reviews(world, client_for, scheme):
    a2 = scheme.indicators.get(code="A2")
    url = reverse("assessment:scheme_target", args=[scheme.pk, world.a.pk])
    c = client_for(world.user("wc_admin"))
    resp = c.post(
        url,
        {
            "action": "score",
            "indicator": a2.pk,
            f"i{a2.pk}-score": "18",
            f"i{a2.pk}-comment": "有特色",
        },
    )
    assert resp.status_code == 302
    score = Score.objects.get(indicator=a2, org=world.a)
    assert score.score == Decimal("18.00") and score.status == "scored"
    resp = c.post(url, {"action": "review", "indicator": a2.pk})
    assert Score.objects.get(pk=score.pk).status == "scored"
    admin = client_for(world.user("admin"))
    admin.post(url, {"action": "review", "indicator": a2.pk})
    assert Score.objects.get(pk=score.pk).status == "reviewed"


def test_results_export_to_excel(world, client_for, scheme):
    c = client_for(world.user("wc_admin"))
    resp = c.get(reverse("assessment:scheme_results", args=[scheme.pk]) + "?format=xlsx")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd")


def test_results_page_queries_do_not_grow_with_the_targets(world, client_for, scheme):
    c = client_for(world.user("wc_admin"))
    url = reverse("assessment:scheme_results", args=[scheme.pk])
    c.get(url)  # warm the session

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(5):
        make_org(f"新增党支部{i}", "branch", world.c2)
    assert count() == before


def test_results_print_to_pdf_or_say_why_not(world, client_for, scheme):
    c = client_for(world.user("wc_admin"))
    resp = c.get(reverse("assessment:scheme_results", args=[scheme.pk]) + "?format=pdf")
    assert resp.status_code in (200, 503)
    if resp.status_code == 200:
        assert resp["Content-Type"] == "application/pdf"
    else:
        assert "PDF" in resp.content.decode()


def test_a_branch_sees_the_scheme_it_is_assessed_by_and_only_its_own_row(
    world, client_for, api_for, scheme
):
    c = client_for(world.user("sec_a"))
    assert scheme.title in c.get(reverse("assessment:indicators")).content.decode()
    body = c.get(reverse("assessment:scheme_results", args=[scheme.pk])).content.decode()
    assert world.a.name in body and world.b.name not in body
    own = c.get(reverse("assessment:scheme_target", args=[scheme.pk, world.a.pk]))
    assert own.status_code == 200 and 'name="action" value="score"' not in own.content.decode()
    other = c.get(reverse("assessment:scheme_target", args=[scheme.pk, world.b.pk]))
    assert other.status_code == 404
    api = api_for(world.user("sec_a")).get(f"/api/v1/assessment/schemes/{scheme.pk}/results")
    assert [r["org"] for r in api.json()["results"]] == [world.a.pk]
    # A draft is nobody's business below the assessing org.
    draft = services.scheme_create(
        actor=SYSTEM,
        org=world.w,
        title="下年度草稿",
        year=YEAR + 1,
        target_kind="branch",
        indicators=[{"code": "A1", "title": "特色工作", "max_score": 20, "method": "manual"}],
    )
    assert c.get(reverse("assessment:scheme_results", args=[draft.pk])).status_code == 404
