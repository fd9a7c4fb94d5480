"""Reads of platform records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet

from dangjian.core.models import AuditEntry


def audit_entries(
    *,
    user,
    org=None,
    actor: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.visible_to(user).select_related("actor")
    if org is not None:
        qs = qs.filter(org_path__startswith=org.path)
    if actor:
        qs = qs.filter(actor_name__contains=actor) | qs.filter(actor__username=actor)
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs


# --- The audit log as a person reads it -------------------------------------------------

NO_VALUE = "—"
# Keys written by services that are not model fields, with their Chinese names.
EXTRA_LABELS = {
    "reason": "原因",
    "note": "备注",
    "count": "数量",
    "months": "月份",
    "fields": "字段",
    "format": "格式",
    "rows": "行数",
    "created": "新增",
    "updated": "更新",
    "skipped": "跳过",
    "scale": "规模",
    "seed": "随机种子",
    "today": "日期",
    "seconds": "用时（秒）",
    "members": "党员",
    "apps": "模块",
}


@dataclass(frozen=True)
class ChangeLine:
    label: str
    text: str


def _model_for(object_type: str):
    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        return None


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _is_pair(field, value) -> bool:
    """``diff()`` writes ``[old, new]``; a many-to-many value is itself a list."""
    if not isinstance(value, list) or len(value) != 2:
        return False
    if field is not None and field.many_to_many:
        return all(isinstance(v, list) for v in value)
    return True


def _plain_text(value) -> str:
    if value is None or value == "" or value == []:
        return NO_VALUE
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_plain_text(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{EXTRA_LABELS.get(k, k)}：{_plain_text(v)}" for k, v in value.items())
    return str(value)


def audit_change_lines(entries: list[AuditEntry]) -> None:
    """Give each entry ``change_lines``: field names, enum labels and object names instead of
    field keys, enum values and ids. Related names are looked up once per model."""
    wanted: dict[type, set] = defaultdict(set)
    plan: list[tuple[AuditEntry, list[tuple[str, object, object]]]] = []
    for entry in entries:
        model = _model_for(entry.object_type)
        items = []
        for key, value in (entry.changes or {}).items():
            field = _field(model, key)
            if field is not None and field.is_relation and field.related_model is not None:
                values = value if isinstance(value, list) else [value]
                for v in values:
                    for one in v if isinstance(v, list) else [v]:
                        if isinstance(one, int | str) and str(one).isdigit():
                            wanted[field.related_model].add(int(one))
            items.append((key, field, value))
        plan.append((entry, items))
    names: dict[type, dict[int, str]] = {
        related: {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=ids)}
        for related, ids in wanted.items()
    }

    def show(field, value) -> str:
        if isinstance(value, list) and field is not None and field.many_to_many:
            return "、".join(show(field, v) for v in value) or NO_VALUE
        if value is None or value == "":
            return NO_VALUE
        related = field.related_model if field is not None and field.is_relation else None
        if related in names and str(value).isdigit():
            return names[related].get(int(value), f"（已删除，编号 {value}）")
        if field is not None and field.choices:
            label = dict(field.flatchoices).get(value)
            if label is not None:
                return str(label)
        return _plain_text(value)

    for entry, items in plan:
        lines = []
        for key, field, value in items:
            label = EXTRA_LABELS.get(key, key)
            if field is not None and hasattr(field, "verbose_name"):
                label = str(field.verbose_name)
            if _is_pair(field, value):
                text = f"{show(field, value[0])} → {show(field, value[1])}"
            else:
                text = show(field, value)
            lines.append(ChangeLine(label, text))
        entry.change_lines = lines
