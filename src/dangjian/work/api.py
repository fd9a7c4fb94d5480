"""党建+业务 API at /api/v1/work: initiatives and their phases, tasks and their progress,
feedback on key-point items, pledges. Thin: the gate (404 outside reach), then a selector or a
service; writes that a phone may retry accept an ``Idempotency-Key``."""

from __future__ import annotations

from django.utils import timezone
from ninja import Query, Router, Status

from dangjian.api.paging import page_of
from dangjian.api.types import Id
from dangjian.core.idempotency import idempotent
from dangjian.core.scope import get_manageable, get_visible
from dangjian.meetings.models import Meeting
from dangjian.members.models import Member
from dangjian.orgs.models import Org
from dangjian.work import selectors, services
from dangjian.work.models import Initiative, PlanItem, Pledge, Task
from dangjian.work.schemas import (
    AdvanceIn,
    CompleteIn,
    FeedbackIn,
    FeedbackOut,
    FulfilIn,
    InitiativeFilter,
    InitiativeIn,
    InitiativeOut,
    InitiativePage,
    PledgeIn,
    PledgeOut,
    ProgressIn,
    TaskFilter,
    TaskIn,
    TaskOut,
    TaskPage,
)

router = Router(tags=["党建+业务"])


def _initiative(pk: int) -> Initiative:
    return Initiative.objects.select_related("org").prefetch_related("indicators").get(pk=pk)


def _task(pk: int) -> Task:
    return Task.objects.select_related("org", "member").get(pk=pk)


@router.get(
    "/initiatives", response=InitiativePage, summary="融合项目列表（按组织、年度、阶段筛选）"
)
def initiative_list(request, filters: Query[InitiativeFilter]):
    org = get_manageable(Org.objects.all(), request.user, pk=filters.org) if filters.org else None
    qs = selectors.initiative_list(
        request.user, q=filters.q, year=filters.year, org=org, phase=filters.phase or ""
    )
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@router.post("/initiatives", response={201: InitiativeOut}, summary="新建融合项目（谋划阶段）")
def initiative_create(request, payload: InitiativeIn):
    """例：`{"title": "党员先锋服务预算编制攻坚", "org": 3, "unit": "预算处", "year": 2026,
    "goal": "…", "indicators": [{"name": "预算草案按期报送", "target": "100", "unit": "%"}]}`"""
    org = get_manageable(Org.objects.all(), request.user, pk=payload.org)
    members = list(
        Member.objects.manageable_by(request.user)
        .select_related("org")
        .filter(pk__in=payload.members)
    )
    if len(members) != len(set(payload.members)):
        from dangjian.core.errors import DomainError

        raise DomainError("参与党员不存在或不在管理范围内", field="members")
    initiative = services.initiative_create(
        actor=request.user,
        org=org,
        title=payload.title,
        unit=payload.unit,
        year=payload.year,
        goal=payload.goal,
        indicators=[i.model_dump() for i in payload.indicators],
        members=members,
    )
    return Status(201, _initiative(initiative.pk))


@router.get("/initiatives/{initiative_id}", response=InitiativeOut, summary="融合项目详情")
def initiative_detail(request, initiative_id: Id):
    get_visible(Initiative.objects.all(), request.user, pk=initiative_id)
    return _initiative(initiative_id)


@router.post(
    "/initiatives/{initiative_id}/advance",
    response=InitiativeOut,
    summary="推进到下一阶段（跳过阶段 409；本阶段记录不全 422）",
)
def initiative_advance(request, initiative_id: Id, payload: AdvanceIn):
    """阶段顺序：plan（谋划）→ deploy（部署）→ execute（落实）→ review（检查）→ done（已完成）。
    谋划须有目标和指标；部署须至少交办 1 项任务；落实须有推进情况（`progress`）或任务进展；
    检查须填齐指标实际值（`actuals`）并关联会议（`review_meeting`）或填写书面评估（`review`）。"""
    initiative = get_manageable(
        Initiative.objects.select_related("org"), request.user, pk=initiative_id
    )
    meeting = None
    if payload.review_meeting is not None:
        meeting = get_visible(
            Meeting.objects.select_related("org"), request.user, pk=payload.review_meeting
        )
    services.initiative_advance(
        actor=request.user,
        initiative=initiative,
        to=payload.to,
        progress=payload.progress,
        review=payload.review,
        review_meeting=meeting,
        actuals=payload.actuals,
        note=payload.note,
    )
    return _initiative(initiative.pk)


@router.post(
    "/initiatives/{initiative_id}/tasks",
    response={201: TaskOut},
    summary="交办任务（给组织或党员）",
)
def initiative_task(request, initiative_id: Id, payload: TaskIn):
    initiative = get_manageable(
        Initiative.objects.select_related("org"), request.user, pk=initiative_id
    )
    org = member = None
    if payload.org is not None:
        org = get_manageable(Org.objects.all(), request.user, pk=payload.org)
    else:
        member = get_manageable(
            Member.objects.select_related("org"), request.user, pk=payload.member
        )
    task = services.task_assign(
        actor=request.user,
        initiative=initiative,
        title=payload.title,
        due=payload.due,
        org=org,
        member=member,
        done_definition=payload.done_definition,
    )
    return Status(201, _task(task.pk))


@router.get("/tasks", response=TaskPage, summary="任务列表（按组织、状态筛选，含逾期）")
def task_list(request, filters: Query[TaskFilter]):
    org = get_manageable(Org.objects.all(), request.user, pk=filters.org) if filters.org else None
    qs = selectors.task_list(
        request.user,
        today=timezone.localdate(),
        org=org,
        status=filters.status or "",
        manage=False,
    )
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@router.get("/tasks/{task_id}", response=TaskOut, summary="任务详情")
def task_detail(request, task_id: Id):
    return get_visible(Task.objects.select_related("org", "member"), request.user, pk=task_id)


@router.post(
    "/tasks/{task_id}/progress", response=TaskOut, summary="报告任务进展（支持 Idempotency-Key）"
)
def task_progress(request, task_id: Id, payload: ProgressIn):
    task = get_visible(Task.objects.all(), request.user, pk=task_id)

    def run():
        services.task_progress(
            actor=request.user, task=task, percent=payload.percent, note=payload.note
        )
        return 200, TaskOut.from_orm(_task(task.pk)).model_dump(mode="json", by_alias=True)

    status, body = idempotent(
        request, run, endpoint="work.task_progress", payload={"task": task.pk, **payload.dict()}
    )
    return Status(status, body)


@router.post("/tasks/{task_id}/complete", response=TaskOut, summary="任务办结")
def task_complete(request, task_id: Id, payload: CompleteIn):
    task = get_visible(Task.objects.all(), request.user, pk=task_id)
    services.task_complete(actor=request.user, task=task, outcome=payload.outcome)
    return _task(task.pk)


@router.post(
    "/plan-items/{item_id}/feedback",
    response=FeedbackOut,
    summary="支部反馈工作要点落实情况（每支部每条一份，再次提交即修改）",
)
def plan_feedback(request, item_id: Id, payload: FeedbackIn):
    """平台已有的数据（党员人数、本年组织生活、融合项目、承诺、本条任务进度）自动带出，保存在
    `facts` 中，不需再填。"""
    branch = get_manageable(Org.objects.all(), request.user, pk=payload.org)
    item = PlanItem.objects.select_related("plan__org").filter(pk=item_id).first()
    if item is None or selectors.plan_for(request.user, item.plan_id) is None:
        from django.http import Http404

        raise Http404("对象不存在或无权访问")
    facts = selectors.feedback_facts(item, branch, today=timezone.localdate())
    return services.feedback_file(
        actor=request.user, item=item, org=branch, text=payload.text, facts=facts
    )


@router.post("/pledges", response={201: PledgeOut}, summary="登记党员年度承诺")
def pledge_create(request, payload: PledgeIn):
    member = get_visible(Member.objects.select_related("org"), request.user, pk=payload.member)
    if member.pk != request.user.member_id:
        member = get_manageable(
            Member.objects.select_related("org"), request.user, pk=payload.member
        )
    pledge = services.pledge_make(
        actor=request.user, member=member, year=payload.year, text=payload.text
    )
    return Status(201, Pledge.objects.select_related("member").get(pk=pledge.pk))


@router.post("/pledges/{pledge_id}/fulfil", response=PledgeOut, summary="支部评定践诺情况")
def pledge_fulfil(request, pledge_id: Id, payload: FulfilIn):
    pledge = get_manageable(
        Pledge.objects.select_related("member__org"), request.user, pk=pledge_id
    )
    return services.pledge_fulfil(
        actor=request.user, pledge=pledge, result=payload.result, rating=payload.rating
    )
