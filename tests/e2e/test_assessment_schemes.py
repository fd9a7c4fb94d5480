"""The assessment results on a phone (390 px) and on a desk (1440 px): the matrix scrolls
inside itself, 缺项 shows as 缺项, a target's sheet scores a manual indicator."""

import pytest
from django.utils import timezone

from dangjian.assessment.schemes import services
from tests.e2e.test_backbone import login
from tests.e2e.test_shell import NO_OVERFLOW
from tests.factories import SYSTEM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _scheme(world):
    s = services.scheme_create(
        actor=SYSTEM,
        org=world.w,
        title="年度党建考核",
        year=timezone.localdate().year,
        target_kind="branch",
        indicators=[
            {
                "code": "A1",
                "title": "整改按期销号",
                "max_score": 30,
                "method": "auto",
                "metric": "assessment:rectifications_on_time",
            },
            {"code": "A2", "title": "特色工作", "max_score": 20, "method": "manual"},
        ],
    )
    return services.scheme_publish(actor=SYSTEM, scheme=s)


@pytest.mark.parametrize("size", ["phone390", "page"])
def test_results_matrix_fits_and_a_target_is_scored(request, size, live_server, world):
    page = request.getfixturevalue(size)
    scheme = _scheme(world)
    login(page, live_server.url, "wc_admin")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/assessment/schemes/{scheme.pk}/results/")
    assert page.locator("main .dj-status-missing", has_text="缺项").count() >= 3
    assert page.evaluate(NO_OVERFLOW)
    page.locator("main table a", has_text=world.a.name).click()
    page.locator("summary", has_text="评分").click()
    a2 = scheme.indicators.get(code="A2")
    page.fill(f"#id_i{a2.pk}-score", "18")
    page.locator("main button", has_text="保存评分").click()
    page.locator(".alert", has_text="已评分").wait_for()
    assert page.locator("main .dj-status-due", has_text="已评分").count() == 1
    assert page.evaluate(NO_OVERFLOW)
