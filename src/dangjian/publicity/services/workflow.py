"""The DSC-1 procedure shared by articles, role models and disclosures:
提出 (submit) → 审核 with the secrecy review (review) → 审批 (approve, which publishes: 实施)
→ withdrawal with a reason. The author, the reviewer and the approver are three people
(DSC-1 ``distinct_roles``); a step out of order is a conflict (409), a step by the wrong
person a domain error (422). Each step writes one audit entry.

The view or API operation has loaded the item through the gate (``manageable_by``); these
functions check the order of steps and who may take them."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.core.actors import actor_name, actor_user, is_system
from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.services import notify
from dangjian.publicity.models import Article, Disclosure, Publication, RoleModel, Scope, Status
from dangjian.publicity.services.common import announce, params, plain, text

KIND_LABEL = {Article: "文章", RoleModel: "身边榜样", Disclosure: "党务公开"}
DETAIL_URL = {
    Article: "publicity:article",
    RoleModel: "publicity:role_model",
    Disclosure: "publicity:disclosure",
}


def label(item: Publication) -> str:
    return KIND_LABEL[type(item)]


def detail_url(item: Publication) -> str:
    return reverse(DETAIL_URL[type(item)], args=[item.pk])


def _locked(item: Publication) -> Publication:
    return type(item).objects.select_for_update(of=("self",)).select_related("org").get(pk=item.pk)


def _same(actor, user_id: int | None) -> bool:
    return not is_system(actor) and user_id is not None and getattr(actor, "pk", None) == user_id


def _wrong_order(item: Publication, step: str) -> Conflict:
    return Conflict(
        f"该{label(item)}当前为“{item.get_status_display()}”，不能{step}", field="status"
    )


@transaction.atomic
def publication_submit(*, actor, item: Publication) -> Publication:
    """提出: the draft (or the returned draft) goes to review."""
    item = _locked(item)
    if not item.editable:
        raise _wrong_order(item, "提交审核")
    if item.scope == Scope.PEOPLE and not item.people.exists():
        raise DomainError("公开范围为指定人员时，请选择至少 1 人", field="people")
    before = item.status
    item.status = Status.SUBMITTED
    item.submitted_at = timezone.now()
    item.save(update_fields=["status", "submitted_at", "updated_at"])
    audit(
        actor=actor,
        action="update",
        obj=item,
        verb=f"提交{label(item)}审核：{item.title}",
        changes={"status": [before, item.status]},
    )
    return item


@transaction.atomic
def publication_review(
    *, actor, item: Publication, approve: bool, secrecy_checked: bool, note: str = ""
) -> Publication:
    """审核 (with 保密审查): passes to approval, or returns the draft to its author."""
    item = _locked(item)
    if item.status != Status.SUBMITTED:
        raise _wrong_order(item, "审核")
    rule = params("DSC-1")
    if rule.get("distinct_roles", True) and _same(actor, item.author_id):
        raise DomainError("撰稿人不能审核本人稿件，请由其他同志审核（DSC-1）", field="reviewer")
    note = text(note, field="note", label="审核意见", limit=500, required=not approve)
    if approve and rule.get("secrecy_review", True) and not secrecy_checked:
        raise DomainError(
            "请先完成保密审查并勾选“已通过保密审查”（DSC-1）", field="secrecy_checked"
        )
    before = item.status
    item.status = Status.REVIEWED if approve else Status.RETURNED
    item.reviewer = actor_user(actor)
    item.reviewer_name = actor_name(actor)
    item.reviewed_at = timezone.now()
    item.secrecy_checked = bool(approve and secrecy_checked)
    item.review_note = note
    item.save()
    audit(
        actor=actor,
        action="update",
        obj=item,
        verb=(
            f"审核通过{label(item)}（已保密审查）：{item.title}"
            if approve
            else f"退回{label(item)}修改：{item.title}（{note}）"
        ),
        changes={"status": [before, item.status], "secrecy_checked": item.secrecy_checked},
    )
    return item


@transaction.atomic
def publication_approve(*, actor, item: Publication) -> Publication:
    """审批 and 实施: the approver, neither author nor reviewer, publishes the item."""
    item = _locked(item)
    if item.status != Status.REVIEWED:
        raise _wrong_order(item, "审批发布")
    if params("DSC-1").get("distinct_roles", True) and (
        _same(actor, item.author_id) or _same(actor, item.reviewer_id)
    ):
        raise DomainError(
            "撰稿人和审核人不能审批同一稿件，请由其他负责同志审批（DSC-1）", field="approver"
        )
    before = item.status
    now = timezone.now()
    item.status = Status.PUBLISHED
    item.approver = actor_user(actor)
    item.approver_name = actor_name(actor)
    item.published_at = now
    item.withdrawn_at, item.withdraw_reason = None, ""
    item.save()
    if isinstance(item, Disclosure):
        item.items.update(
            published_at=now, published_scope=item.scope, published_by_name=item.approver_name
        )
    audit(
        actor=actor,
        action="update",
        obj=item,
        verb=f"审批发布{label(item)}（{item.get_scope_display()}）：{item.title}",
        changes={"status": [before, item.status], "scope": item.scope},
    )
    _spread(item, actor)
    return item


def _spread(item: Publication, actor) -> None:
    """Named people get it in their inbox; an item published to an org, the party or the
    public goes to the org's channels."""
    url = detail_url(item)
    if item.scope == Scope.PEOPLE:
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(member__in=item.people.all(), is_active=True)
        notify(
            users=users,
            title=f"{label(item)}：{item.title}",
            body=plain(getattr(item, "summary", "") or "", 200),
            link=url,
            dedupe_key=f"publicity:{type(item).__name__}:{item.pk}:{item.published_at:%s}",
        )
        return
    body = getattr(item, "body", None) or getattr(item, "deeds", None) or ""
    announce(
        type(item), org=item.org, title=item.title, text=plain(body, 500), url=url, actor=actor
    )


@transaction.atomic
def publication_withdraw(*, actor, item: Publication, reason: str) -> Publication:
    """撤回 a published item, with the reason recorded; it leaves every reader's view."""
    item = _locked(item)
    if item.status != Status.PUBLISHED:
        raise _wrong_order(item, "撤回")
    reason = text(reason, field="reason", label="撤回原因", limit=500)
    item.status = Status.WITHDRAWN
    item.withdrawn_at = timezone.now()
    item.withdraw_reason = reason
    item.save(update_fields=["status", "withdrawn_at", "withdraw_reason", "updated_at"])
    audit(
        actor=actor,
        action="update",
        obj=item,
        verb=f"撤回{label(item)}：{item.title}（{reason}）",
        changes={"status": [Status.PUBLISHED, Status.WITHDRAWN]},
    )
    return item


@transaction.atomic
def publication_reopen(*, actor, item: Publication) -> Publication:
    """A withdrawn item goes back to draft to be corrected and submitted again."""
    item = _locked(item)
    if item.status != Status.WITHDRAWN:
        raise _wrong_order(item, "重新编辑")
    item.status = Status.DRAFT
    item.secrecy_checked = False
    item.save(update_fields=["status", "secrecy_checked", "updated_at"])
    audit(actor=actor, action="update", obj=item, verb=f"重新编辑{label(item)}：{item.title}")
    return item
