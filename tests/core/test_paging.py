"""The capped count of long lists: exact below the cap, "超过 N 条" above it, the same rows."""

import pytest
from django.test import RequestFactory

from dangjian.core.paging import CappedPaginator, paginate
from dangjian.members import selectors
from dangjian.members.models import Member

pytestmark = pytest.mark.django_db


def _page(qs, cap, page=1):
    return paginate(RequestFactory().get("/", {"page": page}), qs, 2, cap=cap)


def test_below_the_cap_the_count_is_exact(world):
    page = _page(Member.objects.order_by("pk"), cap=20)
    assert page.paginator.count == 8 and not page.paginator.capped
    assert page.paginator.num_pages == 4


def test_above_the_cap_it_counts_one_more_and_offers_the_first_rows(world):
    qs = Member.objects.order_by("pk")
    page = _page(qs, cap=5, page=99)
    assert page.paginator.count == 6 and page.paginator.capped
    assert page.paginator.num_pages == 3  # five rows shown over pages of two
    assert page.number == 3 and [m.pk for m in page] == [m.pk for m in qs[4:5]]


def test_exactly_at_the_cap_is_not_capped(world):
    page = _page(Member.objects.order_by("pk"), cap=8)
    assert page.paginator.count == 8 and not page.paginator.capped


def test_a_name_search_counts_itself_capped(world):
    rows = selectors.member_rows(user=world.user("admin"), q="zs")  # 张三, 周九? by initials
    exact = rows.count()
    assert exact >= 1
    assert CappedPaginator(rows, 50, cap=exact).count == exact
    assert CappedPaginator(rows, 50, cap=0).count == 1


def test_the_roll_says_when_it_is_capped(world, client_for, settings, monkeypatch):
    from dangjian.members import views

    monkeypatch.setattr(views, "COUNT_CAP", 3)
    body = client_for(world.user("wc_admin")).get("/members/").content.decode()
    assert "超过 3 条，列出前 3 条" in body
    monkeypatch.setattr(views, "COUNT_CAP", 100)
    body = client_for(world.user("wc_admin")).get("/members/").content.decode()
    assert "共 8 条" in body and "超过" not in body
