"""The annual key points (党建工作要点): draft, publish and decompose to every branch, and
the branches' one feedback per item."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.core.actors import actor_user
from dangjian.core.audit import audit
from dangjian.core.dates import check_sensible_date
from dangjian.core.errors import Conflict, DomainError
from dangjian.orgs.models import Org
from dangjian.work.models import (
    Feedback,
    PlanItem,
    Task,
    WorkPlan,
)
from dangjian.work.services.common import (
    _in_subtree,
    _text,
    _year,
)

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
    plan = WorkPlan.objects.select_for_update(of=("self",)).select_related("org").get(pk=plan.pk)
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
