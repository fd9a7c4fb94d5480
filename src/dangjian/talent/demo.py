"""Demo talent data (rank 180, after learning and work): a talent pool nominated by the
branches (most admitted with certificates, one waiting for the member's consent, one declined,
one retired), assignments to the featured committee's joint initiatives, publicity work and
the opinion watch; two training tracks of the work committee made of learning's courses and
classes, with staff who earned part of the hours through learning's own ledger; unit staff
counts and full-time posts for SUP-6 (one unit within the bounds, one below, one missing)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangjian.core.demo import DemoContext
from dangjian.learning.models import Course, StudyCredit, TrainingClass
from dangjian.learning.policy import study_policy
from dangjian.learning.services import online_credit
from dangjian.orgs.models import Org, Position
from dangjian.talent import services
from dangjian.talent.models import Skill, Talent
from dangjian.work.models import Initiative

SKILL_SETS = [
    (
        ["信息安全", "网络技术"],
        "负责处室网络与终端安全，持有信息安全专业证书",
        "CISP 注册信息安全专业人员",
    ),
    (["新媒体", "文字写作"], "负责支部公众号编辑，文字功底扎实", ""),
    (["视频制作", "摄影摄像"], "多次拍摄制作支部主题党日宣传片", ""),
    (["数据分析"], "熟悉财政数据统计分析", "数据分析师（中级）"),
    (["法律"], "法律专业背景，参与合同审查", "法律职业资格证书"),
    (["舆情研判", "新媒体"], "参与本单位网络舆情值班", ""),
    (["网络技术"], "负责本单位机房运维", "网络工程师（中级）"),
    (["文字写作", "宣讲"], "青年理论宣讲团成员", ""),
]
TAGS = ["短视频剪辑", "公文写作", "Python", "", "", "无人机航拍", "", ""]
TRACKS = [
    ("网络与信息安全", "security", {"secretary": "8", "organizer": "6", "staff": "12"}),
    ("新媒体运用与舆情研判", "opinion", {"secretary": "6", "publicity": "8", "staff": "8"}),
]


def build(ctx: DemoContext) -> None:
    if ctx.work_committee is None or not ctx.branches:
        return
    _pool(ctx)
    _tracks(ctx)
    _staffing(ctx)


def _candidates(ctx: DemoContext) -> list:
    """Full members, one or two from each of the first branches (featured branch first)."""
    branches = [ctx.featured, *[b for b in ctx.branches if b != ctx.featured]]
    out = []
    for branch in branches[:6]:
        members = [m for m in ctx.party_members(branch.id) if m.status == "full"]
        out += members[1:4]
        if len(out) >= len(SKILL_SETS):
            break
    return out[: len(SKILL_SETS)]


def _pool(ctx: DemoContext) -> None:
    today = ctx.today
    skills = {s.name: s for s in Skill.objects.all()}
    # The vocabulary ships in a data migration; a database flushed since (browser tests) may
    # lack it, so the demo adds the words it uses.
    for names, _reason, _cert in SKILL_SETS:
        for name in names:
            if name not in skills:
                skills[name] = services.skill_add(actor=ctx.actor, name=name)
    made = []
    people = _candidates(ctx)
    waiting = len(people) - 1  # the last waits for the member's own consent
    declined = len(people) - 2 if len(people) >= 4 else -1
    for i, member in enumerate(people):
        names, reason, cert = SKILL_SETS[i]
        consent = None if i == waiting else today - dt.timedelta(days=60 + i)
        talent = services.talent_nominate(
            actor=ctx.actor,
            member=member,
            skills=[skills[n] for n in names],
            tags=TAGS[i],
            reason=reason,
            consent_on=consent,
        )
        if i == waiting:
            continue
        if i == declined:
            services.talent_review(
                actor=ctx.actor,
                talent=talent,
                approve=False,
                note="专业方向与需求不符，建议明年再提名",
            )
            continue
        talent = services.talent_review(actor=ctx.actor, talent=talent, approve=True)
        if cert:
            services.certificate_add(
                actor=ctx.actor,
                talent=talent,
                name=cert,
                issuer="有关发证机构",
                issued_on=today - dt.timedelta(days=900 + 30 * i),
                # one expires within the warning window, one has expired
                expires_on=today + dt.timedelta(days=20)
                if i == 0
                else (today - dt.timedelta(days=10) if i == 3 else None),
            )
        made.append(talent)
    # One profile confirmed over a year ago: its re-confirmation is due.
    if made:
        Talent.objects.filter(pk=made[-1].pk).update(confirmed_on=today - dt.timedelta(days=400))
    if len(made) >= 3:
        services.talent_retire(actor=ctx.actor, talent=made[1], reason="调离本系统")
        made.pop(1)
    _assignments(ctx, made[:4])
    ctx.say(f"人才库 {len(made)} 人入库")


def _assignments(ctx: DemoContext, talents: list) -> None:
    today = ctx.today
    initiative = (
        Initiative.objects.filter(year=today.year).order_by("id").first()
        if ctx.featured is not None
        else None
    )
    plans = [
        ("initiative", "", "负责项目数据看板的搭建"),
        ("publicity", "主题党日宣传片拍摄", "完成 3 分钟宣传片，在公众号发布"),
        ("opinion", "财政预算公开期间网络舆情值班", ""),
        ("publicity", "支部公众号年度专栏", ""),
    ]
    for talent, (kind, title, outcome) in zip(talents, plans, strict=False):
        if kind == "initiative" and initiative is None:
            continue
        talent = Talent.objects.select_related("member__org").get(pk=talent.pk)
        row = services.assignment_create(
            actor=ctx.actor,
            talent=talent,
            org=talent.member.org,
            kind=kind,
            title=title,
            initiative=initiative if kind == "initiative" else None,
            started_on=today - dt.timedelta(days=90),
        )
        if outcome:
            services.assignment_close(
                actor=ctx.actor,
                assignment=row,
                outcome=outcome,
                ended_on=today - dt.timedelta(days=15),
            )


def _tracks(ctx: DemoContext) -> None:
    year = ctx.today.year
    courses = list(
        Course.objects.filter(
            org=ctx.work_committee, year=year, status=Course.Status.PUBLISHED
        ).order_by("id")[:3]
    )
    classes = list(TrainingClass.objects.filter(starts_at__year=year).order_by("id")[:1])
    tracks = []
    for i, (title, topic, hours) in enumerate(TRACKS):
        track = services.track_create(
            actor=ctx.actor,
            org=ctx.work_committee,
            title=title,
            topic=topic,
            year=year,
            summary="机关工委为党务干部设置的年度培训专题（演示）",
            hours=hours,
        )
        for course in courses[i::2]:
            services.track_item_add(actor=ctx.actor, track=track, course=course)
        if i == 0:
            for training in classes:
                services.track_item_add(actor=ctx.actor, track=track, training=training)
        tracks.append(track)
    _earned(ctx, courses)
    ctx.say(f"培训专题 {len(tracks)} 个")


def _earned(ctx: DemoContext, courses: list) -> None:
    """Some staff of the featured committee finished the track's courses: their hours go into
    learning's ledger through learning's own service (the platform never retypes them)."""
    if not courses or ctx.featured is None:
        return
    top = ctx.featured.parent or ctx.featured
    staff = (
        Position.objects.active(ctx.today)
        .in_subtree(top)
        .filter(member__isnull=False)
        .select_related("member__org")
        .order_by("org__path", "id")[:40]
    )
    policy = study_policy(ctx.today)
    now = timezone.now()
    seen = set()
    for i, pos in enumerate(staff):
        if pos.member_id in seen or ctx.random.random() < 0.35:
            continue
        seen.add(pos.member_id)
        for course in courses[: 1 + i % len(courses)]:
            if StudyCredit.objects.filter(
                member_id=pos.member_id, source_type="learning.course", source_id=course.pk
            ).exists():
                continue
            online_credit(
                member=pos.member,
                hours=ctx.random.choice([4, 6, 8]),
                title=course.title,
                source=("learning.course", course.pk),
                policy=policy,
                now=now,
                verb=f"{pos.member.name}完成课程 {course.title[:30]}",
            )


def _staffing(ctx: DemoContext) -> None:
    """Staff counts for the units of the committees; full-time posts so that the featured
    committee's unit is within SUP-6, another below it; one unit left without a count."""
    committees = list(
        Org.objects.filter(parent=ctx.work_committee, unit__isnull=False)
        .select_related("unit")
        .order_by("path")[:3]
    )
    for i, org in enumerate(committees):
        if i == 2:
            break  # left missing: shown as 缺项
        services.unit_staff_count_set(actor=ctx.actor, org=org, staff_count=[150, 400][i])
        posts = (
            Position.objects.active(ctx.today)
            .filter(org__unit_id=org.unit_id, role__in=["staff", "secretary"])
            .order_by("org__path", "id")[: [2, 1][i]]
        )
        for pos in posts:
            services.position_full_time_set(actor=ctx.actor, position=pos, full_time=True)
