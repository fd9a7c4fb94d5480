"""The staff shell on a phone: the side menu is an offcanvas, pages do not overflow."""

import pytest

from tests.e2e.test_backbone import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_secretary_on_a_phone_opens_the_menu_and_reaches_a_page(phone390, live_server, world):
    page = phone390
    login(page, live_server.url, "sec_a")
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_selector("h1:has-text('工作台')")
    assert page.evaluate(NO_OVERFLOW)
    # The side menu is hidden until the top bar's button opens it.
    assert not page.locator("#dj-menu").is_visible()
    top = page.locator("header.dj-topbar").bounding_box()
    assert top["height"] <= 56  # one line: the top bar never wraps
    page.click("button[aria-controls=dj-menu]")
    page.wait_for_selector("#dj-menu.show")
    page.locator("#dj-menu >> text=三会一课").click()
    page.wait_for_url(f"{live_server.url}/meetings/")
    page.wait_for_selector("h1")
    assert "三会一课" in page.inner_text("h1")
    assert page.evaluate(NO_OVERFLOW)
    page.goto(f"{live_server.url}/members/")
    page.wait_for_selector("table")
    assert page.evaluate(NO_OVERFLOW)


def test_desktop_shows_the_menu_without_a_button(page, live_server, world):
    login(page, live_server.url, "sec_a")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("#dj-menu").is_visible()
    assert not page.locator("button[aria-controls=dj-menu]").is_visible()
    assert page.locator("#wb-todos").is_visible()
