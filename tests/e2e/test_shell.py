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


@pytest.fixture
def two_hats(world):
    """王五 of branch A, staff of committee C1 and organizer of branch A: the widest top bar
    (org switcher, search, inbox, 我的, user menu)."""
    from tests.factories import give_role, make_user

    user = make_user("two_hats", member=world.members_a[2])
    give_role(user, world.c1, "staff")
    give_role(user, world.a, "organizer")
    return world


def test_top_bar_on_a_phone_is_one_line_with_switcher_and_search_icons(
    phone390, live_server, two_hats
):
    page = phone390
    login(page, live_server.url, "two_hats")
    page.wait_for_url(f"{live_server.url}/")
    bar = page.locator("header.dj-topbar")
    assert bar.bounding_box()["height"] <= 56  # one line: the top bar never wraps
    assert page.evaluate(NO_OVERFLOW)
    for item in bar.locator(".dj-icon-btn:visible").all():
        box = item.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 56
        assert box["x"] + box["width"] <= 390
    # The switcher: pick branch A, the dues sheet opens on it.
    page.click(".dj-org-switch button.dropdown-toggle")
    page.click(".dj-org-switch .dropdown-item:has-text('预算处党支部')")
    page.wait_for_selector(".alert:has-text('当前工作组织：预算处党支部')")
    page.goto(f"{live_server.url}/dues/")
    page.wait_for_selector("h1")
    assert "预算处党支部" in page.inner_text("main")
    # Search is an icon that opens the search page.
    assert not page.locator("form.dj-search").is_visible()
    page.click("header a[aria-label=搜索]")
    page.wait_for_url(f"{live_server.url}/search/")
    page.fill("#dj-search-q", "zs")
    page.click("main button:has-text('搜索')")
    page.wait_for_url("**/search/?q=zs")
    assert "张三" in page.inner_text("main")
    assert page.evaluate(NO_OVERFLOW)


def test_top_bar_on_a_desktop_searches_from_its_box(page, live_server, two_hats):
    login(page, live_server.url, "two_hats")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("header.dj-topbar").bounding_box()["height"] <= 56
    page.fill("form.dj-search input[name=q]", "国库")
    page.press("form.dj-search input[name=q]", "Enter")
    page.wait_for_url("**/search/?q=*")
    assert "国库处党支部" in page.inner_text("main")
