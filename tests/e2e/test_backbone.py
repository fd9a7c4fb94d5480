"""A person at a real browser: log in, open the tree, find a member by pinyin initials."""

import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_secretary_finds_member_by_initials_and_opens_detail(page, live_server, world):
    login(page, live_server.url, "c1_admin")
    page.wait_for_url(f"{live_server.url}/")
    page.click("text=组织架构")
    # The tree opens its first level by itself; expand the committee.
    page.wait_for_selector("text=市财政局机关党委")
    node = page.locator("li.node", has_text="市财政局机关党委").first
    node.locator(".toggle").first.wait_for()
    page.wait_for_selector("text=预算处党支部")
    assert page.locator("text=国库处党支部").count() == 1

    page.click("text=党员管理")
    page.fill("main input[name=q]", "zs")
    page.wait_for_function("() => document.querySelectorAll('#member-table tbody tr').length === 1")
    assert "张三" in page.inner_text("#member-table")
    page.click("#member-table >> text=张三")
    page.wait_for_selector("h1:has-text('张三')")
    assert "变动记录" in page.content()
    assert page.locator("text=330***********").count() >= 1


def test_member_phone_page_fits_360px(phone, live_server, world):
    login(phone, live_server.url, "member_a")
    phone.wait_for_url(f"{live_server.url}/members/me/")
    assert phone.inner_text("body").count("李四") >= 1
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360


def test_lockout_after_five_failures(page, live_server, world):
    for _ in range(5):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "sec_a")
        page.fill("#id_password", "wrong-password")
        page.click("button[type=submit]")
    login(page, live_server.url, "sec_a")
    assert "锁定" in page.content()
