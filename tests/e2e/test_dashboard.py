"""The 驾驶舱 in a browser (Chromium): the dashboard, a drill-down and the big screen of the
small demo, as the work committee and as a branch secretary, at 390 px, 1440 px and (the big
screen) 1920×1080 — the page crawl's checks (status, console errors, no page wider than the
window, nothing raw on screen), plus: every chart is drawn (a canvas in each chart box)."""

from __future__ import annotations

import pytest

from dangjian.core.management.commands.demo import build_demo
from tests.e2e.test_crawl import SIZES, Visitor, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/dashboard/",
    "/dashboard/panels/members/",
    "/dashboard/panels/compliance/",
    "/dashboard/screen/",
]
CHARTS = """() => Array.from(document.querySelectorAll('[data-chart]'))
  .filter(el => !el.querySelector('canvas')).length"""


def test_dashboard_pages_are_clean_and_draw_their_charts(browser, live_server):
    build_demo(scale="small", seed=2026)
    problems: list[str] = []
    sizes = {**SIZES, "1920": {"width": 1920, "height": 1080}}
    for role in ("gongwei", "shuji"):
        for size, viewport in sizes.items():
            context = browser.new_context(locale="zh-CN", viewport=viewport)
            _login(context, live_server.url, role)
            visitor = Visitor(context, live_server.url, role, size, problems)
            for path in PAGES if size != "1920" else ["/dashboard/screen/"]:
                if visitor.visit(path):
                    blank = visitor.page.evaluate(CHARTS)
                    if blank:
                        problems.append(f"{role}@{size} {path} → {blank} 个图表未绘制")
            context.close()
    assert not problems, "\n".join(problems)
