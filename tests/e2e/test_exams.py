"""A member takes an exam on a 390 px phone: the answer is saved on the server as it is
chosen (autosave, no inline script), 交卷 grades it, and the page fits the screen."""

import pytest

from dangjian.learning import exam_services
from dangjian.learning.models import Attempt
from tests.e2e.test_backbone import login
from tests.factories import SYSTEM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_takes_an_exam_on_the_phone(browser, live_server, world):
    exam = exam_services.exam_create(
        actor=SYSTEM,
        org=world.a,
        title="条例知识测试",
        pass_score=10,
        time_limit_min=20,
        questions=[
            {
                "kind": "single",
                "text": "党员每年集中学习培训一般不少于多少学时？",
                "options": ["16", "32", "56"],
                "answer": ["B"],
                "score": 10,
            }
        ],
        publish=True,
    )
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 800})
    phone = context.new_page()
    problems = []
    phone.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    phone.on("dialog", lambda d: d.accept())
    login(phone, live_server.url, "member_a")
    phone.wait_for_url(f"{live_server.url}/members/me/")
    phone.goto(f"{live_server.url}/learning/m/exams/{exam.pk}/")
    phone.get_by_role("button", name="开始考试").click()
    phone.wait_for_url("**/learning/m/attempts/**")
    with phone.expect_response(lambda r: "/learning/m/attempts/" in r.url and r.status == 204):
        phone.get_by_label("B. 32").check()
    phone.wait_for_function(
        "() => document.getElementById('autosave-status').textContent === '作答已自动保存'"
    )
    assert Attempt.objects.get().answers != {}
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="交卷").click()
    phone.wait_for_selector("#result")
    assert "得分 10 / 10" in phone.inner_text("#result")
    assert not problems
    context.close()
