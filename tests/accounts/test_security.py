import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

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


def test_audit_log_is_append_only(world):
    entry = AuditEntry.objects.first()
    entry.verb = "改写"
    with pytest.raises(ValueError, match="只能追加"):
        entry.save()
    with pytest.raises(ValueError, match="只能追加"):
        entry.delete()
