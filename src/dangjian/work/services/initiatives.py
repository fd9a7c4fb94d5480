"""Joint initiatives and their phases, attachments, and the tasks they send down."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
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
    Indicator,
    Initiative,
    InitiativeAttachment,
    Phase,
    PhaseChange,
    PlanItem,
    Task,
    TaskNote,
)
from dangjian.work.services.common import (
    ATTACHMENT_TYPES,
    _decimal,
    _in_subtree,
    _indicators,
    _members_within,
    _text,
    _year,
)

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
    _members_within(members, org, field="members")
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
