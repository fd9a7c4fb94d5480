from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from dangjian.development.stepdata import openapi_data


class Ref(Schema):
    id: int
    name: str


class CaseIn(Schema):
    member: int
    opened_on: dt.date | None = None


# ``data`` is parsed by the step's own schema (stepdata.SCHEMAS) once the step is known, so
# that its errors are field-level and in Chinese; the OpenAPI text lists those schemas.
STEP_DATA = openapi_data()


class StepIn(Schema):
    done_on: dt.date
    data: dict[str, Any] = Field({}, json_schema_extra=STEP_DATA)
    note: str = Field("", max_length=500)


class CorrectIn(Schema):
    done_on: dt.date
    data: dict[str, Any] = Field({}, json_schema_extra=STEP_DATA)
    reason: str = Field(..., max_length=200)


class ReviewIn(Schema):
    reviewed_on: dt.date


class ExtendIn(Schema):
    months: int
    decided_on: dt.date
    reason: str = Field(..., max_length=200)


class CloseIn(Schema):
    reason: str = Field(..., max_length=200)
    on: dt.date | None = None


class TransferIn(Schema):
    member: int
    applied_on: dt.date
    to_org: int | None = None
    destination: str = Field("", max_length=200)
    note: str = Field("", max_length=500)


class ElectionIn(Schema):
    org: int
    opened_on: dt.date | None = None


class MaterialOut(Schema):
    id: int
    step: int
    kind: str
    filename: str
    content_type: str
    size: int


class StepOut(Schema):
    number: int
    code: str
    stage: int
    stage_name: str
    name: str
    actor: str
    actor_label: str
    state: str
    rules: list[str]
    materials_required: list[str]
    missing_materials: list[str]
    materials: list[MaterialOut]
    done_on: dt.date | None
    done_by: str
    data: dict[str, Any]
    note: str
    earliest_on: dt.date | None
    latest_on: dt.date | None


class CaseRow(Schema):
    # A row of a case list, read from the case (``selectors.case_list``: the procedure and
    # the current step's name come with it).
    id: int
    kind: str = Field(alias="procedure.code")
    status: str
    org: Ref
    member: Ref | None
    target_org: Ref | None
    target_name: str
    current_step: int
    current_step_name: str | None
    opened_on: dt.date
    next_earliest_on: dt.date | None
    next_due_on: dt.date | None
    next_due_rule: str


class CaseOut(Schema):
    # One case with its timeline (``api.case_out`` sets ``steps``, read for the user).
    id: int
    kind: str = Field(alias="procedure.code")
    procedure_version: int = Field(alias="procedure.version")
    status: str
    status_label: str
    org: Ref
    member: Ref | None
    target_org: Ref | None
    target_name: str
    current_step: int
    opened_on: dt.date
    closed_on: dt.date | None
    close_reason: str
    next_earliest_on: dt.date | None
    next_due_on: dt.date | None
    next_due_rule: str
    data: dict[str, Any]
    steps: list[StepOut]

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class CasePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[CaseRow]


class EligibleRow(Schema):
    member: Ref
    org: Ref
    status: str
    since: dt.date | None
    date: dt.date
    case_id: int | None = None
