"""Reads of 党建+业务, through the gate: the initiative board, task lists (an org's, mine),
the key points with their decomposition, the pre-filled feedback, posts and pledges. Each
list is one query (plus its count), whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet

from dangjian.core.scope import org_tree
from dangjian.members.models import Member
from dangjian.orgs.models import Org, Position
from dangjian.work.models import (
    Feedback,
    Initiative,
    Phase,
    PhaseChange,
    PlanItem,
    Pledge,
    ResponsibilityZone,
    Task,
    TaskNote,
    VanguardPost,
    WorkPlan,
)

BOARD_COLUMNS = [Phase.PLAN, Phase.DEPLOY, Phase.EXECUTE, Phase.REVIEW, Phase.DONE]


def initiative_list(
    user, *, q: str = "", year: int | None = None, org: Org | None = None, phase: str = ""
) -> QuerySet[Initiative]:
    qs = Initiative.objects.visible_to(user).select_related("org")
    if org is not None:
        qs = qs.in_subtree(org)
    if year:
        qs = qs.filter(year=year)
    if phase in Phase.values:
        qs = qs.filter(phase=phase)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(unit__icontains=q) | Q(goal__icontains=q))
    return qs.annotate(
        n_tasks=Count("tasks", distinct=True),
        n_done=Count("tasks", filter=Q(tasks__status=Task.Status.DONE), distinct=True),
    ).order_by("-year", "-updated_at", "-id")


@dataclass
class Column:
    phase: str
    label: str
    cards: list = field(default_factory=list)
    count: int = 0


def board(rows, counts: dict[str, int]) -> list[Column]:
    """The page's initiatives grouped by phase (a kanban), with each phase's total."""
    columns = {p: Column(p, Phase(p).label, count=counts.get(p, 0)) for p in BOARD_COLUMNS}
    for row in rows:
        columns[row.phase].cards.append(row)
    return list(columns.values())


def phase_counts(qs: QuerySet[Initiative]) -> dict[str, int]:
    return dict(qs.order_by().values_list("phase").annotate(n=Count("id", distinct=True)))


def initiative_detail(initiative: Initiative) -> dict:
    """What the detail page shows: indicators, tasks, the timeline (phase changes and task
    reports, newest first), attachments. A constant number of queries."""
    tasks = list(initiative.tasks.select_related("org", "member").order_by("due", "id"))
    events = [
        {
            "at": c.at,
            "what": f"进入“{c.get_to_phase_display()}”阶段",
            "note": c.note,
            "by": c.by_name,
        }
        for c in PhaseChange.objects.filter(initiative=initiative)
    ]
    events += [
        {
            "at": n.at,
            "what": f"任务进展：{n.task.title}（{n.percent}%）",
            "note": n.note,
            "by": n.by_name,
        }
        for n in TaskNote.objects.filter(task__initiative=initiative).select_related("task")[:50]
    ]
    events.append({"at": initiative.created_at, "what": "建立项目（谋划）", "note": "", "by": ""})
    events.sort(key=lambda e: e["at"], reverse=True)
    return {
        "indicators": list(initiative.indicators.all()),
        "tasks": tasks,
        "timeline": events,
        "attachments": list(initiative.attachments.all()),
        "members": list(initiative.members.select_related("org")),
    }


def task_list(
    user,
    *,
    today: dt.date,
    org: Org | None = None,
    status: str = "",
    q: str = "",
    manage: bool = True,
) -> QuerySet[Task]:
    base = Task.objects.manageable_by(user) if manage else Task.objects.visible_to(user)
    qs = base.select_related("org", "member", "initiative", "plan_item", "assigner_org")
    if org is not None:
        qs = qs.in_subtree(org)
    if status:
        qs = qs.with_status(status, today)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(member__name__icontains=q))
    return qs.order_by("status", "due", "id")


def my_tasks(user) -> QuerySet[Task]:
    """Tasks the user answers for: his own, and his orgs' (where he holds a position)."""
    held = Position.objects.active().filter(user=user).values("org_id")
    mine = Q(member_id=user.member_id) if user.member_id else Q(pk__in=[])
    return (
        Task.objects.visible_to(user)
        .filter(mine | Q(member__isnull=True, org_id__in=held))
        .select_related("org", "member", "initiative", "plan_item")
        .order_by(
            # open before done, soonest first
            "completed_on",
            "due",
            "id",
        )
    )


def org_users(org_ids) -> dict[int, list]:
    """Users holding an active position in each org: one query."""
    out: dict[int, list] = defaultdict(list)
    for p in (
        Position.objects.active()
        .filter(org_id__in=list(org_ids), user__isnull=False, user__is_active=True)
        .select_related("user")
    ):
        if p.user not in out[p.org_id]:
            out[p.org_id].append(p.user)
    return out


def assignee_users(tasks) -> dict[int, list]:
    """Who answers for each task: the member's account, or the users of the org. Two
    queries whatever the number of tasks."""
    members = {t.member_id for t in tasks if t.member_id}
    accounts = {
        u.member_id: u
        for u in get_user_model().objects.filter(member_id__in=members, is_active=True)
    }
    holders = org_users({t.org_id for t in tasks if not t.member_id})
    out = {}
    for t in tasks:
        if t.member_id:
            out[t.pk] = [accounts[t.member_id]] if t.member_id in accounts else []
        else:
            out[t.pk] = holders.get(t.org_id, [])
    return out


# --- the key points ------------------------------------------------------------------


def plan_list(user, *, year: int | None = None, q: str = "") -> QuerySet[WorkPlan]:
    """Plans the user manages, and published plans of orgs above his (he receives them)."""
    reach_orgs = Org.objects.manageable_by(user)
    above = Q(status=WorkPlan.Status.PUBLISHED, org__in=_ancestors_of(reach_orgs))
    qs = (WorkPlan.objects.manageable_by(user) | WorkPlan.objects.filter(above)).distinct()
    if year:
        qs = qs.filter(year=year)
    if q:
        qs = qs.filter(title__icontains=q)
    return (
        qs.select_related("org")
        .annotate(n_items=Count("items", distinct=True))
        .order_by("-year", "-id")
    )


def _ancestors_of(orgs: QuerySet[Org]) -> list[int]:
    """Ids of the orgs above the top orgs of ``orgs`` (one query plus one)."""
    paths = set(orgs.order_by().values_list("path", flat=True)[:200])
    step = org_tree().path_step
    above: set[str] = set()
    for path in paths:
        above.update(path[:i] for i in range(step, len(path), step))
    return list(Org.objects.filter(path__in=above).values_list("pk", flat=True))


def plan_for(user, plan_id: int) -> WorkPlan | None:
    return plan_list(user).filter(pk=plan_id).first()


@dataclass
class ItemSummary:
    item: PlanItem
    tasks: int = 0
    done: int = 0
    overdue: int = 0
    feedback: int = 0


def plan_summary(plan: WorkPlan, *, today: dt.date, user) -> list[ItemSummary]:
    """Per item, over the branches the user reaches: tasks, done, overdue, feedback filed."""
    items = list(plan.items.all())
    tasks = Task.objects.visible_to(user).filter(plan_item__plan=plan)
    counts = {
        r["plan_item"]: r
        for r in tasks.order_by()
        .values("plan_item")
        .annotate(
            n=Count("id"),
            done=Count("id", filter=Q(status=Task.Status.DONE)),
            late=Count("id", filter=~Q(status=Task.Status.DONE) & Q(due__lt=today)),
        )
    }
    fb = dict(
        Feedback.objects.visible_to(user)
        .filter(item__plan=plan)
        .order_by()
        .values_list("item")
        .annotate(n=Count("id"))
    )
    out = []
    for item in items:
        c = counts.get(item.pk, {})
        out.append(
            ItemSummary(item, c.get("n", 0), c.get("done", 0), c.get("late", 0), fb.get(item.pk, 0))
        )
    return out


def decomposition(plan: WorkPlan, user, branches: list[Org], items: list[PlanItem]) -> list:
    """One row per branch of the page: (branch, [(item, task, feedback) per item]). Two
    queries."""
    ids = [b.pk for b in branches]
    tasks = {
        (t.org_id, t.plan_item_id): t
        for t in Task.objects.visible_to(user).filter(plan_item__plan=plan, org_id__in=ids)
    }
    filed = {
        (f.org_id, f.item_id): f for f in Feedback.objects.filter(item__plan=plan, org_id__in=ids)
    }
    return [
        (b, [(i, tasks.get((b.pk, i.pk)), filed.get((b.pk, i.pk))) for i in items])
        for b in branches
    ]


def plan_branches(plan: WorkPlan, user) -> QuerySet[Org]:
    return (
        Org.objects.visible_to(user)
        .active()
        .in_subtree(plan.org)
        .filter(kind=Org.Kind.BRANCH)
        .order_by("path")
    )


FACT_LABELS = {
    "party_members": "党员人数",
    "full_members": "正式党员",
    "meetings_held": "本年已召开组织生活",
    "general_meetings": "其中支部党员大会",
    "party_lectures": "其中党课",
    "theme_days": "其中主题党日",
    "initiatives": "本年牵头融合项目",
    "pledges": "本年已承诺党员",
    "task_status": "本条任务状态",
    "task_percent": "本条任务进度（%）",
    "task_notes": "本条任务进展报告",
}


def feedback_facts(item: PlanItem, org: Org, *, today: dt.date) -> dict:
    """What the platform already knows about the branch for this item (ANT-4: never typed
    again): its members, the year's organizational life, initiatives and pledges, and the
    item's task. A handful of aggregate queries."""
    from dangjian.meetings.models import Meeting
    from dangjian.meetings.selectors import year_range

    year = item.plan.year
    members = Member.objects.on_rolls().filter(org__path__startswith=org.path)
    m = members.aggregate(
        party=Count("id", filter=Q(status__in=[Member.Status.FULL, Member.Status.PROBATIONARY])),
        full=Count("id", filter=Q(status=Member.Status.FULL)),
    )
    start, end = year_range(year)
    held = Meeting.objects.in_subtree(org).filter(
        status=Meeting.Status.HELD, held_at__gte=start, held_at__lt=end
    )
    kinds = Meeting.Kind
    mt = held.aggregate(
        n=Count("id"),
        general=Count("id", filter=Q(kind=kinds.GENERAL_MEETING)),
        lecture=Count("id", filter=Q(kind=kinds.PARTY_LECTURE)),
        theme=Count("id", filter=Q(kind=kinds.THEME_DAY)),
    )
    task = Task.objects.filter(plan_item=item, org=org).annotate(n_notes=Count("notes")).first()
    return {
        "party_members": m["party"],
        "full_members": m["full"],
        "meetings_held": mt["n"],
        "general_meetings": mt["general"],
        "party_lectures": mt["lecture"],
        "theme_days": mt["theme"],
        "initiatives": Initiative.objects.filter(org=org, year=year).count(),
        "pledges": Pledge.objects.filter(year=year, member__org__path__startswith=org.path).count(),
        "task_status": task.state_label if task else "未分解",
        "task_percent": task.percent if task else None,
        "task_notes": task.n_notes if task else 0,
    }


def fact_rows(facts: dict) -> list[tuple[str, object]]:
    return [(FACT_LABELS.get(k, k), v) for k, v in facts.items() if v is not None]


# --- posts, zones, pledges -----------------------------------------------------------


def posts_of(user, *, org: Org | None = None, q: str = ""):
    out = {}
    for key, model in (("vanguard", VanguardPost), ("zone", ResponsibilityZone)):
        qs = model.objects.visible_to(user).select_related("org")
        if org is not None:
            qs = qs.in_subtree(org)
        if q:
            qs = qs.filter(Q(title__icontains=q) | Q(holders__name__icontains=q)).distinct()
        out[key] = qs.prefetch_related(
            Prefetch("holders", queryset=Member.objects.only("id", "name"))
        ).order_by("org__path", "title")
    return out


def pledge_list(user, *, year: int, org: Org | None = None, q: str = "") -> QuerySet[Pledge]:
    qs = Pledge.objects.manageable_by(user).filter(year=year).select_related("member__org")
    if org is not None:
        qs = qs.in_subtree(org)
    if q:
        qs = qs.filter(Q(member__name__icontains=q) | Q(text__icontains=q))
    return qs.order_by("member__org__path", "member__name")


def members_without_pledge(user, *, year: int, org: Org | None = None) -> QuerySet[Member]:
    qs = Member.objects.manageable_by(user).on_rolls().filter(status=Member.Status.FULL)
    if org is not None:
        qs = qs.in_subtree(org)
    return (
        qs.exclude(pk__in=Pledge.objects.filter(year=year).values("member_id"))
        .select_related("org")
        .order_by("org__path", "name")
    )


def my_posts(user, member_id: int) -> dict:
    """The member's posts, zones and this year's pledge (his phone page)."""
    return {
        "posts": list(
            VanguardPost.objects.visible_to(user).filter(holders=member_id).select_related("org")
        ),
        "zones": list(
            ResponsibilityZone.objects.visible_to(user)
            .filter(holders=member_id)
            .select_related("org")
        ),
    }
