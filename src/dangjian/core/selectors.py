"""Reads of platform records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet

from dangjian.core.demo import SIZE_LABELS
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
        qs = qs.in_subtree(org)
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
    "committees": "机关党委",
    "branches": "党支部",
    "groups": "党小组",
    "member": "党员",
    "before": "更正前",
    "list": "名单",
    "decided_on": "决定日期",
    "reviewed_on": "考察日期",
    "age": "年龄",
    "for": "赞成",
    "notified": "通知人数",
    "type": "文件类型",
    "slots": "计划项",
    "ratings": "评定等次",
    "rater": "评议人",
    "voided": "已作废",
    "full_id_numbers": "含完整身份证号",
    "tokens_revoked": "撤销的令牌数",
}


# Keys an app records in its JSON data (a step's form fields, computed facts): the app
# registers their Chinese labels, and for ids the model they point to ("orgs.Org").
AUDIT_KEY_LABELS: dict[str, str] = {}
AUDIT_KEY_MODELS: dict[str, str] = {}
# Values of keys that are no model field with choices: key → {value: label}.
AUDIT_VALUE_LABELS: dict[str, dict[str, str]] = {"scale": SIZE_LABELS}


def register_audit_keys(
    labels: dict[str, str],
    models: dict[str, str] | None = None,
    values: dict[str, dict[str, str]] | None = None,
) -> None:
    """Called from an app's ``ready()``: how the audit log names the keys it writes, the
    models their ids point to, and the labels of their values."""
    for key, label in labels.items():
        AUDIT_KEY_LABELS.setdefault(key, label)
    AUDIT_KEY_MODELS.update(models or {})
    for key, value_labels in (values or {}).items():
        AUDIT_VALUE_LABELS.setdefault(key, {}).update(value_labels)


@dataclass(frozen=True)
class ChangeLine:
    label: str
    text: str


def _model_for(object_type: str):
    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        return None


def _own_field(model, key: str):
    """A field declared on ``model`` (not a reverse relation: ``members`` of an org)."""
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return None if field.auto_created and not field.concrete else field


@lru_cache(maxsize=512)
def _field(model, key: str):
    """The field ``key`` names: on the entry's model, else on another model of its app (a
    service may record a step's fields on its case)."""
    if model is None:
        return None
    field = _own_field(model, key)
    if field is not None:
        return field
    for other in model._meta.app_config.get_models():
        field = _own_field(other, key)
        if field is not None:
            return field
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


def _label(field, key: str) -> str:
    if key in EXTRA_LABELS:
        return EXTRA_LABELS[key]
    if key in AUDIT_KEY_LABELS:
        return AUDIT_KEY_LABELS[key]
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return key


def _choice_label(model, key: str, field, value) -> str | None:
    """The label of an enum value: from the field ``key`` names, else from a field of that
    name on another model of the app (a meeting's entry records an attendance's status),
    else from the labels an app registered for the key."""
    if not isinstance(value, str):
        return None
    fields = [field] + [_own_field(m, key) for m in _app_models(model)]
    for one in fields:
        if one is not None and one.choices:
            label = dict(one.flatchoices).get(value)
            if label is not None:
                return str(label)
    return AUDIT_VALUE_LABELS.get(key, {}).get(value)


def _app_models(model) -> list:
    return list(model._meta.app_config.get_models()) if model is not None else []


def _related(field, key: str = ""):
    if field is not None and field.is_relation:
        return field.related_model
    if key in AUDIT_KEY_MODELS:
        return apps.get_model(AUDIT_KEY_MODELS[key])
    return None


def _ids(value) -> list[int]:
    values = value if isinstance(value, list) else [value]
    flat = [one for v in values for one in (v if isinstance(v, list) else [v])]
    return [int(one) for one in flat if isinstance(one, int | str) and str(one).isdigit()]


class _ChangeReader:
    """Reads ``changes`` of entries: collects related ids first, then shows each value."""

    def __init__(self) -> None:
        self.wanted: dict[type, set[int]] = defaultdict(set)
        self.names: dict[type, dict[int, str]] = {}

    def collect(self, model, changes: dict) -> None:
        for key, value in changes.items():
            field = _field(model, key)
            if isinstance(value, dict):
                self.collect(model, value)
            elif _related(field, key) is not None:
                self.wanted[_related(field, key)].update(_ids(value))

    def load(self) -> None:
        self.names = {
            related: {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=ids)}
            for related, ids in self.wanted.items()
        }

    def one(self, model, key: str, field, value) -> str:
        if key == "apps" and isinstance(value, list):
            return "、".join(_app_name(v) for v in value)
        if isinstance(value, dict):
            return "；".join(
                f"{_label(_field(model, k), k)}：{self.value(model, k, v)}"
                for k, v in value.items()
            )
        if isinstance(value, list) and field is not None and field.many_to_many:
            return "、".join(self.one(model, key, field, v) for v in value) or NO_VALUE
        if value is None or value == "":
            return NO_VALUE
        related = _related(field, key)
        if related in self.names and str(value).isdigit():
            return self.names[related].get(int(value), f"（已删除，编号 {value}）")
        label = _choice_label(model, key, field, value)
        return _plain_text(value) if label is None else label

    def value(self, model, key: str, value) -> str:
        field = _field(model, key)
        if _is_pair(field, value):
            old, new = value
            return f"{self.one(model, key, field, old)} → {self.one(model, key, field, new)}"
        return self.one(model, key, field, value)


def _app_name(label) -> str:
    try:
        return str(apps.get_app_config(str(label)).verbose_name)
    except LookupError:
        return str(label)


def audit_change_lines(entries: list[AuditEntry]) -> None:
    """Give each entry ``change_lines``: field names, enum labels and object names instead of
    field keys, enum values and ids. Related names are looked up once per model."""
    reader = _ChangeReader()
    models_of = [_model_for(entry.object_type) for entry in entries]
    for entry, model in zip(entries, models_of, strict=True):
        reader.collect(model, entry.changes or {})
    reader.load()
    for entry, model in zip(entries, models_of, strict=True):
        entry.change_lines = [
            ChangeLine(_label(_field(model, key), key), reader.value(model, key, value))
            for key, value in (entry.changes or {}).items()
        ]
