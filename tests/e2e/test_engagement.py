"""Survey results on a phone (390 px) and a desk (1440 px): every chart is drawn by ECharts
from the page's JSON (no inline script, no console error), the numbers stand beside it, and
nothing is wider than the window; the public consultation form works without login."""

import pytest

from dangjian.engagement import services
from tests.e2e.test_backbone import login
from tests.e2e.test_shell import NO_OVERFLOW
from tests.engagement.conftest import ANSWERS, make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", ["phone390", "page"])
def test_survey_results_draw_their_charts(request, size, live_server, world):
    page = request.getfixturevalue(size)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    survey = make_survey(world.a)
    services.survey_respond(actor=world.user("member_a"), survey=survey, answers=ANSWERS)
    login(page, live_server.url, "sec_a")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/engagement/surveys/{survey.pk}/")
    for number in (1, 2, 4, 5):  # the text question has no chart
        page.locator(f"#chart-{number} svg").wait_for()
    assert page.locator("main table", has_text="满意").count() >= 1
    assert page.evaluate(NO_OVERFLOW)
    page.screenshot(path=f"var/crawl/engagement-survey-{size}.png", full_page=True)
    assert errors == []


def test_public_asks_and_tracks_without_login(phone390, live_server, world):
    page = phone390
    page.goto(f"{live_server.url}/public/engagement/ask/")
    page.select_option("#id_org", str(world.a.pk))
    page.fill("#id_question", "入党申请书交给谁？")
    page.locator("main button", has_text="提交").click()
    page.locator(".alert-success", has_text="查询码").wait_for()
    assert page.evaluate(NO_OVERFLOW)
