"""Shared fixtures: a small agency system and the matrix of users who look at it.

    work committee W
    ├── committee C1
    │   ├── branch A (group GA)   secretary sec_a, plain members member_a and peer_a
    │   └── branch B              secretary sec_b
    └── committee C2
        └── branch D

Users: admin (platform admin), wc_admin (staff at W), c1_admin (staff at C1),
sec_a, sec_b, member_a and peer_a (no position, linked to members of A: 李四 and 赵六;
peer_a is the plain member of the same branch whom the scope matrix shows only what a
member needs to know), and anonymous.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from tests.factories import give_role, make_member, make_org, make_user


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = True


@pytest.fixture
def fresh_rate_limits(monkeypatch):
    """Rate-limit counters of this test's own: the client address the limits count by is
    unique to the test. Not ``cache.clear()``: with Redis that empties the database every
    test process shares, sessions included, under the other process's running requests."""
    import uuid

    from dangjian.core import ratelimit

    address = f"test-{uuid.uuid4().hex}"
    monkeypatch.setattr(ratelimit, "client_address", lambda request: address)


@dataclass
class World:
    w: object
    c1: object
    c2: object
    a: object
    ga: object
    b: object
    d: object
    members_a: list
    members_b: list
    members_d: list
    users: dict

    def user(self, name):
        return self.users[name]


@pytest.fixture
def world(db) -> World:
    w = make_org("市直机关工委", "work_committee")
    c1 = make_org("市财政局机关党委", "committee", w)
    c2 = make_org("市教育局机关党委", "committee", w)
    a = make_org("预算处党支部", "branch", c1)
    ga = make_org("第一党小组", "group", a)
    b = make_org("国库处党支部", "branch", c1)
    d = make_org("基础教育处党支部", "branch", c2)
    members_a = [make_member(a, n) for n in ["张三", "李四", "王五", "赵六"]]
    members_b = [make_member(b, n) for n in ["钱七", "孙八"]]
    members_d = [make_member(d, n, gender="female") for n in ["周九", "吴十"]]
    users = {
        "admin": make_user("admin", superuser=True),
        "wc_admin": make_user("wc_admin"),
        "c1_admin": make_user("c1_admin"),
        "sec_a": make_user("sec_a", member=members_a[0]),
        "sec_b": make_user("sec_b", member=members_b[0]),
        "member_a": make_user("member_a", member=members_a[1]),
        "peer_a": make_user("peer_a", member=members_a[3]),
    }
    give_role(users["wc_admin"], w, "staff")
    give_role(users["c1_admin"], c1, "staff")
    give_role(users["sec_a"], a, "secretary")
    give_role(users["sec_b"], b, "secretary")
    return World(w, c1, c2, a, ga, b, d, members_a, members_b, members_d, users)


@pytest.fixture
def client_for(client):
    """``client_for(user)``: a test client logged in as ``user`` (None: anonymous)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture
def api_for():
    """``api_for(user)``: a client whose requests carry a bearer token for ``user``."""
    from django.test import Client

    from dangjian.api.auth import token_issue

    def make(user):
        headers = {}
        if user is not None:
            headers["Authorization"] = f"Bearer {token_issue(user=user)}"
        return Client(headers=headers)

    return make


def pytest_configure(config):
    """Passwords are hashed with cheap Argon2 (tests/hashers.py). Under ``make test``
    (pytest-xdist) each process gets its own cache key prefix, so that processes sharing one
    Redis database (CI's second run) never read each other's keys."""
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    settings.PASSWORD_HASHERS = [
        "tests.hashers.CheapArgon2PasswordHasher" if "Argon2" in h else h
        for h in settings.PASSWORD_HASHERS
    ]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        from django.core.cache import caches

        settings.CACHES["default"]["KEY_PREFIX"] = worker
        caches.__dict__.pop("settings", None)  # the handler re-reads CACHES on next use
