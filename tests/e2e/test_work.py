"""党建+业务 on a 390 px phone and a 1440 px screen: the board's phase columns stack without
widening the page, and a member reports progress on his task from the phone."""

import datetime as dt

import pytest

from tests.e2e.test_backbone import login
from tests.work.conftest import make_initiative, make_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_fits_and_member_reports_on_the_phone(browser, live_server, world):
    from dangjian.work.models import Phase

    make_initiative(world.a, title="预算编制攻坚", phase=Phase.DEPLOY)
    task = make_task(
        make_initiative(world.a, title="窗口提速"),
        member=world.members_a[1],
        due=dt.date.today() + dt.timedelta(days=10),
        title="先锋岗攻坚",
    )
    problems = []
    for width in (390, 1440):
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        login(page, live_server.url, "sec_a")
        page.goto(f"{live_server.url}/work/")
        assert "预算编制攻坚" in page.inner_text("#initiative-board")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        context.close()
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 800})
    phone = context.new_page()
    phone.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    login(phone, live_server.url, "member_a")
    phone.wait_for_url(f"{live_server.url}/members/me/")
    phone.goto(f"{live_server.url}/work/m/tasks/")
    phone.click("text=先锋岗攻坚")
    phone.fill("#id_percent", "40")
    phone.fill("#id_note", "已完成一半")
    phone.click("button:has-text('报告')")
    phone.wait_for_url(f"{live_server.url}/work/m/tasks/{task.pk}/")
    assert "已完成一半" in phone.inner_text("#notes")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert not problems
    context.close()
