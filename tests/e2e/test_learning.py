"""A member studies a lesson on a 390 px phone: the player starts a session and the
progress bar moves by the server's answer, with no CSP violation."""

import pytest

from tests.e2e.test_backbone import login
from tests.learning.conftest import make_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_studies_a_text_lesson_and_the_bar_moves_by_the_server(browser, live_server, world):
    lessons = [{"title": "条例要点", "kind": "text", "body": "<p>每年不少于32学时。</p>"}]
    lesson = make_course(world.a, lessons).lessons.get()
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 800})
    phone = context.new_page()
    problems = []
    phone.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    login(phone, live_server.url, "member_a")
    phone.wait_for_url(f"{live_server.url}/members/me/")
    with phone.expect_response(lambda r: r.url.endswith("/sessions")) as started:
        phone.goto(f"{live_server.url}/learning/m/lessons/{lesson.pk}/")
    assert started.value.status == 201
    assert phone.inner_text("[data-study-percent]") == "0%"
    # A heartbeat now (the page reports on becoming visible): the server credits only the
    # few seconds that passed, and the bar shows what it answered. Two real seconds first, so
    # that the credit (1/60 of the dwell per second) shows as at least 1 %.
    phone.wait_for_timeout(2000)
    with phone.expect_response(lambda r: r.url.endswith("/heartbeat")) as beat:
        phone.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    assert beat.value.status == 200
    percent = beat.value.json()["percent"]
    phone.wait_for_function(
        f"() => document.querySelector('[data-study-percent]').textContent === '{percent}%'"
    )
    assert 0 < percent < 100
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert not problems
    context.close()
