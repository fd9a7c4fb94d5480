"""Demo 党建+业务 data: the work committee's key points for the year published and broken into
a task for every branch (some reported on, some done, some overdue; the featured branch's
feedback filed), joint initiatives in every phase led by the featured branch and its
committee, vanguard posts and responsibility zones, and the members' pledges (some rated)."""

from __future__ import annotations

import datetime as dt

from dangjian.core.demo import DemoContext
from dangjian.meetings.models import Meeting
from dangjian.work import selectors, services
from dangjian.work.models import Phase, Task

ITEMS = [
    ("推动党建与业务深度融合，每个党支部至少牵头或参与1个融合项目", 10),
    ("深化“党员先锋岗”“党员责任区”创建，年初全体党员公开承诺", 3),
    ("落实“三会一课”制度，结合业务工作开展主题党日", 12),
    ("围绕中心工作开展调查研究，形成调研成果", 9),
]
INITIATIVES = [
    ("党员先锋服务预算编制攻坚", "预算处", "预算草案按期报送率", "100", "%", Phase.DONE),
    ("“党建+政务服务”窗口提速", "政务服务中心", "办件平均时长", "3", "天", Phase.REVIEW),
    ("党员责任区助力国库集中支付改革", "国库处", "集中支付覆盖单位", "120", "家", Phase.EXECUTE),
    ("机关党员进社区结对共建", "办公室", "结对社区", "6", "个", Phase.DEPLOY),
    ("数字财政党建引领专项", "信息中心", "上线业务系统", "4", "个", Phase.PLAN),
]


def build(ctx: DemoContext) -> None:
    today = ctx.today
    year = today.year
    branches = ctx.branches
    _plan(ctx, year, today)
    if ctx.featured is not None:
        _initiatives(ctx, year, today)
    _posts_and_pledges(ctx, year, today, branches)


def _plan(ctx: DemoContext, year: int, today: dt.date) -> None:
    items = [
        {"text": text, "due": dt.date(year, month, 28 if month == 2 else 30)}
        for text, month in ITEMS
    ]
    plan = services.plan_create(
        actor=ctx.actor,
        org=ctx.work_committee,
        year=year,
        title=f"{ctx.work_committee.name}{year}年党建工作要点",
        items=items,
    )
    n = services.plan_publish(actor=ctx.actor, plan=plan)
    plan.refresh_from_db()
    tasks = list(Task.objects.filter(plan_item__plan=plan).order_by("id"))
    for i, task in enumerate(tasks):
        roll = ctx.random.random()
        if roll < 0.45:
            services.task_complete(
                actor=ctx.actor,
                task=task,
                outcome="已按要点落实，材料已归档。",
                on=min(today, task.due - dt.timedelta(days=ctx.random.randint(0, 20))),
            )
        elif roll < 0.75:
            services.task_progress(
                actor=ctx.actor,
                task=task,
                percent=ctx.random.choice([30, 50, 70]),
                note="按计划推进中。",
            )
        if ctx.bulk and i > 400:
            break
    featured = ctx.featured
    if featured is not None:
        for item in plan.items.all():
            facts = selectors.feedback_facts(item, featured, today=today)
            services.feedback_file(
                actor=ctx.actor,
                item=item,
                org=featured,
                text="支部结合业务工作逐项落实，详见平台记录。",
                facts=facts,
            )
    ctx.say(f"党建工作要点 {len(items)} 条，分解任务 {n} 项")


def _initiatives(ctx: DemoContext, year: int, today: dt.date) -> None:
    featured = ctx.featured
    members = ctx.party_members(featured.pk)
    review_meeting = (
        Meeting.objects.filter(org=featured, status=Meeting.Status.HELD)
        .order_by("-held_at")
        .first()
    )
    order = [Phase.PLAN, Phase.DEPLOY, Phase.EXECUTE, Phase.REVIEW, Phase.DONE]
    for n, (title, unit, name, target, measure, phase) in enumerate(INITIATIVES):
        org = featured if n % 2 == 0 else featured.parent
        initiative = services.initiative_create(
            actor=ctx.actor,
            org=org,
            title=title,
            unit=unit,
            year=year,
            goal=f"以党建引领{unit}重点工作，{name}达到 {target}{measure}。",
            indicators=[
                {"name": name, "target": target, "unit": measure, "owner": f"{unit}负责人"}
            ],
            members=[m for m in members[:4] if m.org.path.startswith(org.path)],
        )
        steps = order[1 : order.index(phase) + 1]
        for to in steps:
            if to == Phase.EXECUTE:
                _deploy(ctx, initiative, featured, members, today)
            kwargs = {}
            if to == Phase.REVIEW:
                kwargs["progress"] = "各项任务按计划推进，阶段性目标已完成。"
            if to == Phase.DONE:
                ind = initiative.indicators.get()
                kwargs["actuals"] = {ind.pk: ind.target}
                kwargs["review_meeting"] = review_meeting
                kwargs["review"] = "" if review_meeting else "经支委会研究，项目目标达成。"
            initiative = services.initiative_advance(
                actor=ctx.actor, initiative=initiative, to=to, **kwargs
            )
    ctx.say(f"融合项目 {len(INITIATIVES)} 个（谋划、部署、落实、检查、已完成各 1 个）")


def _deploy(ctx, initiative, featured, members, today: dt.date) -> None:
    """Two tasks: one to the branch (one overdue in the execute phase), one to a member."""
    late = initiative.phase == Phase.DEPLOY and initiative.title.startswith("党员责任区")
    t1 = services.task_assign(
        actor=ctx.actor,
        initiative=initiative,
        title="制定实施方案并报送",
        org=featured,
        due=today - dt.timedelta(days=5) if late else today + dt.timedelta(days=20),
        done_definition="方案经支委会研究后报送",
    )
    services.task_progress(actor=ctx.actor, task=t1, percent=60, note="方案初稿已形成。")
    if members:
        plain = ctx.accounts.get("dangyuan")
        member = plain.member if plain is not None and plain.member_id else members[-1]
        if member.org.path.startswith(initiative.org.path):
            services.task_assign(
                actor=ctx.actor,
                initiative=initiative,
                title="党员先锋岗牵头攻坚",
                member=member,
                due=today + dt.timedelta(days=5),
                done_definition="按时完成岗位攻坚任务",
            )


def _posts_and_pledges(ctx: DemoContext, year: int, today: dt.date, branches) -> None:
    start = dt.date(year, 1, 1)
    posts = pledges = 0
    plain = ctx.accounts.get("dangyuan")
    for i, branch in enumerate(branches[: 6 if ctx.small else 40]):
        members = ctx.party_members(branch.pk)
        full = [m for m in members if m.status == "full"]
        if not full:
            continue
        services.post_create(
            actor=ctx.actor,
            kind="vanguard",
            org=branch,
            title=f"{branch.name[:10]}党员先锋岗",
            holders=full[:2],
            started_on=start,
            duties="业务攻坚、服务群众走在前",
        )
        services.post_create(
            actor=ctx.actor,
            kind="zone",
            org=branch,
            title="业务窗口党员责任区",
            holders=full[2:4] or full[:1],
            started_on=start,
            duties="责任区内服务质量和作风建设",
        )
        posts += 2
        share = full if branch == ctx.featured else full[: max(1, len(full) * 2 // 3)]
        for j, m in enumerate(share):
            if plain is not None and m.pk == plain.member_id:
                continue  # the demo member makes his own pledge on the phone
            pledge = services.pledge_make(
                actor=ctx.actor,
                member=m,
                year=year,
                text="立足岗位作表率：按期完成本岗位重点任务，带头学习，联系服务群众。",
            )
            pledges += 1
            if j % 3 == 0 and i % 2 == 0:
                services.pledge_fulfil(
                    actor=ctx.actor,
                    pledge=pledge,
                    result="承诺事项已按期完成。",
                    rating=ctx.random.choice(["excellent", "good", "good", "fair"]),
                )
    if plain is not None and plain.member_id:
        services.post_create(
            actor=ctx.actor,
            kind="vanguard",
            org=plain.member.org,
            title="政策咨询党员先锋岗",
            holders=[plain.member],
            started_on=start,
            duties="窗口政策咨询一次讲清",
        )
        posts += 1
    ctx.say(f"先锋岗和责任区 {posts} 个，党员承诺 {pledges} 份")
