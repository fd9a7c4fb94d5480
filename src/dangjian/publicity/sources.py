"""What a branch's yearly disclosure (党务公开, DSC-3) says, assembled from what the platform
already holds (ANT-4: nothing is typed twice): the year's plan of organizational life, the
meetings held, the development 公示 posted, dues collected and used (the dues disclosure of
DUE-12, folded in), and elections. The one module of publicity that reads other apps; every
read goes through their gate (``visible_to``) as the person assembling.

Each source returns (title, content, source) for one item kind; what it cannot find is said
in words (缺项), never left blank or shown as 0."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from dangjian.dues.models import DuesDisclosure
from dangjian.meetings.models import Meeting, PlanSlot
from dangjian.orgs.models import Board, Org
from dangjian.publicity.models import DisclosureItem

Kind = DisclosureItem.Kind


def _counts(pairs, labels) -> str:
    return "，".join(f"{labels.get(k, k)} {n} 次" for k, n in pairs)


def plan(user, org: Org, year: int) -> tuple[str, str, str]:
    slots = PlanSlot.objects.filter(
        org__in=Org.objects.visible_to(user).filter(pk=org.pk), year=year
    )
    counts = Counter(slots.values_list("kind", flat=True))
    labels = dict(PlanSlot.Kind.choices)
    content = (
        f"{year}年组织生活计划：{_counts(sorted(counts.items()), labels)}。"
        if counts
        else f"缺项：平台中没有{org.name}{year}年的组织生活计划，请补充本年度工作计划。"
    )
    return f"{year}年工作计划", content, "组织生活年度计划"


def life(user, org: Org, year: int) -> tuple[str, str, str]:
    held = (
        Meeting.objects.visible_to(user)
        .filter(org=org, status=Meeting.Status.HELD, held_at__year=year)
        .exclude(kind=Meeting.Kind.HEART_TALK)
    )
    counts = Counter(held.values_list("kind", flat=True))
    labels = dict(Meeting.Kind.choices)
    topics = list(held.order_by("held_at").values_list("topic", flat=True)[:12])
    if not counts:
        content = f"缺项：平台中没有{org.name}{year}年已召开的组织生活记录。"
    else:
        content = f"{year}年共召开：{_counts(sorted(counts.items()), labels)}。"
        if topics:
            content += "\n主要内容：" + "；".join(topics) + "。"
    return f"{year}年组织生活开展情况", content, "组织生活记录（已召开的会议）"


def development(user, org: Org, year: int) -> tuple[str, str, str]:
    from dangjian.development.models import Case, CaseStep

    cases = Case.objects.visible_to(user).filter(org=org)
    steps = (
        CaseStep.objects.filter(case__in=cases, data__has_key="notice_start")
        .select_related("case__member")
        .order_by("done_on", "id")
    )
    lines = []
    for step in steps:
        start, end = step.data.get("notice_start", ""), step.data.get("notice_end", "")
        if not str(start).startswith(str(year)):
            continue
        who = step.case.member.name if step.case.member_id else "（未关联党员）"
        lines.append(f"{who}：公示期 {start} 至 {end}")
    content = (
        f"{year}年发展党员公示 {len(lines)} 次：\n" + "\n".join(lines)
        if lines
        else f"{year}年{org.name}没有发展党员公示记录。"
    )
    return f"{year}年发展党员工作", content, "发展党员流程（公示步骤）"


def dues(user, org: Org, year: int) -> tuple[str, str, str]:
    found = DuesDisclosure.objects.visible_to(user).filter(org=org, year=year).first()
    if found is None:
        content = (
            f"缺项：{org.name}尚未公开{year}年党费收缴使用情况，"
            "请先在“党费”模块公开（DUE-12），再重新生成本事项。"
        )
    else:
        f = found.figures or {}
        rate = f.get("rate")
        rate_text = f"，收缴率 {rate}%" if rate not in (None, "") else ""
        content = (
            f"截至{f.get('through', '')}：党员 {f.get('members', '缺项')} 人，"
            f"应交 ¥{f.get('due', '缺项')}，实交 ¥{f.get('paid', '缺项')}{rate_text}。\n"
            f"使用情况：{found.usage}"
        )
    return f"{year}年党费收缴使用情况", content, "党费收缴使用公开（DUE-12）"


def elections(user, org: Org, year: int) -> tuple[str, str, str]:
    boards = Board.objects.visible_to(user).filter(org=org)
    elected = boards.filter(elected_on__year=year).order_by("elected_on").first()
    current = boards.filter(is_current=True).first()
    if elected is not None:
        content = (
            f"{elected.elected_on}选举产生新一届委员会，"
            f"任期 {elected.term_start} 至 {elected.term_end}。"
        )
    elif current is not None:
        content = (
            f"本年度未换届；现任委员会任期 {current.term_start} 至 {current.term_end}"
            f"{'，本年度届满，请按期换届' if current.term_end.year == year else ''}。"
        )
    else:
        content = f"缺项：平台中没有{org.name}的委员会（班子）任期记录。"
    return f"{year}年换届选举情况", content, "组织班子与换届记录"


SOURCES: dict[str, Callable] = {
    Kind.PLAN: plan,
    Kind.LIFE: life,
    Kind.DEVELOPMENT: development,
    Kind.DUES: dues,
    Kind.ELECTIONS: elections,
}


def assemble(user, org: Org, year: int, kinds: list[str]) -> list[dict]:
    """The items of ``kinds`` (DSC-3's list in the library) for ``org``'s ``year``."""
    out = []
    for i, kind in enumerate(k for k in kinds if k in SOURCES):
        title, content, source = SOURCES[kind](user, org, year)
        out.append({"kind": kind, "title": title, "content": content, "source": source, "sort": i})
    return out
