"""Changes to the standards library, and the compliance reminders.

Editing a rule never overwrites it: ``rule_update`` writes a new version from
``effective_from`` on and closes the previous one the day before (its ``effective_to``),
so periods before that date are still judged by the old numbers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from dangjian.core.audit import audit
from dangjian.core.choices import choices_text
from dangjian.core.errors import Conflict, DomainError, Forbidden, NotFound
from dangjian.core.models import AuditEntry
from dangjian.core.scope import reach_of
from dangjian.orgs.models import Org
from dangjian.standards import kept
from dangjian.standards.models import Rule
from dangjian.standards.registry import CHECKERS, validate_params

APPLIES_KEYS = {"kinds", "min_full_members", "max_full_members"}
EDITABLE = ("params", "applies_to", "severity", "enabled", "title", "description")


def can_edit_rules(user) -> bool:
    return reach_of(user).everything


def validate_applies_to(applies_to: Any) -> dict:
    if not isinstance(applies_to, dict):
        raise DomainError("适用范围应为对象", field="applies_to")
    errors = []
    clean: dict[str, Any] = {}
    for key, value in applies_to.items():
        if key == "kinds":
            if not isinstance(value, list) or not all(v in Org.Kind.values for v in value):
                errors.append(
                    {
                        "field": "applies_to.kinds",
                        "message": f"组织类型应为以下之一：{choices_text(Org.Kind.choices)}",
                    }
                )
            else:
                clean[key] = list(value)
        elif key in ("min_full_members", "max_full_members"):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                errors.append({"field": f"applies_to.{key}", "message": "应为不小于 0 的整数"})
            else:
                clean[key] = value
        else:
            clean[key] = value  # other keys (procedure, step) are read by their own modules
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    return clean


def _latest(code: str) -> Rule:
    rule = (
        Rule.objects.select_for_update(of=("self",))
        .select_related("standard")
        .filter(code=code)
        .order_by("-version")
        .first()
    )
    if rule is None:
        raise NotFound(f"规则 {code} 不存在")
    return rule


@transaction.atomic
def rule_update(
    *,
    actor,
    code: str,
    effective_from: dt.date,
    change_reason: str = "",
    **changes,
) -> Rule:
    """Make a new version of rule ``code`` in force from ``effective_from``.

    Only platform administrators may change rules (Forbidden, 403, for anyone else).
    A repeated identical request returns the version it already made (idempotent)."""
    if not can_edit_rules(actor):
        raise Forbidden("只有平台管理员可以修改标准规则")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(f"不能修改的字段：{', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    if not isinstance(effective_from, dt.date):
        raise DomainError("请填写生效日期", field="effective_from")
    current = _latest(code)
    values = {
        "params": current.params,
        "applies_to": current.applies_to,
        "severity": current.severity,
        "enabled": current.enabled,
        "title": current.title,
        "description": current.description,
    }
    for key, value in changes.items():
        if value is not None:
            values[key] = value
    if current.checker and current.checker in CHECKERS:
        values["params"] = validate_params(current.checker, values["params"] or {})
    elif not isinstance(values["params"], dict):
        raise DomainError("参数应为对象", field="params")
    values["applies_to"] = validate_applies_to(values["applies_to"] or {})
    if values["severity"] not in Rule.Severity.values:
        raise DomainError("严重程度取值无效", field="severity")
    values["title"] = (values["title"] or "").strip()
    if not values["title"]:
        raise DomainError("规则名称不能为空", field="title")
    same = all(getattr(current, k) == v for k, v in values.items())
    if same and current.effective_from == effective_from:
        return current  # the same request again: nothing new
    if same:
        raise DomainError("内容与现行版本相同，无需新建版本", field="params")
    if effective_from <= current.effective_from:
        raise Conflict(
            f"生效日期须晚于现行版本 v{current.version} 的生效日期 {current.effective_from}",
            field="effective_from",
        )
    reason = (change_reason or "").strip()[:200]
    if not reason:
        raise DomainError("请填写修改原因", field="change_reason")
    new = Rule.objects.create(
        code=current.code,
        version=current.version + 1,
        standard=current.standard,
        article=current.article,
        verification=current.verification,
        checker=current.checker,
        effective_from=effective_from,
        change_reason=reason,
        is_local_edit=True,
        created_by=actor if getattr(actor, "pk", None) else None,
        **values,
    )
    # Close every version that would still be open on or after the new start.
    for older in Rule.objects.filter(code=code, version__lt=new.version):
        if older.effective_to is None or older.effective_to > effective_from:
            older.effective_to = max(effective_from, older.effective_from + dt.timedelta(days=1))
            older.save(update_fields=["effective_to", "updated_at"])
    kept.mark_everything()  # the kept findings were judged by the old numbers
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=new,
        verb=f"修改标准规则 {code}（v{current.version} → v{new.version}）",
        changes={
            "effective_from": str(effective_from),
            "reason": reason,
            **{k: [getattr(current, k), v] for k, v in values.items() if getattr(current, k) != v},
        },
    )
    return new


def findings_refresh(*, actor, org: Org, year: int | None = None) -> int:
    """重新评估: evaluate ``year`` (default this year) for ``org``'s subtree now and keep
    the findings (for anyone who manages the org; audited). Returns the number kept."""
    if not Org.objects.manageable_by(actor).filter(pk=org.pk).exists():
        raise Forbidden("无权重新评估该组织")
    count = kept.refresh(org, year=year)
    audit(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=org,
        org=org,
        verb=f"重新评估合规情况：{org.name}" + (f"（{year} 年度）" if year else ""),
        changes={"findings": count, **({"year": year} if year else {})},
    )
    return count


# ---- reminders -----------------------------------------------------------------------

RECIPIENT_ROLES = ("secretary", "deputy_secretary")


def reminder_key(finding) -> str:
    member = f":{finding.member_id}" if finding.member_id else ""
    return f"standards:{finding.rule_code}:{finding.org_id}:{finding.period}{member}"


def compliance_remind(*, today: dt.date | None = None, days: int | None = None) -> int:
    """Notify the responsible secretary of every item falling due within ``days`` (the
    "due soon" window): once per rule, org, period (and member), however often it runs.

    A group's items go to its branch's secretary; when an org has no secretary or deputy
    with an account, its party-affairs staff are notified. Returns the messages sent."""
    from dangjian.core.models import Notification
    from dangjian.core.services import notify
    from dangjian.orgs.models import Position
    from dangjian.standards import periods as P
    from dangjian.standards.engine import evaluate

    today = today or P.local_today()
    due = []
    for root in Org.objects.active().filter(parent__isnull=True):
        for f in evaluate(root, P.year(today.year), today=today, due_soon=days):
            if f.status == "due" and f.org_id:
                due.append(f)
    if not due:
        return 0
    ids = {f.org_id for f in due}
    orgs = {o.pk: o for o in Org.objects.filter(pk__in=ids).only("id", "kind", "parent_id")}
    responsible = {
        oid: (o.parent_id if o.kind == Org.Kind.GROUP and o.parent_id else oid)
        for oid, o in orgs.items()
    }
    holders: dict[int, dict[str, list]] = {}
    for pos in (
        Position.objects.active()  # whoever holds the post now, whatever day is judged
        .filter(org_id__in=set(responsible.values()), user__isnull=False, user__is_active=True)
        .select_related("user")
    ):
        holders.setdefault(pos.org_id, {}).setdefault(pos.role, []).append(pos.user)
    keys = {reminder_key(f) for f in due}
    already = set(
        Notification.objects.filter(dedupe_key__in=keys).values_list("user_id", "dedupe_key")
    )
    sent = 0
    for f in due:
        by_role = holders.get(responsible.get(f.org_id, f.org_id), {})
        users = [u for r in RECIPIENT_ROLES for u in by_role.get(r, [])] or by_role.get("staff", [])
        key = reminder_key(f)
        users = [u for u in {u.pk: u for u in users}.values() if (u.pk, key) not in already]
        if not users:
            continue
        when = f"，截止 {f.due_on:%Y-%m-%d}" if f.due_on else ""
        who = f"（{f.member_name}）" if f.member_name else ""
        created = notify(
            users=users,
            title=f"即将到期：{f.rule_title}{who}",
            body=f"{f.org_name} {f.period}{when}。{f.message}",
            link=f.link or _board_link(f.org_id),
            dedupe_key=key,
        )
        sent += len(created)
    return sent


def _board_link(org_id: int) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("standards:board_org", kwargs={"org_id": org_id})
    except NoReverseMatch:
        return ""
