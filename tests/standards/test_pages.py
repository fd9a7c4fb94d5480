import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.standards.models import Article, Rule, Standard
from tests.factories import make_org
from tests.standards.helpers import held, local

pytestmark = pytest.mark.django_db


def test_library_shows_categories_rules_and_adjustable_marks(world, client_for):
    body = client_for(world.user("member_a")).get(reverse("standards:library")).content.decode()
    assert "党内法规" in body and "本地制度" in body
    assert "MTG-5" in body and "默认值·可调整" in body


def test_standard_page_shows_articles_with_their_rules(world, client_for):
    std = Standard.objects.get(code="branch")
    body = client_for(world.user("sec_a")).get(reverse("standards:standard", args=[std.pk]))
    text = body.content.decode()
    assert "第十二条" in text and "MTG-3" in text
    article = Article.objects.get(standard=std, number="第十二条")
    page = client_for(world.user("sec_a")).get(
        reverse("standards:article", args=[std.pk, article.pk])
    )
    assert "MTG-3" in page.content.decode()


def test_rule_page_shows_history(world, client_for):
    client = client_for(world.user("admin"))
    resp = client.post(
        reverse("standards:rule_edit", args=["MTG-5"]),
        {
            "effective_from": "2027-01-01",
            "change_reason": "改为每月一次",
            "title": "党支部每月讲1次党课",
            "severity": "warning",
            "enabled": "on",
            "kinds": ["branch"],
            "p_kind": "party_lecture",
            "p_period": "month",
            "p_min": "1",
        },
    )
    assert resp.status_code == 302
    assert Rule.objects.get(code="MTG-5", version=2).params == {
        "kind": "party_lecture",
        "period": "month",
        "min": 1,
    }
    page = client.get(reverse("standards:rule", args=["MTG-5"])).content.decode()
    assert "改为每月一次" in page and "v2" in page and "v1" in page


def test_rule_edit_with_bad_date_shows_the_error(world, client_for):
    resp = client_for(world.user("admin")).post(
        reverse("standards:rule_edit", args=["MTG-1"]),
        {
            "effective_from": "2010-01-01",
            "change_reason": "x",
            "title": "t",
            "severity": "violation",
            "kinds": ["branch"],
            "p_kind": "general_meeting",
            "p_period": "month",
            "p_min": "1",
        },
    )
    assert resp.status_code == 200 and "生效日期须晚于" in resp.content.decode()
    assert Rule.objects.filter(code="MTG-1").count() == 1


def test_rule_edit_is_forbidden_to_secretaries(world, client_for):
    client = client_for(world.user("sec_a"))
    assert client.get(reverse("standards:rule_edit", args=["MTG-1"])).status_code == 403
    assert client.post(reverse("standards:rule_edit", args=["MTG-1"]), {}).status_code == 403


def test_board_lists_open_items_first_with_article_and_link(world, client_for):
    held(world.a, "theme_day", local(2026, 3, 5))
    resp = client_for(world.user("sec_a")).get(reverse("standards:board"), {"year": 2026})
    body = resp.content.decode()
    assert resp.status_code == 200 and world.a.name in body
    assert body.index("需要处理") < body.index("应完成事项")
    assert "《教育条例》第十六条" in body


def test_board_of_another_branch_is_404(world, client_for):
    client = client_for(world.user("sec_a"))
    assert client.get(reverse("standards:board_org", args=[world.b.pk])).status_code == 404
    assert client.get(reverse("standards:board"), {"org": world.b.pk}).status_code == 404


# A first (live) evaluation makes a few queries per checker: the bound grows with the library's
# checkers (learning, work and supervision added theirs), never with the branches.
LIVE_EVALUATION_QUERIES = 60


def test_board_query_count_is_bounded(world, client_for, django_assert_max_num_queries):
    client = client_for(world.user("sec_a"))
    with django_assert_max_num_queries(LIVE_EVALUATION_QUERIES):
        assert client.get(reverse("standards:board_org", args=[world.a.pk])).status_code == 200


def test_heatmap_sorts_worst_first_and_exports_excel(world, client_for):
    for month in range(1, 11):
        held(world.a, "theme_day", local(2026, month, 5))
    client = client_for(world.user("c1_admin"))
    resp = client.get(reverse("standards:heatmap_org", args=[world.c1.pk]), {"year": 2026})
    body = resp.content.decode()
    assert resp.status_code == 200
    assert body.index(world.b.name) < body.index(world.a.name)  # B misses more: first
    export = client.get(reverse("standards:heatmap_export", args=[world.c1.pk]), {"year": 2026})
    book = load_workbook(io.BytesIO(export.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("组织", "类型", "期间", "达标率")
    names = [r[0] for r in rows[1:]]
    assert names.index(world.b.name) < names.index(world.a.name)


def test_heatmap_query_count_does_not_grow_with_branches(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.user("admin"))
    for i in range(5):
        make_org(f"另一支部{i}", "branch", world.c2)
    with django_assert_max_num_queries(LIVE_EVALUATION_QUERIES):
        resp = client.get(reverse("standards:heatmap"), {"year": 2026})
    assert resp.status_code == 200


def test_open_findings_panel_renders_for_the_org_page(world, rf):
    from django.template import Context, Template

    request = rf.get("/")
    request.user = world.user("sec_a")
    html = Template("{% load standards_tags %}{% open_findings_panel org %}").render(
        Context({"request": request, "org": world.a})
    )
    assert "待处理的合规事项" in html
    assert dt.date.today().year > 2000


def test_org_page_shows_open_findings_first(world, client_for):
    resp = client_for(world.user("sec_a")).get(reverse("orgs:detail", args=[world.a.pk]))
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "待处理的合规事项" in body
    assert body.index("待处理的合规事项") < body.index("班子成员")
