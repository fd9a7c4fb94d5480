"""The pages run under a CSP without inline script or eval: no violation on any page visited,
the delegated handlers of app.js work, and a full ID number typed in the search box never
reaches the address bar."""

import pytest

from dangjian.core import crypto
from dangjian.orgs.models import Position
from tests.e2e.test_backbone import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation (event or console report) and script error."""
    problems: list[str] = []

    def console(msg):
        if "Content Security Policy" in msg.text or "Refused to" in msg.text:
            problems.append(msg.text)

    page.add_init_script(WATCH)
    page.on("console", console)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.problems = problems
    return page


def violations(page) -> list[str]:
    return page.problems + page.evaluate("() => window.__csp || []")


def test_no_csp_violation_across_the_pages(watched, live_server, world):
    page, base = watched, live_server.url
    page.goto(f"{base}/accounts/login/")
    assert violations(page) == []
    login(page, base, "c1_admin")
    page.wait_for_url(f"{base}/")
    assert violations(page) == []

    # The tree: htmx loads the children (no eval), app.js folds and unfolds them.
    page.goto(f"{base}/orgs/")
    node = page.locator("li.node", has_text="市财政局机关党委").first
    page.wait_for_selector("text=预算处党支部")
    toggle = node.locator(":scope > .toggle")
    toggle.click()
    assert node.locator(":scope > ul").is_hidden()
    toggle.click()
    assert node.locator(":scope > ul").is_visible()
    assert violations(page) == []

    # Member list: search as you type, by pinyin initials (htmx POST, shareable URL).
    page.goto(f"{base}/members/")
    page.fill("main input[name=q]", "zs")
    page.wait_for_function("() => document.querySelectorAll('#member-table tbody tr').length === 1")
    page.wait_for_function("() => location.search === '?q=zs'")  # pushed, no page load
    assert violations(page) == []

    # Member detail: the print button (data-print) and the audited reveal (hx-confirm).
    page.click("#member-table >> text=张三")
    page.wait_for_selector("h1:has-text('张三')")
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed++; }; }")
    page.click("button[data-print]")
    assert page.evaluate("() => window.__printed") == 1
    assert violations(page) == []

    # Org detail: a refused data-confirm keeps the position.
    page.goto(f"{base}/orgs/{world.a.pk}/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("form[data-confirm] button").first.click()
    page.wait_for_timeout(300)
    assert Position.objects.filter(org=world.a, ended_on__isnull=True).exists()
    assert violations(page) == []


def test_full_id_typed_in_the_search_box_stays_out_of_the_address_bar(watched, live_server, world):
    page, base = watched, live_server.url
    member = world.members_a[2]
    number = crypto.decrypt(member.id_number_encrypted)
    login(page, base, "c1_admin")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/members/?org={world.a.pk}")
    page.fill("main input[name=q]", number)
    page.wait_for_function("() => document.querySelectorAll('#member-table tbody tr').length === 1")
    assert member.name in page.inner_text("#member-table")
    page.wait_for_timeout(300)
    assert page.url == f"{base}/members/?org={world.a.pk}"
    assert number not in page.url
    assert violations(page) == []


def test_api_docs_render_under_the_csp(watched, live_server):
    page = watched
    # The bundle is large and the icons point off-site: wait for the DOM, then for the UI.
    page.goto(f"{live_server.url}/api/v1/docs", wait_until="domcontentloaded", timeout=60000)
    page.wait_for_selector(".swagger-ui .opblock", timeout=60000)
    assert violations(page) == []
