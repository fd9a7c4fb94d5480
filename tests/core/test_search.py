"""The top bar's search page: members and orgs within reach, never beyond it."""

import pytest
from django.urls import reverse

from dangjian.core import crypto

pytestmark = pytest.mark.django_db

URL = reverse("core:search")


def _titles(resp) -> list[str]:
    return [hit.title for group in resp.context["groups"] for hit in group.hits]


def test_secretary_finds_own_member_by_name_pinyin_initials_and_id_tail(world, client_for):
    client = client_for(world.user("sec_a"))
    zhang = world.members_a[0]
    for q in ["张三", "zhangsan", "zs", zhang.id_number_masked[-4:]]:
        assert "张三" in _titles(client.get(URL, {"q": q})), q


def test_member_of_another_branch_never_appears(world, client_for):
    client = client_for(world.user("sec_a"))
    qian = world.members_b[0]
    for q in ["钱七", "qq", qian.id_number_masked[-4:]]:
        resp = client.get(URL, {"q": q})
        assert resp.status_code == 200
        assert "钱七" not in _titles(resp), q
        assert reverse("members:detail", args=[qian.pk]) not in resp.content.decode()
    assert "未找到" in client.get(URL, {"q": "钱七"}).content.decode()


def test_org_names_are_found_within_reach_only(world, client_for):
    assert _titles(client_for(world.user("sec_a")).get(URL, {"q": "国库"})) == []
    found = client_for(world.user("c1_admin")).get(URL, {"q": "国库"})
    assert "国库处党支部" in _titles(found)
    assert reverse("orgs:detail", args=[world.b.pk]) in found.content.decode()


def test_top_bar_post_of_a_name_lands_on_the_shareable_url(world, client_for):
    resp = client_for(world.user("sec_a")).post(URL, {"q": "张三"})
    assert resp.status_code == 302 and resp["Location"] == URL + "?q=%E5%BC%A0%E4%B8%89"


def test_full_id_number_is_searched_but_never_put_in_a_url(world, client_for):
    number = crypto.decrypt(world.members_a[0].id_number_encrypted)
    client = client_for(world.user("sec_a"))
    posted = client.post(URL, {"q": number})
    assert posted.status_code == 200  # answered in place: the number stays out of the URL
    assert _titles(posted) == ["张三"]
    typed = client.get(URL, {"q": number})
    assert typed.status_code == 302 and typed["Location"] == URL


def test_plain_member_gets_404(world, client_for):
    assert client_for(world.user("member_a")).get(URL, {"q": "张三"}).status_code == 404
