"""A full ID number never reaches a URL; phone numbers are masked in API lists."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from dangjian.core import crypto
from dangjian.members.models import Member

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def full_id(member) -> str:
    return crypto.decrypt(member.id_number_encrypted)


def urls_in(body: str) -> list[str]:
    return re.findall(r'(?:href|action|hx-get|hx-post|hx-push-url)="([^"]*)"', body)


def test_search_form_posts_and_pushes_no_url_itself(client_for, world):
    body = client_for(world.user("c1_admin")).get("/members/").content.decode()
    form = re.search(r"<form[^>]*hx-target=\"#results\"[^>]*>", body).group(0)
    assert 'method="post"' in form and 'hx-post="/members/"' in form
    assert "hx-get" not in form and "hx-push-url" not in form


def test_search_by_full_id_finds_the_member_and_pushes_no_number(client_for, world):
    member = world.members_a[2]
    number = full_id(member)
    resp = client_for(world.user("c1_admin")).post("/members/", {"q": number}, headers=HTMX)
    body = resp.content.decode()
    assert resp.status_code == 200 and member.name in body and "<html" not in body
    assert resp["HX-Push-Url"] == "/members/"
    assert not any(number in url for url in urls_in(body))


def test_search_by_full_id_keeps_the_filters_in_the_pushed_url(client_for, world):
    member = world.members_a[2]
    resp = client_for(world.user("c1_admin")).post(
        "/members/", {"q": full_id(member), "org": world.a.pk, "status": "full"}, headers=HTMX
    )
    assert member.name in resp.content.decode()
    assert parse_qs(urlsplit(resp["HX-Push-Url"]).query) == {
        "org": [str(world.a.pk)],
        "status": ["full"],
    }


def test_search_by_initials_pushes_a_shareable_url(client_for, world):
    client = client_for(world.user("c1_admin"))
    resp = client.post("/members/", {"q": "zs"}, headers=HTMX)
    assert resp["HX-Push-Url"] == "/members/?q=zs"
    shared = client.get(resp["HX-Push-Url"]).content.decode()
    assert "张三" in shared and "李四" not in shared


def test_typing_an_id_pushes_at_most_its_last_four_digits(client_for, world):
    member = world.members_a[2]
    prefix = full_id(member)[:14]  # mid-typing: region code and birth date
    resp = client_for(world.user("c1_admin")).post("/members/", {"q": prefix}, headers=HTMX)
    assert resp["HX-Push-Url"] == f"/members/?q={prefix[-4:]}"


def test_id_tail_search_stays_a_shareable_url(client_for, world):
    member = world.members_a[2]
    tail = member.id_number_masked[-4:]
    client = client_for(world.user("c1_admin"))
    assert client.post("/members/", {"q": tail}, headers=HTMX)["HX-Push-Url"] == (
        f"/members/?q={tail}"
    )
    assert member.name in client.get("/members/", {"q": tail}).content.decode()


def test_plain_post_by_name_lands_on_the_shareable_url(client_for, world):
    resp = client_for(world.user("c1_admin")).post("/members/", {"q": "ls", "status": "full"})
    assert resp.status_code == 302 and resp["Location"] == "/members/?status=full&q=ls"


def test_plain_post_by_full_id_answers_the_page_without_a_redirect(client_for, world):
    member = world.members_a[2]
    number = full_id(member)
    resp = client_for(world.user("c1_admin")).post("/members/", {"q": number})
    body = resp.content.decode()
    assert resp.status_code == 200 and "<html" in body and member.name in body
    assert not any(number in url for url in urls_in(body))


def test_full_id_in_a_get_query_is_not_searched_and_leaves_the_address_bar(client_for, world):
    number = full_id(world.members_a[2])
    client = client_for(world.user("c1_admin"))
    resp = client.get("/members/", {"q": number, "org": world.a.pk})
    assert resp.status_code == 302 and resp["Location"] == f"/members/?org={world.a.pk}"
    page = client.get(resp["Location"]).content.decode()
    assert "身份证号请在搜索框中输入后查询" in page


def test_search_post_stays_inside_reach(client_for, world):
    other = world.members_d[0]
    resp = client_for(world.user("sec_a")).post("/members/", {"q": full_id(other)}, headers=HTMX)
    assert other.name not in resp.content.decode()


def test_anonymous_search_post_is_sent_to_login(client):
    resp = client.post("/members/", {"q": "zs"})
    assert resp.status_code == 302 and "/accounts/login" in resp["Location"]


# --- API ---


def with_phone(member, phone="13912345678"):
    Member.objects.filter(pk=member.pk).update(phone=phone)
    return member


def test_api_list_masks_every_phone(api_for, world):
    member = with_phone(world.members_a[2])
    resp = api_for(world.user("sec_a")).get("/api/v1/members")
    rows = {r["id"]: r for r in resp.json()["results"]}
    assert rows[member.pk]["phone"] == "139****5678"
    assert all("13912345678" not in str(r) for r in rows.values())


def test_api_detail_shows_the_full_phone_to_who_manages_the_member(api_for, world):
    member = with_phone(world.members_a[2])
    assert api_for(world.user("sec_a")).get(f"/api/v1/members/{member.pk}").json()["phone"] == (
        "13912345678"
    )


def test_api_detail_shows_a_member_their_own_phone(api_for, world):
    member = with_phone(world.members_a[1])  # member_a's own record
    body = api_for(world.user("member_a")).get(f"/api/v1/members/{member.pk}").json()
    assert body["phone"] == "13912345678"


def test_api_detail_masks_the_phone_for_a_reader_who_does_not_manage(world):
    from dangjian.members.schemas import MemberOut

    class Request:
        user = world.user("sec_b")

    member = with_phone(world.members_a[2])
    member.refresh_from_db()
    out = MemberOut.from_orm(member, context={"request": Request()})
    assert out.phone == "139****5678"


def test_api_get_refuses_a_full_id_in_the_query(api_for, world):
    number = full_id(world.members_a[2])
    resp = api_for(world.user("sec_a")).get("/api/v1/members", {"q": number})
    assert resp.status_code == 422 and "POST /members/search" in resp.json()["detail"]


def test_api_search_by_post_finds_by_full_id(api_for, world):
    member = world.members_a[2]
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/members/search", {"q": full_id(member)}, content_type="application/json"
    )
    assert resp.status_code == 200
    assert [r["id"] for r in resp.json()["results"]] == [member.pk]


def test_api_search_stays_inside_reach(api_for, world):
    other = world.members_d[0]
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/members/search", {"q": full_id(other)}, content_type="application/json"
    )
    assert resp.json()["count"] == 0
