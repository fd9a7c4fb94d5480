"""A member rates a duty report on a 390 px phone (one tap per rating, anonymous), and the
inspection board fits 390 px and 1440 px, with no CSP violation."""

import pytest
from django.utils import timezone

from dangjian.assessment.supervision import duty, inspections
from dangjian.assessment.supervision.models import DutyBallot
from tests.e2e.test_backbone import login
from tests.factories import SYSTEM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEXT = "本年度支部落实三会一课、党费收缴和学习教育情况的述职报告，存在不足和整改方向。"


def test_member_rates_on_the_phone_and_the_board_fits(browser, live_server, world):
    report = duty.duty_report_create(
        actor=SYSTEM,
        org=world.a,
        year=timezone.localdate().year,
        reporter=world.members_a[0],
        text=TEXT,
    )
    camp = inspections.inspection_create(
        actor=SYSTEM, org=world.c1, title="年度督查", year=timezone.localdate().year
    )
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = context.new_page()
    problems = []
    phone.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    login(phone, live_server.url, "member_a")
    phone.wait_for_url(f"{live_server.url}/members/me/")
    phone.goto(f"{live_server.url}/assessment/duty-reports/")
    phone.get_by_text("去评议").first.click()
    phone.get_by_text("较好").click()
    phone.get_by_role("button", name="提交评议").click()
    phone.get_by_text("您已评议").wait_for()
    assert list(DutyBallot.objects.values_list("report_id", "rating")) == [(report.pk, "fair")]
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    context.close()
    for width in (390, 1440):
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        login(page, live_server.url, "c1_admin")
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/assessment/inspections/{camp.pk}/")
        page.get_by_text("已督查 0 / 2 个党支部").wait_for()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        context.close()
    assert not problems
