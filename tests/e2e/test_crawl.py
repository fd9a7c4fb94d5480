"""A crawl of the demo system: every page reachable from the menu and the workbench (and the
first detail pages of each list, and the primary action of each detail page: the meeting's
"登记会议记录" form, the member's "修改" form; opened, never submitted) as each demo role, on a
phone and on a desktop.

It fails on a status other than 200, a console error, a page wider than the window, and
visible text that shows something raw: a Python literal, a bare snake_case enum value, an
amount with more than two decimals. All problems are reported at once (url -> problem).
Screenshots go to ``var/crawl/<role>/<size>/<slug>.png`` (git-ignored) for a person to look at.
With ``DJ_GUIDE_SHOTS=1`` (``make guide-shots``) the shots the user guides show (``GUIDE_SHOTS``)
are copied to ``docs/guide/img/`` as small JPEGs, to be committed with the guides.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dangjian.core.demo import DEMO_PASSWORD
from dangjian.core.management.commands.demo import build_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["admin", "gongwei", "dangwei", "shuji", "dangyuan"]
SIZES = {"390": {"width": 390, "height": 844}, "1440": {"width": 1440, "height": 900}}
DETAILS_PER_LIST = 2  # detail links followed from each list page
PAGES_PER_ROLE = 33  # cap per role (menu, top bar with 帮助, workbench, details); actions on top
# /meetings/169/ and /meetings/170/ are one page: one of each shape per role.
GUIDES = "/help/"  # the 帮助 link opens the role's guide; the other guides are not its details
SHOTS = Path(__file__).resolve().parents[2] / "var" / "crawl"
GUIDE_IMG = Path(__file__).resolve().parents[2] / "docs" / "guide" / "img"
# docs/guide/img/<name>.jpg ← var/crawl/<role>/<size>/<first slug matching the pattern>.png
GUIDE_SHOTS: dict[str, tuple[str, str, str]] = {
    "secretary-workbench": ("shuji", "1440", "home"),
    "secretary-workbench-phone": ("shuji", "390", "home"),
    "secretary-meetings": ("shuji", "1440", "meetings"),
    "secretary-plan": ("shuji", "1440", "meetings-plan*"),
    "secretary-record": ("shuji", "1440", "meetings-[0-9]*-record"),
    "secretary-record-phone": ("shuji", "390", "meetings-[0-9]*-record"),
    "secretary-dues": ("shuji", "1440", "dues"),
    "secretary-arrears": ("shuji", "1440", "dues-arrears-org-*"),
    "secretary-development": ("shuji", "1440", "development-cases"),
    "secretary-case": ("gongwei", "1440", "development-cases-[0-9]*"),
    "secretary-board": ("shuji", "1440", "standards-board"),
    "member-home": ("dangyuan", "390", "members-me"),
    "member-inbox": ("dangyuan", "390", "inbox"),
    "member-meetings": ("dangyuan", "390", "meetings-m"),
    "member-code": ("dangyuan", "390", "meetings-m-code"),
    "member-dues": ("dangyuan", "390", "dues-me"),
    "committee-workbench": ("dangwei", "1440", "home"),
    "committee-heatmap": ("dangwei", "1440", "standards-heatmap"),
    "committee-meetings": ("dangwei", "1440", "meetings"),
    "committee-dues": ("dangwei", "1440", "dues"),
    "committee-development": ("dangwei", "1440", "development-cases"),
    "committee-orgs": ("dangwei", "1440", "orgs"),
    "committee-audit": ("dangwei", "1440", "audit"),
    "leader-workbench": ("gongwei", "1440", "home"),
    "leader-heatmap": ("gongwei", "1440", "standards-heatmap"),
}
GUIDE_WIDTH = 1000  # desktop shots are scaled down to this width; phone shots keep theirs

# Links that are not pages to look at: files, logout, the API and its docs, the admin.
SKIP = re.compile(
    r"^/(accounts/logout|api/|admin/|static/|media/)|\.(xlsx|csv|pdf|docx|zip)$"
    r"|/(export|download|print|template)(/|$)"
)

RAW = [
    ("Python 字面量", re.compile(r"\{'|\['")),
    ("Python 常量", re.compile(r"(?<![A-Za-z])(None|True|False)(?![A-Za-z])")),
    ("枚举原值", re.compile(r"(?<![A-Za-z0-9_@./-])[a-z]+(?:_[a-z]+)+(?![A-Za-z0-9_@./-])")),
    ("金额超过两位小数", re.compile(r"(?<![\d.])\d+\.\d{3,}(?![\d.])")),
]

VISIBLE_TEXT = "() => document.body.innerText"
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
# A page's primary action is its party-red button (``btn-dj``), e.g. 登记会议记录.
ACTION = "main a.btn-dj[href]"
LINKS = """(selector) => {
  return Array.from(document.querySelectorAll(selector))
    .filter(a => a.offsetParent !== null || a.closest('#dj-menu'))
    .map(a => a.getAttribute('href'));
}"""


def _local(href: str | None) -> str | None:
    """The path (and query) of a link to a page of this site, or None."""
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if SKIP.search(parts.path) or re.search(r"(^|&)format=(xlsx|csv|pdf)", parts.query):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"


def raw_text_problems(text: str) -> list[str]:
    """What in a page's visible text looks raw: one line per kind, with what matched."""
    found = []
    for label, pattern in RAW:
        matches = list(dict.fromkeys(m.group(0) for m in pattern.finditer(text)))
        if matches:
            first = pattern.search(text)
            start = max(first.start() - 12, 0)
            context = text[start : first.end() + 12].replace("\n", " ")
            found.append(f"{label}: {'、'.join(matches[:8])}（…{context}…）")
    return found


def _login(context, base: str, username: str) -> None:
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("domcontentloaded")
    page.close()


class Visitor:
    """One browser tab of one role at one size, collecting problems as it goes."""

    def __init__(self, context, base: str, role: str, size: str, problems: list[str]):
        self.page = context.new_page()
        self.page.set_default_timeout(20000)
        self.base, self.role, self.size, self.problems = base, role, size, problems
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def visit(self, path: str) -> bool:
        self.errors.clear()
        where = f"{self.role}@{self.size} {path}"
        try:
            response = self.page.goto(f"{self.base}{path}", wait_until="load")
        except Exception as exc:  # a timeout or a crashed page is a problem, not a stop
            self.problems.append(f"{where} → 打不开: {exc}".splitlines()[0])
            return False
        status = response.status if response else 0
        landed = urlsplit(self.page.url).path
        if status != 200:
            self.problems.append(f"{where} → HTTP {status}")
        if landed.startswith("/accounts/login"):
            self.problems.append(f"{where} → 被送回登录页")
        for error in self.errors:
            self.problems.append(f"{where} → 控制台错误: {error[:160]}")
        overflow = self.page.evaluate(OVERFLOW)
        if overflow > 0:
            self.problems.append(f"{where} → 横向溢出 {overflow}px")
        for problem in raw_text_problems(self.page.evaluate(VISIBLE_TEXT)):
            self.problems.append(f"{where} → {problem}")
        shot = SHOTS / self.role / self.size / f"{_slug(path)}.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(shot))
        return status == 200

    def links(self, selector: str = "a[href]") -> list[str]:
        seen: list[str] = []
        for href in self.page.evaluate(LINKS, selector):
            path = _local(href)
            if path and path not in seen:
                seen.append(path)
        return seen


def _pages_of(visitor: Visitor) -> list[str]:
    """Visit home, the menu and the workbench; then up to two detail pages of each list; then
    the primary action (a GET: the form opens, nothing is submitted) of each page of one
    object, whether the menu, the workbench or a list led to it."""
    shapes: set[str] = {"/"}

    def take(paths: list[str], limit: int) -> list[str]:
        """Up to ``limit`` paths of shapes not seen yet (only those taken count as seen: a
        link left out for the cap may still come as another page's detail or action)."""
        taken: list[str] = []
        for path in paths:
            if len(taken) < limit and _shape(path) not in shapes:
                shapes.add(_shape(path))
                taken.append(path)
        return taken

    actions: list[str] = []

    def visit(path: str) -> bool:
        """Visit a page; on the page of one object (a number in its path) note its action."""
        if not visitor.visit(path):
            return False
        if re.search(r"\d", urlsplit(path).path):
            actions.extend(take(visitor.links(ACTION), 1))
        return True

    visitor.visit("/")
    pages = ["/", *take(visitor.links(), PAGES_PER_ROLE - 1)]  # menu, top bar, workbench
    details: list[str] = []
    for path in pages[1:]:
        if not visit(path):
            continue
        list_path = urlsplit(path).path
        if list_path.startswith(GUIDES):
            continue
        below = [
            p
            for p in visitor.links("main a[href]")
            if p.startswith(list_path) and urlsplit(p).path != list_path
        ]
        room = PAGES_PER_ROLE - len(pages) - len(details)
        details += take(below, max(min(DETAILS_PER_LIST, room), 0))
    for path in details:
        visit(path)
    for path in actions:
        visitor.visit(path)
    return pages + details + actions


def test_every_page_of_every_role_is_clean_at_both_sizes(browser, live_server, capsys):
    shutil.rmtree(SHOTS, ignore_errors=True)  # only this run's pictures
    started = time.monotonic()
    build_demo(scale="small", seed=2026)
    built = time.monotonic() - started
    problems: list[str] = []
    visited = 0
    for role in ROLES:
        desktop = browser.new_context(locale="zh-CN", viewport=SIZES["1440"])
        _login(desktop, live_server.url, role)
        state = desktop.storage_state()
        pages = _pages_of(Visitor(desktop, live_server.url, role, "1440", problems))
        desktop.close()
        phone = browser.new_context(
            locale="zh-CN",
            viewport=SIZES["390"],
            is_mobile=True,
            has_touch=True,
            storage_state=state,
        )
        small = Visitor(phone, live_server.url, role, "390", problems)
        for path in pages:
            small.visit(path)
        phone.close()
        visited += 2 * len(pages)
    with capsys.disabled():
        print(
            f"\ncrawl: {visited} page visits in {time.monotonic() - started:.0f}s "
            f"(demo built in {built:.0f}s), screenshots in {SHOTS}"
        )
    if os.environ.get("DJ_GUIDE_SHOTS") == "1":
        problems += [f"用户指南的截图没有截到：{shot}" for shot in copy_guide_shots()]
    assert problems == [], "\n" + "\n".join(problems)


def copy_guide_shots() -> list[str]:
    """The chosen crawl shots as compressed JPEGs in docs/guide/img/ (all of them rewritten);
    returns the shots the crawl did not take."""
    from PIL import Image  # installed with WeasyPrint

    missing = []
    GUIDE_IMG.mkdir(parents=True, exist_ok=True)
    for old in GUIDE_IMG.glob("*.jpg"):
        old.unlink()
    for name, (role, size, pattern) in GUIDE_SHOTS.items():
        found = sorted((SHOTS / role / size).glob(f"{pattern}.png"))
        if not found:
            missing.append(f"{name}: {role}/{size}/{pattern}.png")
            continue
        image = Image.open(found[0]).convert("RGB")
        if image.width > GUIDE_WIDTH:
            image = image.resize((GUIDE_WIDTH, round(image.height * GUIDE_WIDTH / image.width)))
        image.save(GUIDE_IMG / f"{name}.jpg", "JPEG", quality=70, optimize=True, progressive=True)
    return missing


@pytest.mark.parametrize(
    "text, kind",
    [
        ("{'a': 1}", "Python 字面量"),
        ("成员 None", "Python 常量"),
        ("状态 pending_review", "枚举原值"),
        ("30803.22000000000000 元", "金额超过两位小数"),
    ],
)
def test_the_crawl_notices_raw_text(text, kind):
    assert raw_text_problems(text)[0].startswith(kind)


def test_the_crawl_lets_readable_text_pass():
    assert raw_text_problems("党费 30,803.22 元，缴纳率 95.5%，2026-05-01 10:00") == []
