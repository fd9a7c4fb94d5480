import io

import pytest
from openpyxl import load_workbook

from dangjian.core.models import AuditEntry, Notification
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_list_searches_by_initials(client_for, world):
    resp = client_for(world.user("c1_admin")).get("/members/", {"q": "zs"})
    assert resp.status_code == 200
    assert "张三" in resp.content.decode() and "李四" not in resp.content.decode()


def test_htmx_search_returns_only_the_results_fragment(client_for, world):
    resp = client_for(world.user("c1_admin")).get(
        "/members/", {"q": "ls"}, headers={"HX-Request": "true"}
    )
    body = resp.content.decode()
    assert "李四" in body and "<html" not in body


def test_list_rows_show_each_column_escaped(client_for, world):
    """The rows are drawn in Python (``views._rows_html``): every column, every value escaped."""
    odd = make_member(
        world.a,
        "<b>王</b>五",
        status="probationary",
        gender="female",
        phone="13812345678",
        is_retired=True,
        is_mobile=True,
    )
    body = client_for(world.user("sec_a")).get("/members/").content.decode()
    row = next(r for r in body.split("<tr>") if f"/members/{odd.pk}/" in r)
    assert f'<a href="/members/{odd.pk}/">&lt;b&gt;王&lt;/b&gt;五</a>' in row
    assert "离退休" in row and "流动" in row
    assert "<td>女</td><td>1985-03-12</td>" in row
    assert "138****5678" in row and odd.id_number_masked in row
    assert f"<td>{odd.org.name}</td><td>预备党员</td>" in row
    assert '<td class="text-end">—</td>' in row  # no party age before becoming full
    empty = client_for(world.user("sec_a")).get("/members/", {"q": "没有这个人"})
    assert "没有符合条件的党员（搜索“没有这个人”）" in empty.content.decode()


def test_member_list_query_count_does_not_grow_with_page_size(
    client_for, world, django_assert_max_num_queries, settings
):
    for i in range(30):
        make_member(world.a, f"测试{i}")
    client = client_for(world.user("sec_a"))
    client.get("/healthz")  # the session's first request stamps last_seen (a write)
    settings.PAGE_SIZE = 5
    with django_assert_max_num_queries(12) as small:
        client.get("/members/")
    settings.PAGE_SIZE = 30
    with django_assert_max_num_queries(12) as big:
        client.get("/members/")
    assert len(small.captured_queries) == len(big.captured_queries)


def test_detail_masks_the_id_and_reveal_is_audited(client_for, world):
    member = world.members_a[2]
    client = client_for(world.user("sec_a"))
    page = client.get(f"/members/{member.pk}/").content.decode()
    assert member.id_number_masked in page
    resp = client.post(f"/members/{member.pk}/reveal-id/")
    assert len([c for c in resp.content.decode() if c.isdigit()]) >= 17
    assert AuditEntry.objects.filter(action="reveal", object_id=str(member.pk)).exists()


def test_create_form_shows_chinese_errors_inline(client_for, world):
    resp = client_for(world.user("sec_a")).post(
        "/members/new/",
        {
            "name": "新同志",
            "gender": "male",
            "birth_date": "1990-01-01",
            "id_number": "110105199001010000",
            "org": world.a.pk,
            "status": "applicant",
            "ethnicity": "汉族",
            "_validate": "1",
        },
        headers={"HX-Request": "true"},
    )
    body = resp.content.decode()
    assert "校验位错误" in body and "<html" not in body


def test_create_form_saves_and_redirects(client_for, world):
    import datetime as dt

    from tests.factories import id_number_for

    number = id_number_for(dt.date(1990, 1, 1), "male")
    resp = client_for(world.user("sec_a")).post(
        "/members/new/",
        {
            "name": "新同志",
            "gender": "male",
            "birth_date": "1990-01-01",
            "id_number": number,
            "org": world.a.pk,
            "status": "applicant",
            "applied_at": "2025-01-01",
            "ethnicity": "汉族",
        },
    )
    assert resp.status_code == 302 and "/members/" in resp["Location"]


def test_org_choices_are_limited_to_reach(client_for, world):
    body = client_for(world.user("sec_a")).get("/members/new/").content.decode()
    assert "预算处党支部" in body and "国库处党支部" not in body


def test_roster_export_masks_ids_for_others_and_is_audited(client_for, world):
    from tests.factories import give_role, make_user

    publicity = make_user("publicity_a")
    give_role(publicity, world.a, "publicity")  # not among ID_REVEAL_ROLES
    resp = client_for(publicity).get("/members/export/", {"org": world.a.pk})
    sheet = load_workbook(io.BytesIO(resp.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "姓名" and len(rows) == 5
    assert all("*" in r[5] for r in rows[1:])
    assert AuditEntry.objects.filter(action="export").count() == 1


def test_secretary_export_has_full_ids(client_for, world):
    resp = client_for(world.user("sec_a")).get("/members/export/", {"org": world.a.pk})
    rows = list(load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True))
    assert all("*" not in r[5] and len(r[5]) == 18 for r in rows[1:])


def test_plain_member_gets_the_mobile_page(client_for, world):
    client = client_for(world.user("member_a"))
    assert client.get("/").url == "/members/me/"
    body = client.get("/members/me/").content.decode()
    assert "李四" in body and 'name="viewport"' in body
    for link in ("/meetings/m/", "/dues/me/", "/development/mine/"):
        assert link in body
    assert client.get("/members/").status_code == 404


def test_member_home_reads_few_queries_and_writes_nothing(
    client_for, world, django_assert_max_num_queries
):
    from dangjian.orgs.models import Position

    user = world.user("sec_a")
    Notification.objects.create(user=user, title="请参加主题党日")
    Position.objects.create(org=world.c1, role="organizer", member=world.members_a[0])
    client = client_for(user)
    client.get("/healthz")  # the first request of the session stamps last_seen
    # the session and the user (every signed-in request), the page's stamp (core.pagecache),
    # then the page's three: the positions (the reach and the member's), the member with the
    # unread count, the history
    with django_assert_max_num_queries(2 + 1 + 3) as captured:
        body = client.get("/members/me/").content.decode()
    assert not [q for q in captured.captured_queries if not q["sql"].startswith("SELECT")]
    assert "张三" in body and '<span class="dj-count">1</span>' in body
    assert "市财政局机关党委" in body  # the member's position, not the user's role
    assert "管理端" in body  # the reach from the same query: a secretary manages
    with django_assert_max_num_queries(2 + 1):  # then kept: the stamp finds it unchanged
        again = client.get("/members/me/").content.decode()
    assert "张三" in again and '<span class="dj-count">1</span>' in again


def test_tree_page_and_lazy_children(client_for, world):
    client = client_for(world.user("c1_admin"))
    assert "市财政局机关党委" in client.get("/orgs/").content.decode()
    children = client.get(f"/orgs/{world.c1.pk}/children/").content.decode()
    assert "预算处党支部" in children and "4 人" in children


def test_audit_page_filters_by_subtree(client_for, world):
    client = client_for(world.user("sec_a"))
    body = client.get("/audit/").content.decode()
    assert "新建党员档案" in body and "钱七" not in body


def test_the_org_filter_narrows_over_a_large_reach(client_for, world, monkeypatch):
    from dangjian.members import views

    body = client_for(world.user("wc_admin")).get("/members/").content.decode()
    assert "预算处党支部</option>" in body  # a small reach offers every org
    monkeypatch.setattr(views, "FILTER_CHOICES_MAX", 4)  # 6 orgs: committees and above
    body = client_for(world.user("wc_admin")).get("/members/").content.decode()
    assert "市财政局机关党委</option>" in body and "预算处党支部</option>" not in body
    # the selected org stays offered
    body = client_for(world.user("wc_admin")).get(f"/members/?org={world.a.pk}").content.decode()
    assert "selected>预算处党支部</option>" in body
