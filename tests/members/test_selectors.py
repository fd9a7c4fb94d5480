"""The pinyin search read as two disjoint index ranges merged by page, and a Chinese name read
from its covering index (``selectors.NameSearch``), find the same rows, count them the same
and page them in the same order as the plain queryset (``member_list``), for every kind of
reach (the whole platform, the only tree, a committee, a branch)."""

import datetime as dt

import pytest

from dangjian.members import selectors
from dangjian.members.models import Member
from tests.factories import make_member

pytestmark = pytest.mark.django_db

PINYIN = ["zw", "zhang", "z", "zh", "zhangw", "ZW", "zh ang", "zzz"]
NAMES = ["张伟", "张伟", "赵文", "周伟", "张维汉", "朱文武", "章薇", "郑万", "王五", "张"]


@pytest.fixture
def crowd(world):
    """Names whose pinyin or initials start alike (two 张伟: the id breaks the tie), one who
    left the rolls, and a namesake outside branch A."""
    made = [make_member(world.a, name) for name in NAMES]
    Member.objects.filter(pk=made[3].pk).update(left_on=dt.date(2024, 5, 1))
    make_member(world.d, "张伟")
    return made


@pytest.mark.parametrize("username", ["admin", "wc_admin", "c1_admin", "sec_a"])
def test_name_search_reads_what_the_plain_search_reads(world, crowd, username):
    user = world.user(username)
    for q in [*PINYIN, "张", "张伟", "伟", "文武", "无此人"]:
        for order in ["name", "-name"]:
            plain = selectors.member_list(user=user, q=q, order=order)
            rows = selectors.member_rows(user=user, q=q, order=order)
            assert isinstance(rows, selectors.NameSearch)
            assert rows.count() == plain.count() == len(rows), (q, order)
            everyone = [m.pk for m in plain]
            for start, stop in [(0, 3), (2, 5), (0, 100), (len(everyone), len(everyone) + 3)]:
                assert [m.pk for m in rows[start:stop]] == everyone[start:stop], (q, order)


def test_name_search_keeps_the_status_and_org_filters(world, crowd):
    user = world.user("admin")
    for filters in [{"status": "full"}, {"status": "probationary"}, {"org": world.c2}]:
        plain = selectors.member_list(user=user, q="zw", **filters)
        rows = selectors.member_rows(user=user, q="zw", **filters)
        assert [m.pk for m in rows[0:50]] == [m.pk for m in plain]


def test_other_searches_and_orders_stay_plain_querysets(world):
    user = world.user("admin")
    for q, order in [("", "name"), ("张", "org"), ("1234", "name"), ("zw", "status")]:
        rows = selectors.member_rows(user=user, q=q, order=order)
        assert not isinstance(rows, selectors.NameSearch)


def test_name_search_is_read_by_pages_only(world):
    rows = selectors.member_rows(user=world.user("admin"), q="zs")
    with pytest.raises(TypeError):
        rows[0]


def test_list_page_and_api_page_a_pinyin_search(client_for, api_for, world, crowd, settings):
    settings.PAGE_SIZE = 3
    client = client_for(world.user("admin"))
    first = client.get("/members/", {"q": "zw"}).content.decode()
    second = client.get("/members/", {"q": "zw", "page": 2}).content.decode()
    plain = list(selectors.member_list(user=world.user("admin"), q="zw"))
    assert all(m.name in first for m in plain[:3])
    assert plain[3].name in second
    body = api_for(world.user("admin")).get("/api/v1/members", {"q": "zw", "page_size": 2}).json()
    assert body["count"] == len(plain)
    assert [r["id"] for r in body["results"]] == [m.pk for m in plain[:2]]


def test_search_page_query_count_does_not_grow_with_page_size(
    client_for, world, crowd, django_assert_max_num_queries, settings
):
    client = client_for(world.user("sec_a"))
    client.get("/healthz")  # the session's first request stamps last_seen (a write)
    settings.PAGE_SIZE = 2
    with django_assert_max_num_queries(12) as small:
        client.get("/members/", {"q": "zw"})
    settings.PAGE_SIZE = 30
    with django_assert_max_num_queries(12) as big:
        client.get("/members/", {"q": "zw"})
    assert len(small.captured_queries) == len(big.captured_queries)
