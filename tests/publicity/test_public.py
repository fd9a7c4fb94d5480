"""The public portal: anonymous readers see published public items only; feeds; rate limit."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from dangjian.publicity import services
from dangjian.publicity.models import Scope
from tests.publicity.conftest import (
    make_article,
    make_role_model,
    png,
    publish,
    published_article,
    staff_trio,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit(fresh_rate_limits):
    """Every test here counts its own requests (``fresh_rate_limits``)."""


@pytest.fixture
def items(world):
    trio = staff_trio(world)
    public = published_article(world, scope=Scope.PUBLIC, title="公开动态", trio=trio, cover=png())
    party = published_article(world, scope=Scope.PARTY, title="党内动态", trio=trio)
    draft = make_article(world.c1, scope=Scope.PUBLIC, title="未审草稿")
    withdrawn = published_article(world, scope=Scope.PUBLIC, title="已撤回动态", trio=trio)
    services.publication_withdraw(actor=trio[2], item=withdrawn, reason="更正")
    model = publish(
        make_role_model(
            world.c1, world.members_a[1], author=trio[0], scope=Scope.PUBLIC, honour="优秀共产党员"
        ),
        reviewer=trio[1],
        approver=trio[2],
    )
    disclosure = services.disclosure_assemble(
        actor=trio[0], org=world.a, year=2026, scope=Scope.PUBLIC
    )
    publish(disclosure, reviewer=trio[1], approver=trio[2])
    return {
        "public": public,
        "party": party,
        "draft": draft,
        "withdrawn": withdrawn,
        "model": model,
        "disclosure": disclosure,
    }


def test_anonymous_sees_only_published_public_items(client, items):
    index = client.get("/public/").content.decode()
    assert "公开动态" in index and "党内动态" not in index and "未审草稿" not in index
    assert "已撤回动态" not in index and "李四" in index
    listing = client.get("/public/articles/").content.decode()
    assert "公开动态" in listing and "党内动态" not in listing
    assert client.get(f"/public/articles/{items['public'].pk}/").status_code == 200
    for key in ("party", "draft", "withdrawn"):
        assert client.get(f"/public/articles/{items[key].pk}/").status_code == 404, key


def test_public_pages_need_no_session_and_show_no_staff_names(client, items):
    page = client.get(f"/public/articles/{items['public'].pk}/").content.decode()
    assert "pub_writer" not in page and "审核" not in page
    assert client.get(f"/public/role-models/{items['model'].pk}/").status_code == 200
    disclosure = client.get(f"/public/disclosures/{items['disclosure'].pk}/").content.decode()
    assert "组织生活" in disclosure


def test_cover_is_served_for_public_articles_only(client, items):
    resp = client.get(f"/public/articles/{items['public'].pk}/cover/")
    assert resp.status_code == 200
    assert b"".join(resp.streaming_content).startswith(b"\x89PNG")
    assert client.get(f"/public/articles/{items['party'].pk}/cover/").status_code == 404


def test_atom_feed_lists_public_articles(client, items):
    resp = client.get("/public/feed.atom")
    assert resp["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(resp.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert titles == ["公开动态"]


def test_json_feed_lists_public_articles(client, items):
    resp = client.get("/public/feed.json")
    body = json.loads(resp.content)
    assert body["version"] == "https://jsonfeed.org/version/1.1"
    assert [i["title"] for i in body["items"]] == ["公开动态"]
    assert body["items"][0]["url"].endswith(f"/public/articles/{items['public'].pk}/")
    assert body["items"][0]["image"].endswith("/cover/")


def test_public_pages_are_rate_limited(client, world, settings):
    settings.PUBLIC_READS_PER_MINUTE = 3
    codes = [client.get("/public/articles/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "请求过于频繁" in client.get("/public/").content.decode()


def test_public_search_and_bad_input_do_not_fail(client, items):
    assert client.get("/public/articles/?q=公开&category=nope&page=abc").status_code == 200
    assert client.get("/public/disclosures/?year=abcd").status_code == 200
    assert client.get("/public/articles/999999999/").status_code == 404
