"""What learning contributes to the workbench (工作台): draft courses waiting to be
published, one to-do each (at most a few; the course list has the rest)."""

from __future__ import annotations

from collections.abc import Iterable

from dangjian.core.workbench import DUE, Todo, WorkbenchContext, provider, url
from dangjian.learning.models import Course

SHOWN = 5


@provider("todos", order=60)
def draft_courses(ctx: WorkbenchContext) -> Iterable[Todo]:
    drafts = (
        Course.objects.manageable_by(ctx.user)
        .filter(status=Course.Status.DRAFT, year__gte=ctx.today.year)
        .select_related("org")
        .order_by("created_at")[:SHOWN]
    )
    for course in drafts:
        yield Todo(
            what=f"审核发布课程：{course.title}",
            org_name=course.org.name,
            due_on=None,
            status=DUE,
            action="审核发布",
            url=url("learning:course", course.pk),
            source="学习教育",
        )
