"""Demo publicity data: notices of the work committee and of the featured committee and
branch (one pinned, one with an attachment-free expiry, some read by the member); articles
at every step of the DSC-1 workflow (written by the committee's staff ``dangwei``, reviewed
by the work committee's ``gongwei``, approved by ``admin``), role models of the featured
branch with their consent, and the featured branch's disclosure of last year published to
the public portal."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangjian.core.demo import DemoContext
from dangjian.orgs.models import Position
from dangjian.publicity import services
from dangjian.publicity.models import Scope

ARTICLES = [
    (
        "市直机关工委召开党建工作推进会",
        "news",
        Scope.PUBLIC,
        "会议总结上半年机关党建工作，部署下半年重点任务，要求各机关党委推动党建与业务深度融合。",
    ),
    (
        "财政局机关党委开展“党员先锋服务预算编制”主题党日",
        "work",
        Scope.PUBLIC,
        "预算处党支部党员围绕预算编制攻坚开展主题党日，重温入党誓词，交流业务难点，形成整改清单。",
    ),
    (
        "深入学习贯彻党的二十届三中全会精神专题辅导",
        "study",
        Scope.PARTY,
        "机关党委邀请党校教授作专题辅导，全体党员参加学习，各支部结合实际开展研讨交流。",
    ),
    (
        "机关读书分享会：在阅读中汲取奋进力量",
        "culture",
        Scope.ORG,
        "机关青年党员分享读书体会，畅谈学习收获，营造爱读书、读好书的良好氛围。",
    ),
]
NOTICES = [
    ("关于做好年度党员组织关系排查工作的通知", "请各党支部于本月底前完成排查并报送结果。", True),
    (
        "关于开展主题党日活动的通知",
        "各党支部结合工作实际，开展“学理论、强服务”主题党日活动。",
        False,
    ),
]


def build(ctx: DemoContext) -> None:
    accounts = ctx.accounts
    writer, reviewer, approver = (
        accounts.get("dangwei"),
        accounts.get("gongwei"),
        accounts.get("admin"),
    )
    if not (writer and reviewer and approver):
        return
    position = Position.objects.filter(user=writer).select_related("org").first()
    committee = position.org if position else ctx.work_committee
    today = ctx.today
    _notices(ctx, committee, today)
    for i, (title, category, scope, text) in enumerate(ARTICLES):
        article = services.article_create(
            actor=writer,
            org=committee,
            title=title,
            body="".join(f"<p>{part}</p>" for part in text.split("，", 1)),
            summary=text[:60],
            category=category,
            scope=scope,
        )
        _publish(article, writer, reviewer, approver, stop=None if i < 3 else "submitted")
    services.article_create(
        actor=writer,
        org=committee,
        title="（草稿）党员志愿服务进社区活动剪影",
        body="活动照片和文字待补充。",
        scope=Scope.PUBLIC,
    )
    _role_models(ctx, committee, writer, reviewer, approver, today)
    _disclosure(ctx, writer, reviewer, approver, today)


def _publish(item, writer, reviewer, approver, stop=None) -> None:
    services.publication_submit(actor=writer, item=item)
    if stop == "submitted":
        return
    services.publication_review(actor=reviewer, item=item, approve=True, secrecy_checked=True)
    services.publication_approve(actor=approver, item=item)


def _notices(ctx: DemoContext, committee, today: dt.date) -> None:
    actor = ctx.accounts.get("gongwei") or ctx.actor
    # Valid for a month from the later of the demo's day and the real one (an expiry in the
    # past is refused).
    expires_on = max(today, timezone.localdate()) + dt.timedelta(days=30)
    for title, body, pinned in NOTICES:
        services.notice_publish(
            actor=actor,
            org=ctx.work_committee,
            title=title,
            body=body,
            pinned=pinned,
            expires_on=expires_on,
        )
    if ctx.featured is not None and ctx.accounts.get("shuji"):
        notice = services.notice_publish(
            actor=ctx.accounts["shuji"],
            org=ctx.featured,
            title="关于召开本月支部党员大会的通知",
            body="定于本周五下午3点在三楼会议室召开支部党员大会，请全体党员准时参加。",
        )
        member = ctx.accounts.get("dangyuan")
        if member is not None:
            services.notice_read(user=member, notice=notice)


def _role_models(ctx, committee, writer, reviewer, approver, today: dt.date) -> None:
    if ctx.featured is None:
        return
    people = ctx.party_members(ctx.featured.pk)[:3]
    honours = ["优秀共产党员", "岗位能手", "青年文明号负责人"]
    for i, member in enumerate(people):
        item = services.role_model_create(
            actor=writer,
            org=committee,
            member=member,
            title=f"身边榜样｜{member.name}：把为民服务落到每一件小事",
            honour=honours[i],
            deeds=(
                f"<p>{member.name}同志扎根岗位，主动承担急难险重任务。</p>"
                "<p>在业务攻坚中带头钻研，帮助群众解决实际困难，得到服务对象一致好评。</p>"
            ),
            consent_on=today - dt.timedelta(days=20 + i),
            consent_note="本人书面同意",
            scope=Scope.PUBLIC if i < 2 else Scope.ORG,
        )
        if i < 2:
            _publish(item, writer, reviewer, approver)


def _disclosure(ctx, writer, reviewer, approver, today: dt.date) -> None:
    if ctx.featured is None:
        return
    disclosure = services.disclosure_assemble(
        actor=writer, org=ctx.featured, year=today.year - 1, scope=Scope.PUBLIC
    )
    _publish(disclosure, writer, reviewer, approver)
    services.disclosure_assemble(actor=writer, org=ctx.featured, year=today.year)
