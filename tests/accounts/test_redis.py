"""The scaled-out setting: with ``REDIS_URL`` the cache and the sessions live in Redis.

The tests use ``REDIS_URL`` when it is set (CI's second run), else the Redis on this
machine at database 9. They refuse database 0 (they write test keys there), and they are
skipped when no Redis answers. They never flush it: under ``make test`` another process may
be using the same database as its cache (``tests/conftest.py`` gives each a key prefix)."""

import os
import socket
from urllib.parse import urlparse

import pytest
from django.core.cache import cache

from tests.factories import PASSWORD

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/9"


def _unusable(url: str) -> str:
    parts = urlparse(url)
    if parts.path.strip("/") in ("", "0"):
        return f"{url} names database 0: the tests write to their database, give them a test number"
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 1).close()
    except OSError:
        return f"no Redis answers at {url}"
    return ""


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(bool(_unusable(REDIS_URL)), reason=_unusable(REDIS_URL)),
]


@pytest.fixture
def redis_sessions(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"


def test_login_keeps_the_session_in_redis(client, world, redis_sessions):
    resp = client.post("/accounts/login/", {"username": "member_a", "password": PASSWORD})
    assert resp.status_code == 302
    key = client.cookies["sessionid"].value
    assert cache.get(f"django.contrib.sessions.cache{key}")["_auth_user_id"] == str(
        world.user("member_a").pk
    )
    assert "李四" in client.get("/members/me/").content.decode()


def test_logout_removes_the_session_from_redis(client, world, redis_sessions):
    client.post("/accounts/login/", {"username": "member_a", "password": PASSWORD})
    key = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    assert cache.get(f"django.contrib.sessions.cache{key}") is None
    assert client.get("/members/me/").status_code == 302


def test_cache_round_trip(redis_sessions):
    cache.set("dangjian-test", {"n": 1}, 30)
    assert cache.get("dangjian-test") == {"n": 1}
