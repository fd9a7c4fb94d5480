"""Demo organizational life: meetings of every kind since January of last year (city scale:
five years, attendance for the last three months only), with attendance, minutes,
resolutions and votes; this year's plan from the rules in force; meetings coming up in the
next two weeks (one of the featured branch open for sign-in now); last year's appraisal;
rectification items from the 组织生活会; and a few deliberately weak records (skipped
months, too-short or copied minutes) so that the plan, compliance and quality views have
something to show.

Written with ``bulk_insert`` (COPY on PostgreSQL) at every scale, computing what the
services compute: sign-in codes and windows, plain-text minutes and their digests, the vote
judged by the rule. The province scale keeps the default's span (since January of last
year), with attendance for the last three months as in the city.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict

from django.utils import timezone

from dangjian.assessment.models import Rectification
from dangjian.core.bulk import bulk_insert, update_column
from dangjian.core.demo import DemoContext
from dangjian.meetings import plan as plan_mod
from dangjian.meetings import quality
from dangjian.meetings.models import (
    Appraisal,
    AppraisalEntry,
    AppraisalRating,
    Attendance,
    CriticismItem,
    Meeting,
    PlanSlot,
    Vote,
)
from dangjian.meetings.services import SIGN_IN_EARLY, SIGN_IN_LATE
from dangjian.meetings.voting import judge_vote
from dangjian.orgs.models import Position

BATCH = 5000
K = Meeting.Kind

TOPICS = {
    K.GENERAL_MEETING: [
        "传达学习上级会议精神，研究部署本季度党建工作",
        "讨论接收预备党员",
        "通报党费收缴使用情况，部署下阶段工作",
        "学习党章党规，开展警示教育",
    ],
    K.BOARD_MEETING: [
        "研究本月支部工作安排",
        "研究发展党员和入党积极分子培养工作",
        "研究主题党日活动方案",
        "分析党员思想状况，研究谈心谈话安排",
    ],
    K.GROUP_MEETING: ["党小组集中学习", "党小组交流学习体会", "党小组讨论业务工作中的问题"],
    K.PARTY_LECTURE: [
        "书记讲党课：以党建引领业务高质量发展",
        "专题党课：学习贯彻党的二十大精神",
        "微党课：机关作风建设",
    ],
    K.THEME_DAY: [
        "重温入党誓词",
        "参观红色教育基地",
        "志愿服务进社区",
        "学习先进典型事迹",
        "集中学习党的创新理论",
    ],
    K.LIFE_MEETING: ["年度组织生活会"],
    K.HEART_TALK: ["谈心谈话"],
}
PLACES = ["三楼会议室", "党员活动室", "五楼小会议室", "机关大会议室", "线上会议"]
OPENINGS = [
    "会议由{host}主持，{recorder}记录。",
    "{host}同志主持会议，应到{n}人。",
    "本次会议由{host}召集并主持。",
]
BODY = [
    "会议传达学习了上级有关文件精神，与会同志结合岗位职责逐一谈认识、谈体会。",
    "大家一致认为，要把学习成果转化为推动业务工作的实际成效，做到学用结合。",
    "会议通报了近期支部重点工作的推进情况，分析了存在的不足和原因。",
    "会议对下一阶段的重点任务作了分工，明确了责任人和完成时限。",
    "与会党员围绕加强机关作风建设展开讨论，提出了改进意见和具体措施。",
    "会议听取了入党积极分子培养考察情况的汇报，并对培养联系人提出了要求。",
    "会议强调，要严格落实“三会一课”制度，按时足额交纳党费。",
    "大家结合本处室业务，交流了在预算编制、政策研究和窗口服务中的做法。",
    "会议研究了开展志愿服务和结对共建活动的具体方案。",
    "会议要求全体党员立足本职岗位，发挥先锋模范作用，以实际行动践行初心使命。",
]
CLOSINGS = ["最后，书记对近期工作作了部署。", "会议在热烈的气氛中结束。", "会议形成了相关决议。"]
CRITICISM = [
    "理论学习的系统性不够，学用结合不紧",
    "联系服务群众不够主动，调查研究不够深入",
    "工作标准不够高，有时满足于完成任务",
    "开展批评时顾虑较多，辣味不足",
]


def _at(rng, day: dt.date) -> dt.datetime:
    hour, minute = rng.choice([(9, 0), (9, 30), (14, 30), (15, 0)])
    return dt.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_current_timezone()
    )


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _minutes(rng, host: str, recorder: str, n: int) -> str:
    lines = [rng.choice(OPENINGS).format(host=host, recorder=recorder, n=n)]
    lines += rng.sample(BODY, rng.randint(3, 5))
    lines.append(rng.choice(CLOSINGS))
    return "".join(f"<p>{line}</p>" for line in lines)


def _month_days(year: int, month: int, day: int) -> dt.date:
    import calendar

    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


class Builder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.random
        self.today = ctx.today
        self.now = dt.datetime.combine(
            ctx.today, timezone.localtime().time(), tzinfo=timezone.get_current_timezone()
        )
        years = 4 if ctx.scale == "city" else 1
        self.start = dt.date(ctx.today.year - years, 1, 1)
        self.attendance_from = ctx.today - dt.timedelta(days=90) if ctx.bulk else self.start
        self.groups_of: dict[int, list] = defaultdict(list)
        for group in ctx.groups:
            self.groups_of[group.parent_id].append(group)
        self.board_of: dict[int, list[int]] = defaultdict(list)
        rows = Position.objects.filter(
            org__in=ctx.branches, member__isnull=False, ended_on__isnull=True
        ).exclude(role=Position.Role.STAFF)
        for org_id, member_id in rows.values_list("org_id", "member_id"):
            self.board_of[org_id].append(member_id)
        self.meetings: list[Meeting] = []
        self.expected: list[list[int]] = []  # attendee ids for each meeting, same order
        self.life: list[tuple[Meeting, list[int]]] = []
        self.vote_candidates: list[Meeting] = []
        self.flagged = False
        self.written = 0

    # -- meetings ------------------------------------------------------------

    def add(self, branch, kind, day, party, *, group=None, status=Meeting.Status.HELD, **kw):
        rng = self.rng
        if kind == K.BOARD_MEETING:
            ids = [m for m in self.board_of.get(branch.pk, []) if m in party] or list(party)[:3]
        elif kind == K.GROUP_MEETING:
            ids = [m.pk for m in self.ctx.members_by_org[branch.pk] if m.group_id == group.pk]
            ids = [i for i in ids if i in party]
        elif kind == K.HEART_TALK:
            ids = rng.sample(sorted(party), 2) if len(party) >= 2 else []
        else:
            ids = sorted(party)
        if not ids:
            return None
        host_id = ids[0] if kind == K.HEART_TALK else rng.choice(ids)
        recorder_id = rng.choice(ids)
        names = self.names
        held_at = _at(rng, day)
        meeting = Meeting(
            org=branch,
            kind=kind,
            topic=rng.choice(TOPICS[kind]),
            status=status,
            planned_on=day,
            held_at=held_at,
            place=rng.choice(PLACES),
            group=group,
            host_id=host_id,
            recorder_id=recorder_id,
            lecturer_id=host_id if kind == K.PARTY_LECTURE else None,
            counterpart_id=ids[1] if kind == K.HEART_TALK else None,
            sign_in_code=f"{rng.randrange(1_000_000):06d}",
            sign_in_token=secrets.token_urlsafe(24),
            sign_in_opens_at=held_at - SIGN_IN_EARLY,
            sign_in_closes_at=held_at + SIGN_IN_LATE,
            **kw,
        )
        if status == Meeting.Status.HELD and day >= self.attendance_from:
            html = (
                _minutes(rng, names[host_id], names[recorder_id], len(ids))
                if kind != K.HEART_TALK
                else f"<p>{names[host_id]}与{names[ids[1]]}谈心谈话，交流了思想和工作情况。</p>"
            )
            self.set_minutes(meeting, html, kind)
            if kind == K.GENERAL_MEETING and rng.random() < 0.5:
                meeting.resolutions = "同意会议议定事项，按分工抓好落实。"
            meeting.notice_sent_at = held_at - dt.timedelta(days=3)
        self.meetings.append(meeting)
        self.expected.append(ids)
        return meeting

    @staticmethod
    def set_minutes(meeting: Meeting, html: str, kind: str = "") -> None:
        meeting.minutes = quality.sanitize(html)
        meeting.minutes_text = quality.plain_text(meeting.minutes)
        norm = quality.normalize(meeting.minutes_text)
        meeting.minutes_digest = quality.digest(norm)
        short = len(norm) < quality.MIN_CHARS and kind not in quality.BRIEF_KINDS
        meeting.quality = Meeting.Quality.SHORT if short else Meeting.Quality.OK

    def branch_year(self, branch, party: set[int], year: int) -> None:
        rng = self.rng
        sloppy = rng.random() < 0.08  # a few branches skip meetings: the checks show it
        theme_day = rng.randint(8, 25)
        for month in range(1, 13):
            first = dt.date(year, month, 1)
            if first > self.today:
                break
            skip = sloppy and rng.random() < 0.3

            def day_in(lo, hi, month=month):
                return _weekday(_month_days(year, month, rng.randint(lo, hi)))

            plan = [
                (K.BOARD_MEETING, day_in(2, 8)),
                (K.THEME_DAY, _weekday(_month_days(year, month, theme_day))),
            ]
            for group in self.groups_of.get(branch.pk, []):
                plan.append((K.GROUP_MEETING, day_in(10, 22), group))
            if month % 3 == 2:
                plan.append((K.GENERAL_MEETING, day_in(10, 20)))
                plan.append((K.PARTY_LECTURE, day_in(18, 26)))
            if month == 12:
                plan.append((K.LIFE_MEETING, day_in(10, 22)))
            if month in (3, 7, 11):
                plan.append((K.HEART_TALK, day_in(3, 27)))
            for entry in plan:
                kind, day = entry[0], entry[1]
                if day >= self.today or (skip and kind != K.LIFE_MEETING):
                    continue
                self.add(branch, kind, day, party, group=entry[2] if len(entry) > 2 else None)

    def upcoming(self, branch, party: set[int], featured: bool) -> None:
        rng = self.rng
        day = _weekday(self.today + dt.timedelta(days=rng.randint(2, 14)))
        meeting = self.add(branch, K.THEME_DAY, day, party, status=Meeting.Status.PLANNED)
        if meeting is not None:
            meeting.notice_sent_at = self.now
        if featured:
            # One meeting of the featured branch is on now: its sign-in window is open.
            m = self.add(branch, K.GENERAL_MEETING, self.today, party,
                         status=Meeting.Status.PLANNED)  # fmt: skip
            if m is not None:
                m.topic = "讨论接收预备党员"
                m.held_at = self.now + dt.timedelta(minutes=20)
                m.sign_in_opens_at = self.now - dt.timedelta(minutes=10)
                m.sign_in_closes_at = self.now + dt.timedelta(hours=3)
                m.notice_sent_at = self.now - dt.timedelta(days=2)

    # -- writing -------------------------------------------------------------

    def flush(self) -> None:
        """Write the meetings gathered so far with their attendance, keep only what the later
        steps need (votes, the 组织生活会), and let the rest go (city scale: bounded memory)."""
        ctx, rng = self.ctx, self.rng
        bulk_insert(Meeting, self.meetings)
        # A few copied and too-short minutes, checked the way the service checks them.
        held = [m for m in self.meetings if m.status == Meeting.Status.HELD and m.minutes]
        if len(held) > 50 and not ctx.bulk and not self.flagged:
            flagged = []
            for m in rng.sample(held, 6):
                source = rng.choice(held)
                if source.org_id != m.org_id:
                    m.minutes, m.minutes_text = source.minutes, source.minutes_text
                    m.minutes_digest = source.minutes_digest
                else:
                    self.set_minutes(m, "<p>学习了文件。</p>")
                m.quality, m.similar_to_id, m.similarity = quality.assess(m)
                flagged.append(m)
            Meeting.objects.bulk_update(
                flagged,
                ["minutes", "minutes_text", "minutes_digest", "quality", "similar_to",
                 "similarity"],
            )  # fmt: skip
            self.flagged = True
        rows: list[Attendance] = []
        for meeting, ids in zip(self.meetings, self.expected, strict=True):
            if meeting.kind == K.LIFE_MEETING and meeting.held_at.year == self.today.year - 1:
                self.life.append((meeting, ids))
            if meeting.status == Meeting.Status.PLANNED:
                rows += [Attendance(meeting=meeting, member_id=i) for i in ids]
                continue
            if meeting.held_at.date() < self.attendance_from:
                continue
            if meeting.kind == K.GENERAL_MEETING and meeting.topic == "讨论接收预备党员":
                self.vote_candidates.append(meeting)
            for member_id in ids:
                rows.append(self.attendance(meeting, member_id))
            if len(rows) >= BATCH:
                bulk_insert(Attendance, rows)
                rows = []
        bulk_insert(Attendance, rows)
        self.written += len(self.meetings)
        self.meetings, self.expected = [], []

    def attendance(self, meeting: Meeting, member_id: int) -> Attendance:
        r = self.rng.random()
        row = Attendance(meeting=meeting, member_id=member_id)
        if r < 0.86:
            row.status = Attendance.Status.PRESENT
            row.channel = self.rng.choice(["qr", "qr", "code", "secretary"])
            row.signed_at = meeting.held_at - dt.timedelta(minutes=self.rng.randint(0, 25))
        elif r < 0.94:
            row.status = Attendance.Status.LEAVE
            row.leave_reason = self.rng.choice(["出差", "病假", "参加上级培训", "外出调研"])
            row.leave_status = Attendance.Leave.APPROVED
            row.leave_decided_at = meeting.held_at - dt.timedelta(days=1)
        elif r < 0.97:
            row.status = Attendance.Status.MADE_UP
            row.made_up_at = meeting.held_at + dt.timedelta(days=self.rng.randint(2, 10))
            row.makeup_note = "已学习会议记录和相关文件。"
        else:
            row.status = Attendance.Status.ABSENT
        return row

    def votes(self) -> None:
        """Votes at general meetings that admitted a probationary member, judged by the rule."""
        out = []
        present_by_meeting: dict[int, int] = defaultdict(int)
        ids = [m.pk for m in self.vote_candidates]
        voters = self.voters
        for meeting_id, member_id in Attendance.objects.filter(
            meeting_id__in=ids, status=Attendance.Status.PRESENT
        ).values_list("meeting_id", "member_id"):
            if member_id in voters:
                present_by_meeting[meeting_id] += 1
        by_id = {m.pk: m for m in self.vote_candidates}
        for meeting_id in ids:
            meeting = by_id[meeting_id]
            total = len(self.voters_of[meeting.org_id])
            present = min(present_by_meeting[meeting_id], total)
            if not total or not present:
                continue
            votes_for = max(0, present - self.rng.choice([0, 0, 0, 1]))
            try:
                result = judge_vote(
                    voting_members=total,
                    present_voting=present,
                    votes_for=votes_for,
                    abstain=present - votes_for,
                    on=meeting.held_at.date(),
                )
            except Exception:  # the library may lack the rule: no votes then
                return
            out.append(
                Vote(
                    meeting=meeting,
                    subject="接收入党积极分子为预备党员",
                    votes_for=votes_for,
                    abstain=present - votes_for,
                    voting_members=total,
                    present_voting=present,
                    quorum=result.quorum,
                    passed=result.passed,
                    quorum_needed=result.quorum_needed,
                    pass_needed=result.pass_needed,
                    explanation=result.explanation,
                    rule_code=result.rule,
                    rule_version=result.rule_version,
                )
            )
        Vote.objects.bulk_create(out, batch_size=BATCH)

    def plan(self) -> None:
        year = self.today.year
        rules = plan_mod.plan_rules(year)
        slots: list[PlanSlot] = []
        for branch in self.ctx.branches:
            slots += plan_mod.slots_for(
                branch,
                self.groups_of.get(branch.pk, []),
                year,
                full_members=len(self.voters_of.get(branch.pk, ())),
                rules=rules,
            )
            if len(slots) >= BATCH:
                PlanSlot.objects.bulk_create(slots, ignore_conflicts=True)
                slots = []
        PlanSlot.objects.bulk_create(slots, ignore_conflicts=True)
        self.link_slots(year)

    def link_slots(self, year: int) -> None:
        """Tie each meeting held this year to the plan slot it fulfils (same branch, group and
        kind, held within the slot's period), as holding a meeting scheduled from the plan
        does, so 按计划召开 counts in the demo as it would in use."""
        open_slots: dict[tuple, list] = {}
        for pk, org_id, group_id, kind, start, due in (
            PlanSlot.objects.filter(year=year)
            .order_by("period_start", "sequence")
            .values_list("pk", "org_id", "group_id", "kind", "period_start", "due_on")
        ):
            open_slots.setdefault((org_id, group_id, kind), []).append((pk, start, due))
        linked = []
        for pk, org_id, group_id, kind, held_at in (
            Meeting.objects.filter(
                status=Meeting.Status.HELD, held_at__year=year, slot__isnull=True
            )
            .order_by("held_at")
            .values_list("pk", "org_id", "group_id", "kind", "held_at")
        ):
            held_on = timezone.localdate(held_at)
            candidates = open_slots.get((org_id, group_id, kind), [])
            for i, (slot_id, start, due) in enumerate(candidates):
                if start <= held_on <= due:
                    linked.append((pk, slot_id))
                    del candidates[i]
                    break
        update_column(Meeting, "slot_id", linked)

    def appraisals(self) -> None:
        """Last year's appraisal for every branch (finalized), this year's open for a few."""
        rng, ctx = self.rng, self.ctx
        year = self.today.year - 1
        appraisals = []
        for branch in ctx.branches:
            appraisals.append(
                Appraisal(
                    org=branch,
                    year=year,
                    status=Appraisal.Status.FINALIZED,
                    finalized_at=_at(rng, dt.date(year, 12, 28)),
                )
            )
        featured = self.featured_org
        if featured is not None:
            appraisals.append(Appraisal(org=featured, year=self.today.year))
        Appraisal.objects.bulk_create(appraisals, batch_size=BATCH)
        entries, ratings, unqualified = [], [], []
        for appraisal in appraisals:
            party = sorted(self.party_of[appraisal.org_id])
            finalized = appraisal.status == Appraisal.Status.FINALIZED
            for member_id in party:
                r = rng.random()
                rating = (
                    "excellent" if r < 0.2 else "qualified" if r < 0.985 else
                    "basically_qualified" if r < 0.997 else "unqualified"
                ) if finalized else ""  # fmt: skip
                entry = AppraisalEntry(
                    appraisal=appraisal,
                    member_id=member_id,
                    self_assessment="一年来认真学习党的理论，按时参加组织生活，较好完成本职工作。",
                    final_rating=rating,
                )
                entries.append(entry)
                if rating == "unqualified":
                    unqualified.append(entry)
                if not ctx.bulk:
                    for ratee in rng.sample(party, min(4, len(party))):
                        if ratee != member_id:
                            ratings.append(
                                AppraisalRating(
                                    appraisal=appraisal,
                                    rater_id=member_id,
                                    ratee_id=ratee,
                                    rating=rng.choice(["excellent", "qualified", "qualified"]),
                                )
                            )
        AppraisalEntry.objects.bulk_create(entries, batch_size=BATCH)
        AppraisalRating.objects.bulk_create(ratings, batch_size=BATCH)
        self.unqualified = unqualified

    def rectifications(self) -> None:
        """Problems raised at last year's 组织生活会 of some branches, and the follow-up of
        members rated 不合格, on the rectification list."""
        from django.contrib.contenttypes.models import ContentType

        rng = self.rng
        if not self.life:
            return
        chosen = rng.sample(self.life, max(1, len(self.life) // 5))
        items = []
        for meeting, ids in chosen:
            for member_id in rng.sample(ids, min(2, len(ids))):
                items.append(
                    CriticismItem(
                        meeting=meeting,
                        member_id=member_id,
                        kind="self",
                        critic_id=member_id,
                        content=rng.choice(CRITICISM),
                    )
                )
        CriticismItem.objects.bulk_create(items, batch_size=BATCH)
        item_type = ContentType.objects.get_for_model(CriticismItem)
        entry_type = ContentType.objects.get_for_model(AppraisalEntry)
        rects = []
        for item in items:
            deadline = item.meeting.held_at.date() + dt.timedelta(days=rng.choice([60, 90, 120]))
            done = deadline < self.today and rng.random() < 0.7
            rects.append(
                Rectification(
                    org_id=item.meeting.org_id,
                    item=f"整改：{item.content}",
                    detail=item.content,
                    owner_id=item.member_id,
                    deadline=deadline,
                    status=Rectification.Status.VERIFIED if done else Rectification.Status.OPEN,
                    evidence="制定了个人学习计划并按月落实。" if done else "",
                    submitted_at=_at(rng, deadline - dt.timedelta(days=5)) if done else None,
                    verified_at=_at(rng, deadline - dt.timedelta(days=2)) if done else None,
                    source_type=item_type,
                    source_id=item.pk,
                    source_label=f"{item.meeting.topic}（自我批评）",
                )
            )
        for entry in getattr(self, "unqualified", []):
            rects.append(
                Rectification(
                    org_id=entry.appraisal.org_id,
                    item=f"{self.names.get(entry.member_id, '')}：民主评议不合格，限期改正",
                    owner_id=entry.member_id,
                    deadline=self.today + dt.timedelta(days=rng.randint(30, 150)),
                    source_type=entry_type,
                    source_id=entry.pk,
                    source_label=f"{entry.appraisal.year} 年度民主评议党员",
                )
            )
        Rectification.objects.bulk_create(rects, batch_size=BATCH)

    def run(self) -> None:
        ctx = self.ctx
        self.names = {m.pk: m.name for m in ctx.members()}
        self.party_of = {b.pk: {m.pk for m in ctx.party_members(b.pk)} for b in ctx.branches}
        self.voters_of = {
            b.pk: {
                m.pk
                for m in ctx.members_by_org.get(b.pk, [])
                if m.status == "full" and not m.voting_rights_suspended
            }
            for b in ctx.branches
        }
        self.voters = set().union(*self.voters_of.values()) if self.voters_of else set()
        shuji = ctx.accounts.get("shuji")
        self.featured_org = None
        if shuji is not None and shuji.member_id:
            featured_id = shuji.member.org_id
            self.featured_org = next((b for b in ctx.branches if b.pk == featured_id), None)
        for branch in ctx.branches:
            party = self.party_of[branch.pk]
            if not party:
                continue
            for year in range(self.start.year, self.today.year + 1):
                self.branch_year(branch, party, year)
            self.upcoming(branch, party, featured=branch == self.featured_org)
            if len(self.meetings) >= 20 * BATCH:
                self.flush()
        self.flush()
        ctx.log(f"meetings: {self.written} 次会议")
        self.votes()
        self.plan()
        self.appraisals()
        self.rectifications()


def build(ctx: DemoContext) -> None:
    Builder(ctx).run()
