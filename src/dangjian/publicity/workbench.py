"""What publicity contributes to the workbench (工作台): articles, role models and
disclosures waiting for this person's review or approval (never their own: DSC-1), drafts
returned to their author; when a local rule switches DSC-4 on, those past its deadline of
working days are overdue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from dangjian.core.workbench import DUE, OVERDUE, Todo, WorkbenchContext, provider, url
from dangjian.publicity.models import Article, Disclosure, RoleModel, Status
from dangjian.publicity.services.common import deadline_days

SHOWN = 10
KINDS = (
    (Article, "文章", "publicity:article"),
    (RoleModel, "身边榜样", "publicity:role_model"),
    (Disclosure, "党务公开", "publicity:disclosure"),
)


def add_working_days(day: dt.date, days: int) -> dt.date:
    """``days`` Monday-to-Friday days after ``day``."""
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


@provider("todos", order=70)
def publications_to_act_on(ctx: WorkbenchContext) -> Iterable[Todo]:
    """One query per kind of item."""
    user_id = getattr(ctx.user, "pk", None)
    limit = deadline_days()
    for model, label, name in KINDS:
        waiting = Q(status=Status.SUBMITTED) & ~Q(author_id=user_id)
        waiting |= Q(status=Status.REVIEWED) & ~Q(author_id=user_id) & ~Q(reviewer_id=user_id)
        waiting |= Q(status=Status.RETURNED, author_id=user_id)
        rows = (
            model.objects.manageable_by(ctx.user)
            .filter(waiting)
            .select_related("org")
            .order_by("submitted_at", "id")[:SHOWN]
        )
        for item in rows:
            due = None
            if limit and item.submitted_at and item.status != Status.RETURNED:
                due = add_working_days(timezone.localtime(item.submitted_at).date(), limit)
            action = {
                Status.SUBMITTED: "审核",
                Status.REVIEWED: "审批发布",
                Status.RETURNED: "修改",
            }[item.status]
            yield Todo(
                what=f"{action}{label}：{item.title}",
                org_name=item.org.name,
                due_on=due,
                status=OVERDUE if due and due < ctx.today else DUE,
                action=action,
                url=url(name, item.pk),
                source="宣传发布",
                detail=item.review_note if item.status == Status.RETURNED else "",
            )
