"""Demo exams: a question bank on the 条例 and 党章 for the whole tree, an exam drawn from it
by random rules (time limit, pass score, two attempts), and some members of the featured
branch who took it, handed in and earned the PNT-2 points when they passed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangjian.core.demo import DemoContext
from dangjian.learning import exam_attempts
from dangjian.learning import exam_services as svc

# (category, kind, difficulty, text, options, answer)
QUESTIONS = [
    (
        "条例",
        "single",
        "easy",
        "党员每年集中学习培训时间一般不少于多少学时？",
        ["16", "32", "56"],
        ["B"],
    ),
    (
        "条例",
        "single",
        "medium",
        "基层党组织书记和班子成员每年集中学习培训不少于多少学时？",
        ["32", "48", "56"],
        ["C"],
    ),
    ("条例", "true_false", "easy", "年老体弱、生病的党员，学习培训可以不作硬性要求。", [], ["A"]),
    ("条例", "true_false", "easy", "学习时长可以作为评价党员的依据。", [], ["B"]),
    (
        "条例",
        "multiple",
        "medium",
        "党员学习培训的形式包括哪些？",
        ["集中培训", "网络学习", "组织生活", "每日打卡"],
        ["A", "B", "C"],
    ),
    ("条例", "fill_in", "medium", "党员教育管理工作条例发布于____年。", [], ["2019"]),
    (
        "党章",
        "single",
        "easy",
        "党的最高领导机关是？",
        ["党的全国代表大会和它所产生的中央委员会", "中央纪律检查委员会", "中央军事委员会"],
        ["A"],
    ),
    (
        "党章",
        "true_false",
        "easy",
        "党员有权在党的会议上和党报党刊上参加关于党的政策问题的讨论。",
        [],
        ["A"],
    ),
    (
        "党章",
        "multiple",
        "hard",
        "党的组织生活制度包括哪些？",
        ["三会一课", "组织生活会", "民主评议党员", "主题党日"],
        ["A", "B", "C", "D"],
    ),
    ("党章", "fill_in", "medium", "预备党员的预备期为____年。", [], ["1", "一"]),
    (
        "党章",
        "single",
        "medium",
        "党员连续几个月不交纳党费、不参加党的组织生活，被认为自行脱党？",
        ["三个月", "六个月", "十二个月"],
        ["B"],
    ),
    ("党章", "true_false", "medium", "党支部党员大会一般每季度召开一次。", [], ["A"]),
]


def build(ctx: DemoContext) -> None:
    bank = svc.bank_create(
        actor=ctx.actor,
        org=ctx.work_committee,
        title="党章党规知识题库",
        summary="演示题库：党章和党员教育管理工作条例的基本知识。",
    )
    for category, kind, difficulty, text, options, answer in QUESTIONS:
        svc.question_add(
            actor=ctx.actor,
            bank=bank,
            kind=kind,
            text=text,
            options=options,
            answer=answer,
            category=category,
            difficulty=difficulty,
        )
    start = timezone.make_aware(dt.datetime.combine(ctx.today - dt.timedelta(days=5), dt.time(8)))
    exam = svc.exam_create(
        actor=ctx.actor,
        org=ctx.work_committee,
        title=f"{ctx.today.year}年党章党规知识测试",
        mode="random",
        bank=bank,
        pass_score=60,
        attempts=2,
        time_limit_min=20,
        opens_at=start,
        closes_at=start + dt.timedelta(days=40),
    )
    for kind, count, score in (("single", 3, 20), ("true_false", 2, 10), ("multiple", 1, 20)):
        svc.exam_rule_add(actor=ctx.actor, exam=exam, kind=kind, count=count, score=score)
    exam = svc.exam_publish(actor=ctx.actor, exam=exam, now=start)
    ctx.say("题库 1 个、考试 1 场")
    _take(ctx, exam, start)


def _take(ctx: DemoContext, exam, start: dt.datetime) -> None:
    """Some members of the featured branch take the exam: most answer right, one does not."""
    if ctx.featured is None:
        return
    members = ctx.party_members(ctx.featured.pk)[:: 2 if ctx.small else 1][:5]
    for n, member in enumerate(members):
        now = start + dt.timedelta(days=1, hours=n)
        attempt = exam_attempts.attempt_start(actor=ctx.actor, member=member, exam=exam, now=now)
        questions = exam_attempts.paper_questions(attempt)
        answers = {}
        for i, p in enumerate(attempt.paper):
            q = questions[p["question"]]
            wrong = n == len(members) - 1 and i % 2 == 0
            answers[str(q.pk)] = ["B" if q.answer == ["A"] else "A"] if wrong else q.answer
        exam_attempts.attempt_submit(
            actor=ctx.actor, attempt=attempt, answers=answers, now=now + dt.timedelta(minutes=8)
        )
    ctx.say(f"考试记录 {len(members)} 名党员")
