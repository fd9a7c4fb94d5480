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
from dangjian.core.errors import Conflict, DomainError, Forbidden, NotFound
from dangjian.core.models import AuditEntry
from dangjian.core.scope import reach_of
from dangjian.orgs.models import Org
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
                        "message": f"组织类型应为以下之一：{', '.join(Org.Kind.values)}",
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
        Rule.objects.select_for_update()
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
