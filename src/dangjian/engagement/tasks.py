"""Background work of consultation: remind the handling org of questions, suggestions and
complaints due within ENG-1's ``remind_days`` and tell it (and the org above) of those past
their deadline. Run daily: ``dangjian engagement_reminders`` from cron, or enqueue
``run_reminders``. Idempotent: one message per item, deadline and kind of message."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


def reply_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    from django.urls import reverse
    from django.utils import timezone

    from dangjian.core.services import notify
    from dangjian.engagement.models import Consultation
    from dangjian.engagement.services.consultations import REPLY_RULE
    from dangjian.orgs.models import Position
    from dangjian.standards.selectors import rule_in_force

    today = today or timezone.localdate()
    remind = int(rule_in_force(REPLY_RULE, today).params.get("remind_days", 0))
    rows = list(
        Consultation.objects.filter(
            status=Consultation.Status.OPEN, due_on__lte=today + dt.timedelta(days=remind)
        ).select_related("org")
    )
    orgs = {c.org_id for c in rows} | {c.org.parent_id for c in rows if c.due_on < today}
    users: dict[int, list] = {}
    for p in (
        Position.objects.active()
        .filter(org_id__in=orgs, user__isnull=False, user__is_active=True)
        .select_related("user")
    ):
        users.setdefault(p.org_id, [])
        if p.user not in users[p.org_id]:
            users[p.org_id].append(p.user)
    sent = {"reminded": 0, "late": 0}
    for c in rows:
        late = c.due_on < today
        who = list(users.get(c.org_id, []))
        if late:
            who += [u for u in users.get(c.org.parent_id, []) if u not in who]
        made = notify(
            users=who,
            title=(f"{c.get_kind_display()}逾期未答复" if late else f"{c.get_kind_display()}待答复")
            + f"：{c.short}",
            body=f"受理：{c.org.name}；答复时限 {c.due_on:%Y-%m-%d}。",
            link=reverse("engagement:consultation", args=[c.pk]),
            dedupe_key=f"engagement-{'late' if late else 'due'}-{c.pk}-{c.due_on}",
        )
        sent["late" if late else "reminded"] += len(made)
    return sent


@task()
def run_reminders() -> dict:
    """Daily: reply-deadline reminders."""
    return reply_reminders()
