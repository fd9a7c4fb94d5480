"""Pages kept per user (core.pagecache), on the member's home: served from the cache while
nothing it shows has changed, rendered afresh as soon as something has, never with another
response's CSRF token or CSP nonce."""

import re

import pytest
from django.contrib.messages import INFO
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dangjian.core.models import Notification
from dangjian.members import services
from dangjian.orgs.models import Position
from dangjian.orgs.services import org_update
from tests.factories import make_user

pytestmark = pytest.mark.django_db

HOME = "/members/me/"


def _kept(client, django_assert_max_num_queries) -> str:
    """The home, asserted to come from the cache (the session, the user and the stamp)."""
    with django_assert_max_num_queries(3):
        return client.get(HOME).content.decode()


@pytest.fixture
def home(world, client_for):
    client = client_for(world.user("member_a"))
    client.get("/healthz")
    client.get(HOME)  # rendered and kept
    return client


def test_a_kept_page_is_the_rendered_page(home, django_assert_max_num_queries):
    fresh = home.get("/healthz") and home.get(HOME).content.decode()
    kept = _kept(home, django_assert_max_num_queries)
    strip = re.compile(r'(content|value|nonce)="[^"]*"')
    assert strip.sub("", kept) == strip.sub("", fresh) and "李四" in kept


def test_each_kept_response_has_its_own_token_and_nonce(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("member_a"))
    client.get(HOME)
    response = client.get(HOME)
    body = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in body and "\x00" not in body
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    assert re.search(r'<meta name="csrf-token" content="([^"]+)"', body).group(1) == token
    # the kept page's token is good for this session: the logout form works
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302


def test_a_change_of_the_member_shows_at_once(home, world, django_assert_max_num_queries):
    member = world.members_a[1]
    services.member_update(actor=world.user("sec_a"), member=member, phone="13912345678")
    assert "13912345678" in home.get(HOME).content.decode()
    assert "13912345678" in _kept(home, django_assert_max_num_queries)


def test_a_new_message_and_a_read_one_change_the_badge(home, world):
    note = Notification.objects.create(user=world.user("member_a"), title="请参加主题党日")
    assert '<span class="dj-count">1</span>' in home.get(HOME).content.decode()
    note.read_at = note.created_at
    note.save()
    assert 'class="dj-count"' not in home.get(HOME).content.decode()


def test_a_renamed_org_and_a_new_position_show_at_once(home, world):
    org_update(actor=world.user("admin"), org=world.a, name="预算与绩效处党支部")
    assert "预算与绩效处党支部" in home.get(HOME).content.decode()
    Position.objects.create(org=world.c1, role="organizer", member=world.members_a[1])
    body = home.get(HOME).content.decode()
    assert "市财政局机关党委" in body and "组织委员" in body


def test_flash_messages_are_never_kept(home, rf):
    # a waiting message is shown by a fresh render, and the next page is kept again
    storage = CookieStorage(rf.get(HOME))
    home.cookies["messages"] = storage._encode([Message(INFO, "已保存")])
    assert "已保存" in home.get(HOME).content.decode()
    assert "已保存" not in home.get(HOME).content.decode()


def test_an_administrators_home_is_not_kept(world, client_for):
    client = client_for(make_user("boss", superuser=True, member=world.members_a[2]))
    client.get(HOME)
    with CaptureQueriesContext(connection) as captured:
        client.get(HOME)
    assert len(captured.captured_queries) > 3  # rendered again, not kept
