"""What a step asks for: one pydantic schema per named validation.

A schema is the single vocabulary of a step's data. From it come
- the parsing of what a page or an API client sends (``parse``: Chinese, field-level
  errors as ``DomainError``; the named validation in ``validations.py`` then checks the
  rules on typed values);
- the fields of the step's form (``forms.StepForm``: Chinese labels from ``title``, units
  from ``unit``, choice lists through the gate from ``choices``);
- the description of ``data`` in the OpenAPI body of the step endpoints (``openapi_data``).

Field metadata (``json_schema_extra``): ``unit`` (shown after the label), ``form_label``
(a longer label for the form), ``choices`` (a choice list the form fills through the gate),
``widget`` (``dates``: comma-separated dates; ``per_candidate`` / ``per_elected``: one
input per candidate / elected member), ``item_label`` / ``key_label`` (the label of one
item or key in errors), ``rule`` (the rule an input error cites).
"""

from __future__ import annotations

import datetime as dt
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from dangjian.core.errors import DomainError

MAX_ID = 2**63 - 1
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def _err(message: str) -> PydanticCustomError:
    return PydanticCustomError("step_data", message)


def _count(value: Any) -> int | None:
    """A number of people, days, votes ...: a whole number >= 0 (blank is "not given")."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _err("应为整数")
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise _err("应为整数")
    if number != float(value) or number < 0:
        raise _err("应为不小于 0 的整数")
    return number


def _day(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            raise _err("格式应为 YYYY-MM-DD")
    if not FIRST_DAY <= value <= LAST_DAY:
        raise _err("不正确")
    return value


def _pk(value: Any) -> int:
    """An object id from user input: a positive integer that the database can hold."""
    if isinstance(value, bool):
        raise _err("编号无效")
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise _err("编号无效")
    if not 0 < number <= MAX_ID:
        raise _err("编号无效")
    return number


def _id_list(value: Any) -> list:
    if value is None or value == "":
        return []
    if not isinstance(value, list | tuple):
        raise _err("应为党员编号列表")
    return list(value)


def _date_list(value: Any) -> list:
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        raise _err("应为日期列表")
    return value


def _text(value: Any) -> str:
    return str(value or "").strip()


def _vote_map(value: Any) -> dict:
    if not isinstance(value, dict) or not value:
        raise PydanticCustomError("missing", "")
    return value


def _position_list(value: Any) -> list:
    if not isinstance(value, list) or not value:
        raise PydanticCustomError("missing", "")
    if not all(isinstance(item, dict) for item in value):
        raise _err("应为 {member, role} 列表")
    return value


Count = Annotated[int, BeforeValidator(_count)]
OptCount = Annotated[int | None, BeforeValidator(_count)]
Day = Annotated[dt.date, BeforeValidator(_day)]
OptDay = Annotated[dt.date | None, BeforeValidator(_day)]
Pk = Annotated[int, BeforeValidator(_pk)]
OptPk = Annotated[int | None, BeforeValidator(lambda v: None if v in (None, "") else _pk(v))]
Ids = Annotated[list[Pk], BeforeValidator(_id_list)]
Text = Annotated[str, BeforeValidator(_text)]


def field(title: str, default: Any = ..., *, ge=None, max_length=None, **extra) -> Any:
    """A schema field with its Chinese label (``title``) and form metadata.

    ``ge`` / ``max_length`` are documented (JSON schema, form limits) but judged by the
    named validation, whose messages cite the rule ("应选人数须至少为 1", "…过长")."""
    if ge is not None:
        extra["minimum"] = ge
    if max_length is not None:
        extra["maxLength"] = max_length
    return Field(default, title=title, json_schema_extra=extra or None)


class StepData(BaseModel):
    """Base of the step schemas: unknown keys are ignored (the note travels beside them)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class NoData(StepData):
    pass


class ContactsData(StepData):
    contacts: Ids = field("培养联系人", [], form_label="培养联系人（正式党员）",
                          choices="full_members")  # fmt: skip


class SponsorsData(StepData):
    sponsors: Ids = field("入党介绍人", [], form_label="入党介绍人（正式党员）",
                          choices="full_members")  # fmt: skip


class ReviewsData(StepData):
    reviews: Annotated[list[Day], BeforeValidator(_date_list)] = field(
        "考察日期",
        [],
        form_label="补充考察日期（YYYY-MM-DD，多个用逗号分隔）",
        widget="dates",
        item_label="考察日期",
        rule="DEV-6",
    )


class TrainingData(StepData):
    days: OptCount = field("培训天数", None, ge=0, unit="天")
    hours: OptCount = field("培训学时", None, ge=0, unit="学时")


class NoticeData(StepData):
    notice_start: Day = field("公示开始日期")
    notice_end: Day = field("公示结束日期")


class LeavingData(StepData):
    leaving_on: OptDay = field("预计离开单位日期", None, form_label="预计离开工作单位日期（如有）")


class VoteData(StepData):
    voting_members: Count = field("应到会有表决权人数", ge=0, unit="人")
    present: Count = field("实到会有表决权人数", ge=0, unit="人")
    votes_for: Count = Field(
        ...,
        alias="for",
        title="赞成票数",
        json_schema_extra={"minimum": 0, "unit": "票", "form_label": "赞成"},
    )
    against: OptCount = field("反对票数", None, ge=0, unit="票", form_label="反对")
    abstain: OptCount = field("弃权票数", None, ge=0, unit="票", form_label="弃权")
    meeting: OptPk = field(
        "会议", None, form_label="对应的党员大会记录（可选）", choices="general_meetings"
    )


class ApprovalData(StepData):
    special_reason: Text = field(
        "特殊情况说明", "", max_length=200, form_label="超过正常审批期限的特殊情况说明"
    )


class GroupData(StepData):
    group: OptPk = field("党小组", None, form_label="编入党小组", choices="groups")


class LetterData(StepData):
    letter_number: Text = field("介绍信编号", "", max_length=60)


class SeatsData(StepData):
    seats: Count = field("应选人数", ge=1, unit="人", form_label="应选委员人数")


class CandidatesData(StepData):
    candidates: Ids = field(
        "候选人", [], form_label="候选人（本组织有被选举权的正式党员）", choices="eligible"
    )


class ElectionVoteData(StepData):
    voting_members: Count = field("应到会有选举权人数", ge=0, unit="人", rule="ELE-3")
    present: Count = field("实到会有选举权人数", ge=0, unit="人", rule="ELE-3")
    votes: Annotated[dict[Pk, Count], BeforeValidator(_vote_map)] = field(
        "每名候选人的得票数", widget="per_candidate", item_label="得票数", key_label="候选人"
    )


class PositionIn(BaseModel):
    member: Pk = Field(title="分工中的党员")
    role: Any = Field(None, title="职务")


class BoardData(StepData):
    term_start: OptDay = field("任期开始日期", None)
    term_end: Day = field("任期届满日期")
    positions: Annotated[list[PositionIn], BeforeValidator(_position_list)] = field(
        "新一届班子成员的分工", widget="per_elected", item_label="分工中的党员"
    )


# The schema of each named validation (validations.py registers the checks by these names).
SCHEMAS: dict[str, type[StepData]] = {
    "min_age": NoData,
    "contacts": ContactsData,
    "sponsors": SponsorsData,
    "reviews": ReviewsData,
    "training": TrainingData,
    "notice": NoticeData,
    "leaving": LeavingData,
    "vote": VoteData,
    "approval": ApprovalData,
    "group": GroupData,
    "materials_complete": NoData,
    "transfer_target": NoData,
    "letter": LetterData,
    "seats": SeatsData,
    "candidates": CandidatesData,
    "election_vote": ElectionVoteData,
    "board": BoardData,
}


# Facts the named validations add to a step's data (see ``validations.py``), for the audit log.
AUDIT_KEYS = {
    "valid_until": "有效期至",
    "paid_to": "党费交至",
    "to_org": "转入党组织",
    "to_org_name": "转入党组织名称",
    "done_on": "办理日期",
    "data": "案卷数据",
    "contacts": "培养联系人",
    "contact_names": "培养联系人",
    "sponsors": "入党介绍人",
    "sponsor_names": "入党介绍人",
    "candidate_names": "候选人",
    "group_name": "党小组",
    "leaving_on": "离开日期",
    "notice_start": "公示开始",
    "notice_end": "公示结束",
    "pass_needed": "通过所需票数",
    "quorum_needed": "到会所需人数",
    "voting_members": "有表决权的党员",
    "working_days": "工作日",
    "special_reason": "特殊原因",
    "term_start": "任期开始",
    "term_end": "任期届满",
    "letter_number": "介绍信编号",
    "destination": "转往",
}
AUDIT_KEY_MODELS = {
    "to_org": "orgs.Org",
    "contacts": "members.Member",
    "sponsors": "members.Member",
}


def step_labels() -> dict[str, str]:
    """Every step form field's Chinese label, by field name."""
    return {
        name: info.title
        for schema in SCHEMAS.values()
        for name, info in schema.model_fields.items()
        if info.title
    }


def schema_for(validation: str) -> type[StepData]:
    return SCHEMAS.get(validation or "", NoData)


def _by_name(schema: type[BaseModel]) -> dict:
    return {(info.alias or name): info for name, info in schema.model_fields.items()}


def _rule(schema: type[BaseModel], name: str) -> str | None:
    info = _by_name(schema).get(name)
    return (info.json_schema_extra or {}).get("rule") if info else None


def _message(schema: type[BaseModel], err: dict) -> tuple[str, str]:
    loc = err["loc"]
    name = str(loc[0]) if loc else ""
    info = _by_name(schema).get(name)
    extra = (info.json_schema_extra or {}) if info else {}
    title = (info.title if info else "") or name
    label = title
    if len(loc) > 1:
        label = extra.get("key_label", title) if loc[-1] == "[key]" else extra.get("item_label")
        label = label or title
    missing = err["type"] == "missing" or (
        err["type"] != "step_data" and err.get("input") in (None, "")
    )
    if missing:
        return name, f"请填写{label}"
    if err["type"] == "step_data":
        text = f"{label}{err['msg']}"
        if len(loc) > 1 and extra.get("widget") == "dates":
            text += f"：{err.get('input')}"
        return name, text
    return name, f"{label}格式不正确"


def parse(validation: str, data: dict, *, rule: str | None = None) -> StepData:
    """The step data as the validation's schema, or a ``DomainError`` naming every field.

    The error cites the first field's ``rule`` (metadata), else ``rule``."""
    schema = schema_for(validation)
    try:
        return schema.model_validate(data if isinstance(data, dict) else {})
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name, message = _message(schema, err)
            if {"field": name, "message": message} not in problems:
                problems.append({"field": name, "message": message})
        first = problems[0]
        cited = _rule(schema, first["field"]) or rule
        raise DomainError(first["message"], field=first["field"], errors=problems, rule=cited)


def _plain_type(annotation) -> Any:
    """``int`` for ``int | None`` and the like."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def form_spec(validation: str) -> list[dict]:
    """The form fields of a validation's schema, in order (see ``forms.StepForm``)."""
    out = []
    for name, info in _by_name(schema_for(validation)).items():
        extra = dict(info.json_schema_extra or {})
        kind = _plain_type(info.annotation)
        minimum, max_length = extra.get("minimum"), extra.get("maxLength")
        label = extra.get("form_label") or info.title or name
        if extra.get("unit"):
            label = f"{label}（{extra['unit']}）"
        out.append(
            {
                "name": name,
                "label": label,
                "title": info.title or name,
                "required": info.is_required(),
                "type": kind,
                "min_value": minimum,
                "max_length": max_length,
                "choices": extra.get("choices"),
                "widget": extra.get("widget"),
            }
        )
    return out


def _inline(schema: dict) -> dict:
    """A JSON schema with its ``$defs`` references written out (for the OpenAPI text)."""
    defs = schema.pop("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref and ref.startswith("#/$defs/"):
                return walk(dict(defs[ref.removeprefix("#/$defs/")]))
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


def openapi_data() -> dict:
    """``data`` of the step endpoints in the OpenAPI document: one schema per validation."""
    variants = []
    for name, schema in SCHEMAS.items():
        if schema is NoData:
            continue
        body = _inline(schema.model_json_schema(by_alias=True))
        body["title"] = name
        variants.append(body)
    return {
        "description": "本步骤的填写内容，按该步骤的专项校验（validation）取下列结构之一；"
        "无专项校验的步骤为空对象。",
        "anyOf": [*variants, {"type": "object", "title": "无填写内容", "properties": {}}],
    }
