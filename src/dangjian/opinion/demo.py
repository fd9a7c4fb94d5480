"""Demo opinion watch: the work committee's keyword set (with synonyms and an exclusion),
one for the featured branch's committee, a source pointing at the feed the platform serves
itself (``static/opinion/demo-feed.xml``, loaded here through the same ingest as a fetch —
no network), items entered by hand from the hotline, and cases at each level (one answered,
one closed, one late)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from dangjian.core.demo import DemoContext
from dangjian.opinion import services, text
from dangjian.opinion.models import OpinionCase, OpinionItem

FEED = Path(__file__).parent / "static" / "opinion" / "demo-feed.xml"
FEED_PATH = "/static/opinion/demo-feed.xml"
HOTLINE = [
    (
        "12345 热线",
        "市民反映某局办事窗口要求重复提交材料",
        "市民称同一事项被要求三次提交相同证明材料，对办事效率不满。",
    ),
    ("群众来信", "来信询问机关党员进社区志愿服务报名方式", "希望了解志愿服务的时间安排。"),
]


def build(ctx: DemoContext) -> None:
    wc = ctx.work_committee
    services.keyword_set_create(
        actor=ctx.actor,
        org=wc,
        name="财政与收费",
        words=["预算", "财政", "收费", "三公经费"],
        synonyms={"预算": ["预决算"], "收费": ["乱收费"]},
        exclude=["招聘"],
    )
    services.keyword_set_create(
        actor=ctx.actor,
        org=wc,
        name="作风效能",
        words=["办事效率", "排队", "态度"],
        synonyms={"办事效率": ["拖沓", "重复提交"]},
        exclude=[],
    )
    source = services.source_create(
        actor=ctx.actor,
        org=wc,
        name="市政府门户网站·政务要闻（演示）",
        url=settings.SITE_URL.rstrip("/") + FEED_PATH,
    )
    entries = text.parse_feed(FEED.read_bytes(), limit=settings.OPINION_FETCH_MAX_ENTRIES)
    services.ingest(source=source, entries=entries)
    for channel, title, summary in HOTLINE:
        services.item_create(
            actor=ctx.actor, org=ctx.featured or wc, channel=channel, title=title, summary=summary
        )
    _cases(ctx)


CASES = [
    ("窗口排队", "major", "涉及窗口服务作风，网民关注度上升，存在扩散风险。", "answered"),
    ("预决算公开信息不全", "general", "涉及预决算公开的完整性，需核实各单位公开情况。", "late"),
    ("重复提交材料", "critical", "群众对重复提交材料意见集中，需立即核查并公开回应。", "open"),
    ("课后服务收费", "general", "家长关注收费标准，已有公示，做好解释即可。", "closed"),
]


def _cases(ctx: DemoContext) -> None:
    for fragment, level, analysis, state in CASES:
        item = OpinionItem.objects.filter(title__contains=fragment).first()
        if item is None:
            continue
        case = services.case_open(
            actor=ctx.actor,
            item=item,
            level=level,
            analysis=analysis,
            response_plan="核实情况，按时限在门户网站和留言板回应。",
            responder="办公室 宣传干事",
        )
        if state in ("answered", "closed"):
            services.case_answer(
                actor=ctx.actor, case=case, answer="已在门户网站留言板作出答复并公布整改措施。"
            )
        if state == "closed":
            services.case_close(actor=ctx.actor, case=case, closure="网民无新的质疑，舆情平息。")
        if state == "late":
            # Opened three days before the demo was built: past its deadline.
            opened = timezone.now() - dt.timedelta(days=3)
            OpinionCase.objects.filter(pk=case.pk).update(
                created_at=opened, due_at=services.deadline(level, opened)
            )
