"""Demo consultation and survey data: topics routed to the committees; questions,
suggestions and a complaint from members and the public to the featured branch and its
committee (four answered and rated, two published as FAQ, one past its deadline); a
satisfaction survey by public link answered with one-time tokens, and an open anonymous
survey of the featured branch waiting for the demo member."""

from __future__ import annotations

import datetime as dt

from dangjian.core.demo import DemoContext
from dangjian.engagement import services

TOPICS = ["党费交纳", "组织关系转接", "发展党员"]
QUESTIONS = [
    (
        "question",
        "预备党员转正需要提交哪些材料？什么时候提交？",
        True,
        "预备期满前一个月提交书面转正申请，支部按程序讨论；详见《发展党员工作细则》第二十九条。",
    ),
    (
        "question",
        "工资调整后党费基数什么时候变更？",
        True,
        "每年第一季度按上年工资收入核定基数；年中调整的，可在次年核定时一并调整。",
    ),
    (
        "suggestion",
        "建议在手机上提供党费交纳记录下载。",
        False,
        "感谢建议，已列入平台改进计划，预计下季度上线。",
    ),
    (
        "complaint",
        "上月主题党日的通知发得太晚，来不及调整工作。",
        False,
        "已提醒支部委员会至少提前三天发布通知，感谢监督。",
    ),
    ("question", "调往外省单位，组织关系怎么转？", False, ""),
    ("question", "退休后可以继续在原支部参加组织生活吗？", False, ""),
]
SURVEY = [
    {"kind": "rating", "text": "您对机关党委服务党员工作的总体满意度"},
    {
        "kind": "single",
        "text": "本年度组织生活的质量",
        "options": ["明显提高", "有所提高", "没有变化"],
    },
    {
        "kind": "matrix",
        "text": "对各项工作的评价",
        "rows": ["三会一课", "主题党日", "党费管理"],
        "options": ["满意", "基本满意", "不满意"],
    },
    {"kind": "text", "text": "您的意见和建议", "required": False},
]
POLL = [
    {
        "kind": "multiple",
        "text": "下半年希望开展的学习形式",
        "options": ["专题党课", "现场教学", "读书分享", "线上微党课"],
    },
    {"kind": "text", "text": "其他建议", "required": False},
]


def build(ctx: DemoContext) -> None:
    featured = ctx.featured or (ctx.branches[0] if ctx.branches else None)
    if featured is None:
        return
    committee = featured.parent or ctx.work_committee
    _consultations(ctx, featured, committee)
    _surveys(ctx, featured, committee)


def _consultations(ctx: DemoContext, featured, committee) -> None:
    topics = [services.topic_create(actor=ctx.actor, org=committee, name=name) for name in TOPICS]
    member = ctx.accounts.get("dangyuan") if ctx.accounts else None
    for i, (kind, text, consent, reply) in enumerate(QUESTIONS):
        asked = ctx.today - dt.timedelta(days=[20, 15, 12, 9, 8, 1][i])
        item = services.consultation_ask(
            actor=member if (member and i % 2 == 0) else None,
            org=featured if i != 1 else None,
            topic=topics[0] if i == 1 else None,
            kind=kind,
            question=text,
            contact="" if i % 2 == 0 else "138****0000",
            faq_consent=consent,
            today=asked,
        )
        if reply:
            services.consultation_reply(actor=ctx.actor, consultation=item, text=reply)
            services.consultation_rate(
                actor=member if item.asker_id else None,
                consultation=item,
                rating=[5, 4, 5, 3][i],
                note="答复及时、清楚" if i == 0 else "",
            )
        if consent and reply:
            services.consultation_faq(actor=ctx.actor, consultation=item)
    ctx.log("咨询与意见：6 件（4 件已答复，1 件逾期）")


def _surveys(ctx: DemoContext, featured, committee) -> None:
    survey = services.survey_create(
        actor=ctx.actor,
        org=committee,
        title=f"{ctx.today.year}年度机关党建工作满意度测评",
        intro="匿名测评，结果计入年度党建工作考核。",
        questions=SURVEY,
        anonymous=True,
        audience="public",
        satisfaction=True,
        opens_on=ctx.today - dt.timedelta(days=10),
        closes_on=ctx.today + dt.timedelta(days=20),
    )
    services.survey_open(actor=ctx.actor, survey=survey, today=ctx.today)
    n = 12 if ctx.small else 40
    tokens = services.survey_tokens_issue(actor=ctx.actor, survey=survey, count=n + 10)
    rnd = ctx.random
    for token in tokens[:n]:
        answers = [
            [rnd.choice([5, 5, 4, 4, 4, 3])],
            [rnd.choice([0, 0, 1, 1, 2])],
            [rnd.choice([0, 0, 1]) for _ in range(3)],
            [rnd.choice(["希望多开展现场教学", "组织生活形式可以更活泼", "继续保持"])]
            if rnd.random() < 0.3
            else [],
        ]
        services.survey_respond(
            actor=None, survey=survey, answers=answers, token=token, today=ctx.today
        )
    poll = services.survey_create(
        actor=ctx.actor,
        org=featured,
        title="下半年学习形式意见征集",
        questions=POLL,
        anonymous=True,
        closes_on=ctx.today + dt.timedelta(days=14),
    )
    services.survey_open(actor=ctx.actor, survey=poll, today=ctx.today)
    secretary = ctx.accounts.get("shuji") if ctx.accounts else None
    if secretary is not None and getattr(secretary, "member_id", None):
        services.survey_respond(actor=secretary, survey=poll, answers=[[0, 1], []], today=ctx.today)
    ctx.log(f"网上调查：满意度测评 {n} 份答卷，意见征集 1 份")
