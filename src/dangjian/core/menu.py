"""The back office side menu: every module of the platform, in the order of the work.

Entries whose URL name does not resolve yet are shown as "建设中" (coming), so the
menu already shows where later modules go.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from dangjian.core.links import link_or_none


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str = "bi-dot"  # a Bootstrap Icons class (static/vendor/bootstrap-icons-*)
    managers_only: bool = True


MENU: list[tuple[str, list[MenuItem]]] = [
    (
        "工作台",
        [
            MenuItem("工作台", "core:home", "bi-speedometer2", managers_only=False),
            MenuItem("消息", "core:inbox", "bi-bell", managers_only=False),
        ],
    ),
    (
        "组织与党员",
        [
            MenuItem("组织架构", "orgs:tree", "bi-diagram-3"),
            MenuItem("党员管理", "members:list", "bi-people"),
            MenuItem("党内统计", "statistics:annual", "bi-table"),
        ],
    ),
    (
        "组织生活",
        [
            MenuItem("三会一课", "meetings:list", "bi-calendar-event"),
            MenuItem("年度计划", "meetings:plan", "bi-calendar3"),
            MenuItem("民主评议", "meetings:appraisals", "bi-star"),
            MenuItem("整改清单", "assessment:rectifications", "bi-clipboard-check"),
        ],
    ),
    ("党费", [MenuItem("党费收缴", "dues:sheet", "bi-currency-yen")]),
    (
        "一件事",
        [
            MenuItem("发展党员", "development:cases", "bi-person-plus"),
            MenuItem("组织关系转接", "development:transfers", "bi-arrow-left-right"),
            MenuItem("换届选举", "development:elections", "bi-check2-square"),
        ],
    ),
    (
        "标准规范",
        [
            MenuItem("标准库", "standards:library", "bi-journal-text"),
            MenuItem("合规看板", "standards:board", "bi-clipboard-data"),
            MenuItem("合规热力图", "standards:heatmap", "bi-grid-3x3"),
            MenuItem("法规问答", "standards:ask", "bi-question-circle"),
        ],
    ),
    (
        "学习教育",
        [
            MenuItem("学习课程", "learning:courses", "bi-book"),
            MenuItem("年度学时", "learning:hours", "bi-hourglass-split"),
            MenuItem("考试", "learning:exams", "bi-ui-checks"),
            MenuItem("题库", "learning:banks", "bi-collection"),
            MenuItem("积分汇总", "learning:points", "bi-award"),
            MenuItem("培训班", "learning:trainings", "bi-easel"),
            MenuItem("外出培训审核", "learning:records", "bi-patch-check"),
        ],
    ),
    (
        "党建+业务",
        [
            MenuItem("融合项目", "work:initiatives", "bi-flag"),
            MenuItem("交办任务", "work:tasks", "bi-list-check"),
            MenuItem("党建工作要点", "work:plans", "bi-journal-check"),
            MenuItem("先锋岗与承诺", "work:posts", "bi-award"),
        ],
    ),
    (
        "考核督查",
        [
            MenuItem("考核评价", "assessment:indicators", "bi-bullseye"),
            MenuItem("督查问责", "assessment:inspections", "bi-shield-check"),
            MenuItem("述职评议", "assessment:duty_reports", "bi-person-lines-fill"),
            MenuItem("谈话函询", "assessment:talks", "bi-chat-square-text"),
        ],
    ),
    (
        "宣传与互动",
        [
            MenuItem("通知公告", "publicity:notices", "bi-pin-angle"),
            MenuItem("宣传发布", "publicity:articles", "bi-megaphone"),
            MenuItem("党务公开", "publicity:disclosures", "bi-card-checklist"),
            MenuItem("咨询答复", "engagement:consultations", "bi-chat-left-text"),
            MenuItem("问卷调查", "engagement:surveys", "bi-ui-radios"),
        ],
    ),
    (
        "人才与舆情",
        [
            MenuItem("人才库", "talent:pool", "bi-person-badge"),
            MenuItem("党务干部培训", "talent:tracks", "bi-mortarboard"),
            MenuItem("舆情研判", "opinion:items", "bi-broadcast"),
        ],
    ),
    ("驾驶舱", [MenuItem("数据驾驶舱", "dashboard:index", "bi-bar-chart-line")]),
    (
        "系统",
        [
            MenuItem("消息渠道", "core:channels", "bi-send"),
            MenuItem("审计日志", "core:audit", "bi-journal-richtext"),
        ],
    ),
]


@lru_cache(maxsize=2)
def _sections(is_manager: bool) -> tuple[tuple[str, tuple[tuple[MenuItem, str | None], ...]], ...]:
    """The menu a role sees: (section title, ((item, its url or None), ...)), once per process."""
    sections = []
    for title, items in MENU:
        entries = tuple(
            (item, link_or_none(item.url_name))
            for item in items
            if is_manager or not item.managers_only
        )
        if entries:
            sections.append((title, entries))
    return tuple(sections)


def active_url(is_manager: bool, current_path: str) -> str:
    """The url of the entry a path belongs to: the longest entry url it starts with."""
    urls = [url for _, entries in _sections(is_manager) for _, url in entries]
    matches = [u for u in urls if u and u != "/" and current_path.startswith(u)]
    return max(matches, key=len, default="")


def build_menu(is_manager: bool, current_path: str) -> list[dict]:
    active = active_url(is_manager, current_path)
    return [
        {
            "title": title,
            "items": [
                {
                    "label": item.label,
                    "icon": item.icon,
                    "url": url,
                    "active": bool(url) and url == active,
                }
                for item, url in entries
            ],
        }
        for title, entries in _sections(is_manager)
    ]


def menu_html(is_manager: bool, current_path: str) -> SafeString:
    """The side menu's sections and links (``base/layout.html``), drawn once per process for
    each role and active entry: a template loop over some forty entries with their
    conditions cost a few milliseconds of every page."""
    return _menu_html(is_manager, active_url(is_manager, current_path))


@lru_cache(maxsize=256)
def _menu_html(is_manager: bool, active_url: str) -> SafeString:
    parts = []
    for section in build_menu(is_manager, active_url):  # the same entry active again
        parts.append(format_html('<div class="section">{}</div>', section["title"]))
        for e in section["items"]:
            icon = format_html('<i class="bi {}" aria-hidden="true"></i>', e["icon"])
            if not e["url"]:
                parts.append(
                    format_html(
                        '<span class="soon" title="后续版本开放">{}{} <small>建设中</small></span>',
                        icon,
                        e["label"],
                    )
                )
            elif e["active"]:
                parts.append(
                    format_html(
                        '<a href="{}" class="active" aria-current="page">{}{}</a>',
                        e["url"],
                        icon,
                        e["label"],
                    )
                )
            else:
                parts.append(format_html('<a href="{}">{}{}</a>', e["url"], icon, e["label"]))
    return mark_safe("\n".join(parts))  # every part is format_html's
