"""The 组织生活会: criticism and self-criticism, and its problems onto the rectification
list."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from dangjian.core.audit import audit
from dangjian.core.choices import choices_text
from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEntry
from dangjian.meetings.models import CriticismItem, Meeting
from dangjian.members.models import Member


@transaction.atomic
def criticism_add(
    *, actor, meeting: Meeting, member: Member, kind: str, content: str, critic=None
) -> CriticismItem:
    if meeting.kind != Meeting.Kind.LIFE_MEETING:
        raise DomainError("批评与自我批评只在组织生活会上登记", field="meeting")
    if kind not in CriticismItem.Kind.values:
        raise DomainError(
            "类型无效，可选：" + choices_text(CriticismItem.Kind.choices), field="kind"
        )
    content = (content or "").strip()
    if not content:
        raise DomainError("请填写问题或意见", field="content")
    if member.org_id != meeting.org_id:
        raise DomainError("党员须是本支部党员", field="member")
    if kind == CriticismItem.Kind.PEER and (critic is None or critic.pk == member.pk):
        raise DomainError("相互批评须填写提出人（不能是本人）", field="critic")
    if kind == CriticismItem.Kind.SELF:
        critic = member
    item = CriticismItem.objects.create(
        meeting=meeting, member=member, kind=kind, content=content, critic=critic
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=meeting,
        verb="登记批评与自我批评",
        changes={"member": member.pk, "kind": kind},
    )
    return item


def criticism_to_rectification(*, actor, item: CriticismItem, item_text: str, deadline: dt.date):
    """A problem raised at the 组织生活会 goes onto the rectification list, owned by the member."""
    from dangjian.assessment.services import rectification_create

    return rectification_create(
        actor=actor,
        org=item.meeting.org,
        item=item_text or item.content[:300],
        detail=item.content,
        owner=item.member,
        deadline=deadline,
        source=item,
        source_label=f"{item.meeting.topic}（{item.get_kind_display()}）",
    )
