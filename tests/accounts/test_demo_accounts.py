"""The README's demo accounts work as written: no password change forced on them."""

import pytest

from dangjian.core.demo import DEMO_PASSWORD
from dangjian.core.management.commands.demo import DEMO_ACCOUNTS, build_demo


@pytest.mark.django_db
def test_demo_accounts_are_exempt_from_the_one_time_password(client):
    build_demo(scale="small", seed=2026, app_demos=False)
    for username, _ in DEMO_ACCOUNTS:
        client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        home = client.get("/", follow=True)
        assert home.status_code == 200, username
        assert "/accounts/password/" not in [url for url, _ in home.redirect_chain], username
        client.post("/accounts/logout/")
        resp = client.post(
            "/api/v1/auth/token",
            {"username": username, "password": DEMO_PASSWORD},
            content_type="application/json",
        )
        token = resp.json()["token"]
        me = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, username
