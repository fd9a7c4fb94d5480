"""Demo data of the assessment app (``dangjian.core.demo``), one step ``build`` ranked after
every other app's (900), so the compliance findings, meetings, members and study it reads
exist:

``build_scheme``: this year's scheme of the work committee over every branch, read mostly
from the platform (compliance with meeting rules, dues, planned meetings, rectifications,
development cases, study completion) with two indicators scored by hand, published; the
featured branch scored by the committee staff (``gongwei``) and one score reviewed by the
platform admin, so the matrix shows 自动, 已评分, 已复核 and 缺项 side by side.

``supervision``: a campaign of the featured branch's committee over its branches (two
inspected: one on site with a finding, one from the records), duty reports of the first
branches' secretaries with a few anonymous ballots, and one reminder talk."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangjian.assessment.schemes import services
from dangjian.assessment.supervision import duty, inspections, talks
from dangjian.core import metrics
from dangjian.core.demo import DemoContext
from dangjian.core.errors import DomainError
from dangjian.orgs.models import Position

RULES = ("MTG-1", "MTG-2", "MTG-3", "MTG-4")


def build_scheme(ctx: DemoContext) -> None:
    rules = [c for c in RULES if metrics.resolve(f"rule:{c}") is not None][:2]
    auto = [
        *[(f"rule:{c}", f"组织生活规范：{c}", 15) for c in rules],
        ("meetings:held_rate", "年度计划组织生活按期召开", 15),
        ("dues:collection_rate", "党费按月交纳", 10),
        ("assessment:rectifications_on_time", "整改按期销号", 10),
        ("development:on_schedule", "发展党员按期办理", 5),
        ("learning:completion", "党员学时达标（EDU-1）", 10),
    ]
    indicators = [
        {"code": "A", "title": "基础工作（平台自动取值）", "max_score": 1, "method": "manual"}
    ]
    for n, (key, title, points) in enumerate(auto, start=1):
        if metrics.resolve(key) is None:
            continue
        indicators.append(
            {
                "code": f"A{n}",
                "title": title,
                "max_score": points,
                "method": "auto",
                "metric": key,
                "parent": "A",
            }
        )
    indicators += [
        {"code": "B", "title": "特色与实效（评分）", "max_score": 1, "method": "manual"},
        {
            "code": "B1",
            "title": "党建与业务融合成效",
            "max_score": 15,
            "method": "manual",
            "parent": "B",
            "criteria": "围绕中心工作开展党建+业务项目，有具体成效的得10–15分；"
            "有项目无明显成效的得5–9分；未开展的不得分。",
        },
        {
            "code": "B2",
            "title": "违反廉洁纪律问题（扣分）",
            "max_score": 10,
            "method": "deduction",
            "parent": "B",
            "criteria": "本年度发生经查实的问题，每起扣5分，扣完为止；无问题记0分。",
        },
    ]
    scheme = services.scheme_create(
        actor=ctx.actor,
        org=ctx.work_committee,
        title=f"{ctx.today.year}年度机关党支部党建工作考核",
        year=ctx.today.year,
        target_kind="branch",
        indicators=indicators,
        description="演示方案：大部分指标直接读取平台记录，不再层层报表。",
    )
    scheme = services.scheme_publish(actor=ctx.actor, scheme=scheme)
    staff = ctx.accounts.get("gongwei") or ctx.actor
    b1 = scheme.indicators.get(code="B1")
    b2 = scheme.indicators.get(code="B2")
    if ctx.featured is None:
        return
    services.score_record(
        actor=staff,
        scheme=scheme,
        indicator=b1,
        org=ctx.featured,
        score=12,
        comment="预算执行监督项目中党员先锋岗作用明显。",
    )
    done = services.score_record(
        actor=staff, scheme=scheme, indicator=b2, org=ctx.featured, score=0, comment="无"
    )
    if staff != ctx.actor:
        services.score_review(actor=ctx.actor, score=done, note="复核无误")
    ctx.log(f"  assessment: scheme with {len(indicators)} indicators over the branches")


REPORT = (
    "{year}年，支部坚持以党的政治建设为统领，按计划召开支部党员大会、支部委员会会议和党小组会，"
    "书记讲党课1次，党费按月收缴，党员集中学习培训学时达到要求；存在的不足是学习研讨深度不够，"
    "党建与业务融合的办法不多。下一步将围绕中心工作设立党员先锋岗，推动问题整改落实。"
)


def build(ctx: DemoContext) -> None:
    build_scheme(ctx)
    supervision(ctx)


def supervision(ctx: DemoContext) -> None:
    if ctx.featured is None:
        return
    # Services judge dates against the real today: the demo's "as of" day never passes it.
    today = min(ctx.today, timezone.localdate())
    committee = ctx.featured.parent
    campaign = inspections.inspection_create(
        actor=ctx.actor,
        org=committee,
        title=f"{today.year}年度机关党建工作督查",
        year=today.year,
        basis="《中国共产党党和国家机关基层组织工作条例》第三十四条",
        starts_on=today.replace(month=1, day=1) if today.month > 1 else today,
        ends_on=today + dt.timedelta(days=30),
        items=["查阅支部年度工作计划执行情况", "听取党员对支部工作的意见"],
    )
    targets = list(campaign.targets.select_related("org").order_by("org__path")[:2])
    visit_day = max(today - dt.timedelta(days=3), campaign.starts_on or today)
    for i, target in enumerate(targets):
        findings = []
        if i == 0:
            findings = [
                {
                    "text": "支部委员会会议记录要素不全",
                    "deadline": timezone.localdate() + dt.timedelta(days=30),
                }
            ]
        try:
            inspections.inspection_visit(
                actor=ctx.actor,
                inspection=campaign,
                org=target.org,
                on=visit_day,
                kind="on_site" if i == 0 else "desk",
                note="现场查阅台账，听取书记汇报" if i == 0 else "查阅平台记录，无例外事项",
                findings=findings,
            )
        except DomainError as exc:  # a branch without a secretary: the demo goes on
            ctx.log(f"督查登记跳过：{exc}")
    secretaries = (
        Position.objects.active(today)
        .filter(org__in=ctx.branches[:4], role=Position.Role.SECRETARY, member__isnull=False)
        .select_related("org", "member")
    )
    reports = []
    for pos in secretaries:
        reports.append(
            duty.duty_report_create(
                actor=ctx.actor,
                org=pos.org,
                year=today.year,
                reporter=pos.member,
                text=REPORT.format(year=today.year),
            )
        )
    voters = [ctx.accounts.get(n) for n in ("dangyuan", "dangwei")]
    for report in reports:
        if report.org_id != ctx.featured.pk:
            continue
        for user, rating in zip(voters, ("good", "fair"), strict=False):
            if user is not None and duty.can_rate(user, report):
                duty.duty_ballot_cast(actor=user, report=report, rating=rating)
    member = next(iter(ctx.members_by_org.get(ctx.featured.pk, [])), None)
    if member is not None:
        talks.talk_create(
            actor=ctx.actor,
            kind="reminder",
            org=committee,
            member=member,
            reason="连续两个月未参加党小组会，提醒按时参加组织生活",
            on=today,
            record="本人说明了原因，表示今后按时参加。",
        )
    ctx.log(f"督查 1 次（对象 {campaign.targets.count()} 个），述职报告 {len(reports)} 份")
