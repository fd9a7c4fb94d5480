"""Background work of 党建+业务: remind assignees before a task's due date and escalate an
overdue task to the assigning org (its users' inbox, e-mail or webhook through
``core.services.notify``; the workbench and the compliance board show it too). Run daily:
``dangjian work_reminders`` from cron, or enqueue ``run_reminders``."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


def task_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    """Remind the assignee of each open task due within WRK-1's ``remind_days``; escalate
    each task past its due date plus ``grace_days`` to the assigner's users (once: the task
    records ``escalated_on``). Idempotent per task, due date and kind of message."""
    from django.urls import reverse
    from django.utils import timezone

    from dangjian.core.services import notify
    from dangjian.standards.selectors import rule_in_force
    from dangjian.work.models import Task
    from dangjian.work.selectors import assignee_users, org_users

    today = today or timezone.localdate()
    params = rule_in_force("WRK-1", today).params
    remind = int(params.get("remind_days", 0))
    grace = int(params.get("grace_days", 0))
    open_tasks = Task.objects.exclude(status=Task.Status.DONE).select_related(
        "org", "member", "assigner_org"
    )
    soon = list(open_tasks.filter(due__gte=today, due__lte=today + dt.timedelta(days=remind)))
    late = list(
        open_tasks.filter(due__lt=today - dt.timedelta(days=grace), escalated_on__isnull=True)
    )
    who = assignee_users(soon + late)
    assigners = org_users({t.assigner_org_id for t in late})
    sent = {"reminded": 0, "escalated": 0}
    for t in soon:
        made = notify(
            users=who.get(t.pk, []),
            title=f"任务即将到期：{t.title}",
            body=f"完成时限 {t.due}，当前进度 {t.percent}%。请按时办结并报告。",
            link=reverse("work:task", args=[t.pk]),
            dedupe_key=f"work-task-due-{t.pk}-{t.due}",
        )
        sent["reminded"] += len(made)
    for t in late:
        assignee = t.member.name if t.member_id else t.org.name
        users = who.get(t.pk, []) + [
            u for u in assigners.get(t.assigner_org_id, []) if u not in who.get(t.pk, [])
        ]
        made = notify(
            users=users,
            title=f"任务逾期：{t.title}（{assignee}）",
            body=f"完成时限 {t.due} 已过，进度 {t.percent}%。已报{t.assigner_org.name}督办。",
            link=reverse("work:task", args=[t.pk]),
            dedupe_key=f"work-task-late-{t.pk}-{t.due}",
        )
        sent["escalated"] += len(made)
    if late:
        Task.objects.filter(pk__in=[t.pk for t in late]).update(escalated_on=today)
    return sent


@task()
def run_reminders() -> dict:
    """Daily: task reminders and overdue escalation."""
    return task_reminders()
