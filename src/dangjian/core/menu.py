"""The back office side menu: every module of the platform, in the order of the work.

Entries whose URL name does not resolve yet are shown as "建设中" (coming), so the
menu already shows where later modules go.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str = "•"
    managers_only: bool = True


MENU: list[tuple[str, list[MenuItem]]] = [
    (
        "工作台",
        [
            MenuItem("首页", "core:home", "⌂", managers_only=False),
            MenuItem("消息", "core:inbox", "✉", managers_only=False),
        ],
    ),
    (
        "组织与党员",
        [
            MenuItem("组织架构", "orgs:tree", "▦"),
            MenuItem("党员管理", "members:list", "☰"),
        ],
    ),
    (
        "组织生活",
        [
            MenuItem("三会一课", "meetings:list", "◷"),
            MenuItem("年度计划", "meetings:plan", "▤"),
            MenuItem("民主评议", "meetings:appraisals", "★"),
            MenuItem("整改清单", "meetings:rectifications", "✓"),
        ],
    ),
    ("党费", [MenuItem("党费收缴", "dues:sheet", "¥")]),
    (
        "一件事",
        [
            MenuItem("发展党员", "development:cases", "➚"),
            MenuItem("组织关系转接", "development:transfers", "⇄"),
            MenuItem("换届选举", "development:elections", "☑"),
        ],
    ),
    (
        "标准规范",
        [
            MenuItem("标准库", "standards:library", "§"),
            MenuItem("合规看板", "standards:board", "◉"),
            MenuItem("合规热力图", "standards:heatmap", "▩"),
        ],
    ),
    ("学习教育", [MenuItem("学习课程", "learning:courses", "✎")]),
    ("党建+业务", [MenuItem("融合项目", "work:initiatives", "⚑")]),
    (
        "考核督查",
        [
            MenuItem("考核评价", "assessment:indicators", "◎"),
            MenuItem("督查问责", "assessment:inspections", "⚖"),
        ],
    ),
    (
        "宣传与互动",
        [
            MenuItem("宣传发布", "publicity:articles", "✦"),
            MenuItem("咨询调查", "engagement:surveys", "?"),
        ],
    ),
    ("人才与培训", [MenuItem("人才库", "talent:pool", "☺")]),
    ("驾驶舱", [MenuItem("数据驾驶舱", "dashboard:index", "▲")]),
    ("系统", [MenuItem("审计日志", "core:audit", "⌕")]),
]


def build_menu(is_manager: bool, current_path: str) -> list[dict]:
    sections = []
    for title, items in MENU:
        entries = []
        for item in items:
            if item.managers_only and not is_manager:
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                url = None
            entries.append({"label": item.label, "icon": item.icon, "url": url, "active": False})
        if entries:
            sections.append({"title": title, "items": entries})
    matches = [
        e
        for sec in sections
        for e in sec["items"]
        if e["url"] and e["url"] != "/" and current_path.startswith(e["url"])
    ]
    if matches:
        max(matches, key=lambda e: len(e["url"]))["active"] = True
    return sections
