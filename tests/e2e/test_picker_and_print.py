"""The member picker on a phone (390 px) and the print styles, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_backbone import login
from tests.e2e.test_shell import NO_OVERFLOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_picks_the_member_to_transfer_by_initials_on_a_phone(
    phone390, live_server, world
):
    page = phone390
    login(page, live_server.url, "sec_a")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/development/transfers/")
    box = page.locator("#id_member")
    box.fill("ww")
    option = page.locator(".dj-picker-results label", has_text="王五")
    option.wait_for()
    # The answer to "ww" itself (not to the focus, which lists the first few): only 王五.
    expect(page.locator(".dj-picker-results label")).to_have_count(1)
    assert "预算处党支部" in option.inner_text() and "尾号" in option.inner_text()
    assert option.bounding_box()["height"] >= 44  # a touch target
    assert page.evaluate(NO_OVERFLOW)
    # Keyboard: ArrowDown reaches the suggestion, Space ticks it; Enter in the box does not
    # submit the form.
    box.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    wang = page.locator(f"[data-picker] input[value='{world.members_a[2].pk}']:checked")
    wang.wait_for()
    box.fill("zl")  # 赵六: a new search keeps 王五 chosen
    page.locator(".dj-picker-results label", has_text="赵六").wait_for()
    page.keyboard.press("Enter")
    chosen = page.locator(".dj-picker-chosen input:checked")
    assert chosen.count() == 1 and chosen.get_attribute("value") == str(world.members_a[2].pk)
    assert page.url == f"{live_server.url}/development/transfers/"


def test_printing_the_member_record_hides_buttons_menu_and_forms(page, live_server, world):
    login(page, live_server.url, "sec_a")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/members/{world.members_a[2].pk}/")
    edit = page.locator("main a.btn", has_text="修改")
    assert edit.is_visible() and page.locator("header.dj-topbar").is_visible()
    foot = page.locator("footer.dj-print-foot")
    assert not foot.is_visible()
    page.emulate_media(media="print")
    # Every printed sheet carries the org's name and the date (Beijing time).
    assert foot.is_visible()
    text = foot.inner_text()
    assert world.a.name in text and "打印于" in text and "年" in text
    assert not edit.is_visible()
    assert page.locator("main .btn:visible").count() == 0
    assert not page.locator("header.dj-topbar").is_visible()
    assert not page.locator("#dj-menu").is_visible()
    assert page.locator("main form:visible").count() == 0
    # The record takes the full width.
    main = page.locator("main.dj-main").bounding_box()
    assert main["width"] >= page.viewport_size["width"] - 2
    assert page.locator("main h1").is_visible()
