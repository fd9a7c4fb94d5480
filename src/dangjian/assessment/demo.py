"""Demo assessment data: this year's scheme of the work committee over every branch, read
mostly from the platform (compliance with meeting rules, dues, planned meetings,
rectifications, development cases, study completion) with two indicators scored by hand,
published; the featured branch scored by the committee staff (``gongwei``) and one score
reviewed by the platform admin, so the matrix shows 自动, 已评分, 已复核 and 缺项 side by side."""

from __future__ import annotations

from dangjian.assessment.schemes import services
from dangjian.core import metrics
from dangjian.core.demo import DemoContext

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
