import re
import runpy
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

import dangjian
from dangjian.core.models import AuditEntry
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["Hxqplmz5", "hxqplm5!", "HXQPLM5!", "Hxqplmz!"])
def test_three_of_four_classes_accepted(password):
    validate_password(password)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "至少需要 8 个字符"),
        ("abcdefgh", "至少 3 类"),
        ("abcdefg1", "至少 3 类"),
    ],
)
def test_weak_passwords_refused_in_chinese(password, message):
    with pytest.raises(ValidationError, match=message):
        validate_password(password)


def test_passwords_are_hashed_with_argon2(world):
    assert world.user("sec_a").password.startswith("argon2")


def test_fifth_failure_locks_the_account(client, world):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "sec_a", "password": "bad"})
    resp = client.post("/accounts/login/", {"username": "sec_a", "password": PASSWORD})
    assert "锁定" in resp.content.decode()
    assert AuditEntry.objects.filter(action="login_failed").count() >= 5


def test_login_and_failure_are_audited(client, world):
    client.post("/accounts/login/", {"username": "sec_a", "password": "bad"})
    client.post("/accounts/login/", {"username": "sec_a", "password": PASSWORD})
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "login_failed" in actions and "login" in actions


def test_idle_session_is_logged_out(client, world, settings, monkeypatch):
    settings.SESSION_IDLE_TIMEOUT = 60
    client.force_login(world.user("sec_a"))
    assert client.get("/members/").status_code == 200
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 61)
    resp = client.get("/members/")
    assert resp.status_code == 302 and "/accounts/login" in resp["Location"]


def _writes(client, url, monkeypatch):
    """What a GET of ``url`` writes: SQL writes, plus "session" when the session store saved
    (in the database or, with REDIS_URL, in Redis)."""
    from importlib import import_module

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    store = import_module(django_settings.SESSION_ENGINE).SessionStore
    saved = []
    real_save = store.save

    def save(self, *args, **kwargs):
        saved.append("session")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(store, "save", save)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    monkeypatch.setattr(store, "save", real_save)
    sql = [q["sql"] for q in captured if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))]
    return sql + saved


def test_read_requests_within_a_minute_write_nothing(client, world, monkeypatch):
    client.force_login(world.user("member_a"))
    start = time.time()  # a frozen clock: a slow machine must not move the minute
    monkeypatch.setattr(time, "time", lambda: start)
    assert _writes(client, "/healthz", monkeypatch)  # the first request stamps last_seen
    monkeypatch.setattr(time, "time", lambda: start + 59)
    assert _writes(client, "/members/me/", monkeypatch) == []
    assert _writes(client, "/healthz", monkeypatch) == []
    monkeypatch.setattr(time, "time", lambda: start + 61)
    assert "session" in _writes(client, "/healthz", monkeypatch)


def test_session_used_every_minute_outlives_the_idle_timeout(client, world, settings, monkeypatch):
    settings.SESSION_IDLE_TIMEOUT = 90
    client.force_login(world.user("sec_a"))
    real = time.time
    for minutes in range(4):  # requests 60 s apart: each refreshes last_seen
        monkeypatch.setattr(time, "time", lambda m=minutes: real() + 60 * m)
        assert client.get("/members/").status_code == 200
    monkeypatch.setattr(time, "time", lambda: real() + 60 * 3 + 91)
    assert client.get("/members/").status_code == 302


def test_audit_log_is_append_only(world):
    entry = AuditEntry.objects.first()
    entry.verb = "改写"
    with pytest.raises(ValueError, match="只能追加"):
        entry.save()
    with pytest.raises(ValueError, match="只能追加"):
        entry.delete()


# --- Headers: CSP without inline script or eval, HSTS, session cookie lifetime ---

SRC = Path(dangjian.__file__).resolve().parent
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=|\shx-on[:-]|javascript:""", re.IGNORECASE)


def csp_directives(resp) -> dict[str, list[str]]:
    header = resp["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


def test_csp_scripts_need_the_nonce_and_no_inline_or_eval(client_for, world):
    resp = client_for(world.user("sec_a")).get("/members/")
    script_src = csp_directives(resp)["script-src"]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    nonces = [s for s in script_src if s.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-") : -1]
    tags = re.findall(r"<script\b[^>]*>", resp.content.decode())
    assert len(tags) == 3 and all(f'nonce="{nonce}"' in tag for tag in tags)


def test_each_response_gets_a_fresh_nonce(client):
    first = csp_directives(client.get("/accounts/login/"))["script-src"]
    second = csp_directives(client.get("/accounts/login/"))["script-src"]
    assert first != second


def test_htmx_is_told_not_to_eval(client):
    body = client.get("/accounts/login/").content.decode()
    assert '<meta name="htmx-config" content=\'{"allowEval": false}\'>' in body


def test_no_template_carries_an_inline_handler():
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path in SRC.rglob("*.html")
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if INLINE_HANDLER.search(line)
    ]
    assert offenders == []


def load_settings(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SRC / "settings.py"))


def test_hsts_only_with_secure_cookies(monkeypatch):
    plain = load_settings(monkeypatch, SECURE_COOKIES="false")
    assert plain["SECURE_HSTS_SECONDS"] == 0 and "SECURE_PROXY_SSL_HEADER" not in plain
    secure = load_settings(monkeypatch, SECURE_COOKIES="true")
    assert secure["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert secure["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_https_behind_the_proxy_gets_the_hsts_header(client, settings, monkeypatch):
    secure = load_settings(monkeypatch, SECURE_COOKIES="true")
    settings.SECURE_HSTS_SECONDS = secure["SECURE_HSTS_SECONDS"]
    settings.SECURE_PROXY_SSL_HEADER = secure["SECURE_PROXY_SSL_HEADER"]
    resp = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert resp["Strict-Transport-Security"] == "max-age=31536000"


def test_session_cookie_ends_with_the_browser_by_default(client, world):
    client.post("/accounts/login/", {"username": "sec_a", "password": PASSWORD})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie.value and cookie["max-age"] == "" and cookie["expires"] == ""


def test_remember_me_keeps_the_cookie_for_the_session_age(client, world):
    client.post("/accounts/login/", {"username": "sec_a", "password": PASSWORD, "remember": "on"})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == django_settings.SESSION_COOKIE_AGE
    assert client.get("/members/").status_code == 200


def test_login_page_offers_remember_me(client):
    body = client.get("/accounts/login/").content.decode()
    assert 'name="remember"' in body and "记住我" in body
