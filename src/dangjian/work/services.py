"""Every change to 党建+业务 data: joint initiatives and their phases, tasks and their
progress, the annual key points (党建工作要点) and their decomposition and feedback, posts,
zones and pledges. The view or API operation has loaded the object through the gate; a
service checks the domain's rules and writes one audit entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.core.actors import actor_name, actor_user
from dangjian.core.audit import audit
from dangjian.core.choices import choices_text
from dangjian.core.dates import check_sensible_date
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.uploads import accept
from dangjian.members.models import Member
from dangjian.orgs.models import Org
from dangjian.work.models import (
    Feedback,
    Indicator,
    Initiative,
    InitiativeAttachment,
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

YEARS = (2000, 2100)
MAX_INDICATORS = 20
ATTACHMENT_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "application/zip",  # docx / xlsx are zip containers
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
)


def _text(value, *, field: str, label: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"请填写{label}", field=field)
    if len(value) > limit:
        raise DomainError(f"{label}过长（最多 {limit} 字）", field=field)
    return value


def _year(year) -> int:
    if not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]:
        raise DomainError("年度无效", field="year")
    return year


def _decimal(value, *, field: str, label: str, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise DomainError(f"请填写{label}", field=field)
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise DomainError(f"{label}应为数字", field=field) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise DomainError(f"{label}不合理", field=field)
    return number.quantize(Decimal("0.01"))


def _in_subtree(org: Org, top: Org) -> bool:
    return org.path.startswith(top.path)


def _indicators(rows: list[dict]) -> list[Indicator]:
    if len(rows) > MAX_INDICATORS:
        raise DomainError(f"业务指标最多 {MAX_INDICATORS} 项", field="indicators")
    out = []
    for i, row in enumerate(rows):
        f = f"indicators.{i}."
        out.append(
            Indicator(
                name=_text(row.get("name"), field=f"{f}name", label="指标名称", limit=100),
                target=_decimal(row.get("target"), field=f"{f}target", label="目标值"),
                unit=_text(
                    row.get("unit"), field=f"{f}unit", label="单位", limit=20, required=False
                ),
                owner=_text(
                    row.get("owner"), field=f"{f}owner", label="责任人", limit=50, required=False
                ),
            )
        )
    return out


# --- initiatives ----------------------------------------------------------------------


@transaction.atomic
def initiative_create(
    *,
    actor,
    org: Org,
    title: str,
    unit: str,
    year: int,
    goal: str = "",
    indicators: list[dict] | None = None,
    members: list[Member] | None = None,
) -> Initiative:
    """A joint initiative in its first phase (谋划). ``members`` must belong to ``org``'s
    subtree."""
    if org.kind == Org.Kind.GROUP:
        raise DomainError("融合项目由党委、党总支或党支部牵头", field="org")
    values = {
        "title": _text(title, field="title", label="项目名称", limit=200),
        "unit": _text(unit, field="unit", label="业务部门", limit=100),
        "year": _year(year),
        "goal": _text(goal, field="goal", label="目标", limit=2000, required=False),
    }
    rows = _indicators(indicators or [])
    members = list(members or [])
    outside = [m.name for m in members if not m.org.path.startswith(org.path)]
    if outside:
        raise DomainError(f"{'、'.join(outside)}不在{org.name}", field="members")
    initiative = Initiative.objects.create(org=org, created_by=actor_user(actor), **values)
    for row in rows:
        row.initiative = initiative
    Indicator.objects.bulk_create(rows)
    initiative.members.set(members)
    audit(
        actor=actor,
        action="create",
        obj=initiative,
        org=org,
        verb=f"新建融合项目 {values['title'][:40]}",
        changes={"phase": [None, Phase.PLAN], "unit": [None, values["unit"]]},
    )
    return initiative


def phase_gaps(initiative: Initiative) -> list[dict]:
    """What the current phase still lacks before the initiative may move on (empty: none)."""
    gaps = []
    phase = initiative.phase
    if phase == Phase.PLAN:
        if not initiative.goal.strip():
            gaps.append({"field": "goal", "message": "谋划阶段须写明项目目标"})
        if not initiative.indicators.exists():
            gaps.append({"field": "indicators", "message": "谋划阶段须至少设定 1 项业务指标"})
    elif phase == Phase.DEPLOY:
        if not initiative.tasks.exists():
            gaps.append({"field": "tasks", "message": "部署阶段须至少交办 1 项任务"})
    elif phase == Phase.EXECUTE:
        reported = TaskNote.objects.filter(task__initiative=initiative).exists()
        if not initiative.progress.strip() and not reported:
            gaps.append({"field": "progress", "message": "落实阶段须记录推进情况（或任务进展）"})
    elif phase == Phase.REVIEW:
        missing = list(
            initiative.indicators.filter(actual__isnull=True).values_list("name", flat=True)
        )
        if missing:
            gaps.append(
                {"field": "actuals", "message": f"检查阶段须填写指标实际值：{'、'.join(missing)}"}
            )
        if initiative.review_meeting_id is None and not initiative.review.strip():
            gaps.append(
                {"field": "review", "message": "检查阶段须关联研究检查的会议或填写书面检查评估"}
            )
    return gaps


@transaction.atomic
def initiative_advance(
    *,
    actor,
    initiative: Initiative,
    to: str,
    progress: str = "",
    review: str = "",
    review_meeting=None,
    actuals: dict[int, object] | None = None,
    note: str = "",
) -> Initiative:
    """Move to the next phase. What the current phase must record may come with the call
    (``progress``, ``review``, ``review_meeting``, ``actuals`` per indicator id) and is saved
    first. A skipped or backward phase is a conflict (409); a gap is a 422 naming it."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if to not in Phase.values:
        raise DomainError(f"阶段无效，可选：{choices_text(Phase.choices)}", field="to")
    expected = initiative.next_phase
    if expected is None:
        raise Conflict("项目已完成，不能再推进")
    if to != expected:
        raise Conflict(
            f"项目当前处于“{initiative.get_phase_display()}”阶段，只能推进到"
            f"“{Phase(expected).label}”，不能跳过或回退",
            field="to",
        )
    changed = []
    if progress.strip():
        initiative.progress = _text(progress, field="progress", label="推进情况", limit=5000)
        changed.append("progress")
    if review.strip():
        initiative.review = _text(review, field="review", label="检查评估", limit=5000)
        changed.append("review")
    if review_meeting is not None:
        if not review_meeting.org.path.startswith(initiative.org.path) and not (
            initiative.org.path.startswith(review_meeting.org.path)
        ):
            raise DomainError("检查会议须是本组织或上下级组织的会议", field="review_meeting")
        if review_meeting.status != "held":
            raise DomainError("检查会议须是已召开的会议", field="review_meeting")
        initiative.review_meeting = review_meeting
        changed.append("review_meeting")
    if actuals:
        by_id = {i.pk: i for i in initiative.indicators.all()}
        for key, value in actuals.items():
            indicator = by_id.get(int(key))
            if indicator is None:
                raise DomainError("指标不属于该项目", field="actuals")
            indicator.actual = _decimal(
                value, field=f"actuals.{key}", label=f"{indicator.name}的实际值", required=False
            )
            indicator.save(update_fields=["actual"])
    if changed:
        initiative.save(update_fields=[*changed, "updated_at"])
    gaps = phase_gaps(initiative)
    if gaps:
        raise DomainError(
            f"“{initiative.get_phase_display()}”阶段尚缺：" + "；".join(g["message"] for g in gaps),
            errors=gaps,
        )
    before = initiative.phase
    initiative.phase = to
    fields = ["phase", "updated_at"]
    if to == Phase.DONE:
        initiative.completed_on = timezone.localdate()
        fields.append("completed_on")
    initiative.save(update_fields=fields)
    PhaseChange.objects.create(
        initiative=initiative,
        from_phase=before,
        to_phase=to,
        note=_text(note, field="note", label="说明", limit=1000, required=False),
        at=timezone.now(),
        by_name=actor_name(actor),
    )
    audit(
        actor=actor,
        action="update",
        obj=initiative,
        verb=f"融合项目推进到{Phase(to).label}：{initiative.title[:40]}",
        changes={"phase": [before, to]},
    )
    return initiative


@transaction.atomic
def initiative_attach(*, actor, initiative: Initiative, upload) -> InitiativeAttachment:
    ctype, _ext = accept(
        upload, ATTACHMENT_TYPES, type_message="附件须为 PDF、图片或 Word、Excel 文件"
    )
    name = _text(getattr(upload, "name", ""), field="file", label="文件名", limit=200)
    att = InitiativeAttachment.objects.create(
        initiative=initiative, name=name, file=upload, content_type=ctype
    )
    audit(actor=actor, action="create", obj=att, org=initiative.org, verb=f"上传项目附件 {name}")
    return att


# --- tasks ----------------------------------------------------------------------------


@transaction.atomic
def task_assign(
    *,
    actor,
    title: str,
    due: dt.date,
    initiative: Initiative | None = None,
    plan_item: PlanItem | None = None,
    org: Org | None = None,
    member: Member | None = None,
    done_definition: str = "",
) -> Task:
    """Send a task down to an org of the source's subtree or to a named member of it."""
    if (initiative is None) == (plan_item is None):
        raise DomainError("任务须来自一个融合项目或一条工作要点", field="initiative")
    top = initiative.org if initiative else plan_item.plan.org
    if initiative is not None and initiative.phase == Phase.DONE:
        raise Conflict("项目已完成，不能再交办任务")
    if (org is None) == (member is None):
        raise DomainError("请选择承办党组织或承办党员（二选一）", field="org")
    if member is not None:
        if member.left_on is not None:
            raise DomainError(f"{member.name}已不在党组织名册中", field="member")
        org = member.org
    if not _in_subtree(org, top):
        raise DomainError(
            f"承办方须在{top.name}及其下级组织中", field="member" if member else "org"
        )
    check_sensible_date(due, field="due")
    task = Task.objects.create(
        initiative=initiative,
        plan_item=plan_item,
        org=org,
        member=member,
        assigner_org=top,
        title=_text(title, field="title", label="任务名称", limit=200),
        done_definition=_text(
            done_definition, field="done_definition", label="完成标准", limit=500, required=False
        ),
        due=due,
        created_by=actor_user(actor),
    )
    who = member.name if member else org.name
    audit(
        actor=actor, action="create", obj=task, org=org, verb=f"交办任务 {task.title[:40]} 给 {who}"
    )
    _notify_assignee(task, title=f"新任务：{task.title}", body=f"完成时限 {due}。")
    return task


def _notify_assignee(task: Task, *, title: str, body: str, dedupe: str = "") -> None:
    from django.urls import reverse

    from dangjian.core.services import notify
    from dangjian.work.selectors import assignee_users

    notify(
        users=assignee_users([task]).get(task.pk, []),
        title=title,
        body=body,
        link=reverse("work:task", args=[task.pk]),
        dedupe_key=dedupe,
    )


def _open(task: Task) -> None:
    if task.status == Task.Status.DONE:
        raise Conflict("任务已完成，不能再报告进展")


@transaction.atomic
def task_progress(*, actor, task: Task, percent, note: str) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    _open(task)
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise DomainError("进度应为 0 到 100 之间的整数", field="percent")
    note = _text(note, field="note", label="进展情况", limit=2000)
    before = (task.status, task.percent)
    task.percent = percent
    task.status = Task.Status.IN_PROGRESS
    task.save(update_fields=["percent", "status", "updated_at"])
    TaskNote.objects.create(
        task=task, percent=percent, note=note, at=timezone.now(), by_name=actor_name(actor)
    )
    audit(
        actor=actor,
        action="update",
        obj=task,
        verb=f"报告任务进展 {task.title[:40]}：{percent}%",
        changes={"status": [before[0], task.status], "percent": [before[1], percent]},
    )
    return task


@transaction.atomic
def task_complete(*, actor, task: Task, outcome: str, on: dt.date | None = None) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status == Task.Status.DONE:
        raise Conflict("任务已完成")
    before = task.status
    task.outcome = _text(outcome, field="outcome", label="完成情况", limit=5000)
    task.status = Task.Status.DONE
    task.percent = 100
    task.completed_on = on or timezone.localdate()
    task.save(update_fields=["outcome", "status", "percent", "completed_on", "updated_at"])
    audit(
        actor=actor,
        action="update",
        obj=task,
        verb=f"任务办结 {task.title[:40]}",
        changes={"status": [before, task.status]},
    )
    return task


# --- the annual key points -----------------------------------------------------------


@transaction.atomic
def plan_create(*, actor, org: Org, year: int, title: str, items: list[dict]) -> WorkPlan:
    """A draft 党建工作要点 of a committee (or branch) with its items (``text``, ``due``)."""
    if org.kind in (Org.Kind.BRANCH, Org.Kind.GROUP):
        raise DomainError("党建工作要点由机关工委、党委或党总支发布", field="org")
    year = _year(year)
    title = _text(title, field="title", label="标题", limit=200)
    if not items:
        raise DomainError("请至少填写 1 条工作要点", field="items")
    rows = []
    for i, item in enumerate(items):
        due = item.get("due")
        if not isinstance(due, dt.date):
            raise DomainError("请填写完成时限", field=f"items.{i}.due")
        check_sensible_date(due, field=f"items.{i}.due")
        text = _text(item.get("text"), field=f"items.{i}.text", label="工作要点", limit=500)
        rows.append(PlanItem(number=i + 1, text=text, due=due))
    if WorkPlan.objects.filter(org=org, year=year).exists():
        raise Conflict(f"{org.name}{year}年已有党建工作要点", field="year")
    plan = WorkPlan.objects.create(org=org, year=year, title=title, created_by=actor_user(actor))
    for row in rows:
        row.plan = plan
    PlanItem.objects.bulk_create(rows)
    audit(actor=actor, action="create", obj=plan, org=org, verb=f"拟定党建工作要点 {title[:40]}")
    return plan


@transaction.atomic
def plan_publish(*, actor, plan: WorkPlan) -> int:
    """Publish the key points and break each item into a task for every branch of the
    subtree (a branch that already has the item's task keeps it). Returns the tasks made."""
    plan = WorkPlan.objects.select_for_update().select_related("org").get(pk=plan.pk)
    if plan.status == WorkPlan.Status.PUBLISHED:
        raise Conflict("党建工作要点已发布")
    branches = list(
        Org.objects.active().in_subtree(plan.org).filter(kind=Org.Kind.BRANCH).order_by("path")
    )
    items = list(plan.items.all())
    taken = set(Task.objects.filter(plan_item__in=items).values_list("plan_item_id", "org_id"))
    tasks = [
        Task(
            plan_item=item,
            org=branch,
            assigner_org=plan.org,
            title=item.text[:200],
            due=item.due,
            created_by=actor_user(actor),
        )
        for item in items
        for branch in branches
        if (item.pk, branch.pk) not in taken
    ]
    Task.objects.bulk_create(tasks)
    plan.status = WorkPlan.Status.PUBLISHED
    plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at", "updated_at"])
    audit(
        actor=actor,
        action="update",
        obj=plan,
        verb=f"发布党建工作要点 {plan.title[:40]}，分解任务 {len(tasks)} 项",
        changes={"status": [WorkPlan.Status.DRAFT, WorkPlan.Status.PUBLISHED]},
    )
    _notify_branches(plan, branches)
    return len(tasks)


def _notify_branches(plan: WorkPlan, branches: list[Org]) -> None:
    from django.urls import reverse

    from dangjian.core.services import notify
    from dangjian.work.selectors import org_users

    users = [u for us in org_users([b.pk for b in branches]).values() for u in us]
    notify(
        users=users,
        title=f"{plan.org.name}发布{plan.year}年党建工作要点",
        body="各支部请对照分解任务落实，并在每条要点下填报一次反馈。",
        link=reverse("work:plan", args=[plan.pk]),
        dedupe_key=f"work-plan-{plan.pk}",
    )


@transaction.atomic
def feedback_file(*, actor, item: PlanItem, org: Org, text: str, facts: dict) -> Feedback:
    """The branch's one feedback on an item: the first filing creates it, a second edits it
    (never a duplicate). ``facts`` are what the platform already knows (pre-filled)."""
    if not WorkPlan.objects.filter(pk=item.plan_id, status=WorkPlan.Status.PUBLISHED).exists():
        raise Conflict("党建工作要点尚未发布")
    if not _in_subtree(org, item.plan.org) or org.kind != Org.Kind.BRANCH:
        raise DomainError("反馈由要点发布范围内的党支部填报", field="org")
    text = _text(text, field="text", label="落实情况", limit=5000)
    try:
        with transaction.atomic():
            fb, created = Feedback.objects.select_for_update().get_or_create(
                item=item,
                org=org,
                defaults={"text": text, "facts": facts, "filed_by": actor_user(actor)},
            )
    except IntegrityError:  # a concurrent first filing won: edit it
        fb, created = Feedback.objects.select_for_update().get(item=item, org=org), False
    if not created:
        before = fb.text
        fb.text, fb.facts, fb.filed_by = text, facts, actor_user(actor)
        fb.save(update_fields=["text", "facts", "filed_by", "updated_at"])
        changes = {"text": [before, text]}
    else:
        changes = {"text": [None, text]}
    audit(
        actor=actor,
        action="create" if created else "update",
        obj=fb,
        org=org,
        verb=f"{'填报' if created else '修改'}工作要点反馈：{item.text[:30]}",
        changes=changes,
    )
    return fb


# --- posts, zones, pledges -----------------------------------------------------------

POST_MODELS = {"vanguard": VanguardPost, "zone": ResponsibilityZone}


@transaction.atomic
def post_create(
    *,
    actor,
    kind: str,
    org: Org,
    title: str,
    holders: list[Member],
    started_on: dt.date,
    ended_on: dt.date | None = None,
    duties: str = "",
):
    """A vanguard post (``kind="vanguard"``) or a responsibility zone (``"zone"``)."""
    model = POST_MODELS.get(kind)
    if model is None:
        raise DomainError(
            "类型无效，可选：党员先锋岗（vanguard）、党员责任区（zone）", field="kind"
        )
    title = _text(title, field="title", label="名称", limit=100)
    duties = _text(duties, field="duties", label="职责", limit=500, required=False)
    check_sensible_date(started_on, field="started_on")
    if ended_on is not None and ended_on < started_on:
        raise DomainError("结束日期不能早于开始日期", field="ended_on")
    if not holders:
        raise DomainError("请选择至少 1 名党员", field="holders")
    outside = [m.name for m in holders if not m.org.path.startswith(org.path)]
    if outside:
        raise DomainError(f"{'、'.join(outside)}不在{org.name}", field="holders")
    post = model.objects.create(
        org=org, title=title, duties=duties, started_on=started_on, ended_on=ended_on
    )
    post.holders.set(holders)
    audit(
        actor=actor,
        action="create",
        obj=post,
        org=org,
        verb=f"设立{model._meta.verbose_name} {title}（{'、'.join(m.name for m in holders)[:60]}）",
    )
    return post


@transaction.atomic
def pledge_make(*, actor, member: Member, year: int, text: str) -> Pledge:
    year = _year(year)
    text = _text(text, field="text", label="承诺事项", limit=2000)
    if member.left_on is not None:
        raise DomainError(f"{member.name}已不在党组织名册中", field="member")
    if member.status not in (Member.Status.FULL, Member.Status.PROBATIONARY):
        raise DomainError("承诺践诺由党员（含预备党员）作出", field="member")
    if Pledge.objects.filter(member=member, year=year).exists():
        raise Conflict(f"{member.name}{year}年已作出承诺", field="year")
    pledge = Pledge.objects.create(member=member, year=year, text=text)
    audit(
        actor=actor,
        action="create",
        obj=pledge,
        org=member.org,
        verb=f"{member.name}作出{year}年承诺",
    )
    return pledge


@transaction.atomic
def pledge_fulfil(*, actor, pledge: Pledge, result: str, rating: str) -> Pledge:
    """The branch records the fulfilment (践诺) and rates it."""
    if rating not in Pledge.Rating.values:
        raise DomainError(f"评定无效，可选：{choices_text(Pledge.Rating.choices)}", field="rating")
    result = _text(result, field="result", label="践诺情况", limit=5000)
    pledge = Pledge.objects.select_for_update().select_related("member__org").get(pk=pledge.pk)
    before = pledge.rating
    pledge.result, pledge.rating = result, rating
    pledge.rated_on = timezone.localdate()
    pledge.rated_by = actor_user(actor)
    pledge.save(update_fields=["result", "rating", "rated_on", "rated_by", "updated_at"])
    audit(
        actor=actor,
        action="update",
        obj=pledge,
        org=pledge.member.org,
        verb=f"评定{pledge.member.name}{pledge.year}年践诺情况",
        changes={"rating": [before or None, rating]},
    )
    return pledge
