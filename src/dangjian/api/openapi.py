"""An honest OpenAPI document: unique component names and the error answers documented.

- Enum classes nested in models (``Member.Status``, ``Meeting.Status``) are named after
  their owner (``MemberStatus``, ``MeetingStatus``) instead of all being ``Status``; two
  different schemas under one component name stop the document from being built.
- Every operation lists the error statuses it can answer, each with the ``ErrorOut`` body
  that ``api/errors.py`` writes.
"""

from __future__ import annotations

import re

import ninja.openapi.schema as ninja_openapi
from django.core.exceptions import ImproperlyConfigured
from ninja import Schema
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema
from pydantic import Field
from pydantic.json_schema import DefsRef


class FieldErrorOut(Schema):
    field: str = Field(description="出错的字段（空：整体）")
    message: str


class ErrorOut(Schema):
    detail: str = Field(description="中文说明")
    errors: list[FieldErrorOut] = Field(default_factory=list)
    rule: str | None = Field(None, description="违反的制度条款编号（如有）")
    request_id: str | None = Field(None, description="服务器内部错误时的请求编号，日志中可查")


ERROR_DESCRIPTIONS = {
    400: "请求体不是有效的 JSON，或类型不对（应为对象）",
    401: "未登录或令牌无效",
    403: "当前角色无权执行此操作",
    404: "对象不存在或不在可见范围内",
    409: "与当前状态冲突（重复、顺序不对）",
    422: "输入有误，errors 逐项说明",
    429: "尝试过于频繁，请稍后再试",
    500: "服务器内部错误（已记录，附请求编号）",
}

_QUALIFIED = re.compile(r"^[\w.]+$")


class UniqueNamesJsonSchema(NinjaGenerateJsonSchema):
    """Names a class nested in another (an enum inside a model) ``OuterInner``."""

    def get_defs_ref(self, core_mode_ref):
        key = super().get_defs_ref(core_mode_ref)
        core_ref, _mode = core_mode_ref
        dotted = core_ref.rsplit(":", 1)[0]
        if _QUALIFIED.match(dotted):
            classes = [part for part in dotted.split(".") if part[:1].isupper()]
            if len(classes) > 1:
                name = DefsRef(self.normalize_name("".join(classes)))
                choices = self._prioritized_defsref_choices[key]
                choices[0] = name
                choices[1] = DefsRef(f"{name}-{choices[1].rsplit('-', 1)[-1]}")
        return key


# ninja builds every schema with the generator named in its module; use ours.
ninja_openapi.NinjaGenerateJsonSchema = UniqueNamesJsonSchema


def error_statuses(operation, method: str, path: str) -> list[int]:
    statuses = [401, 500]  # 401: a missing or bad token, or (auth/token) a wrong password
    has_input = bool(operation.models)
    has_body = any(
        m.__ninja_param_source__ in ninja_openapi.BODY_CONTENT_TYPES for m in operation.models
    )
    if operation.auth_callbacks:
        statuses.append(404)
    else:
        statuses += [429]
    if "{" in path:
        statuses.append(404)
    if has_input:
        statuses.append(422)
    if has_body:
        statuses.append(400)
    if method != "GET":
        # A write may conflict with the state (a second answer or rating), signed in or not.
        statuses += [409, 422]
        if operation.auth_callbacks:
            statuses.append(403)
    return sorted(set(statuses))


class HonestOpenAPISchema(OpenAPISchema):
    def add_schema_definitions(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            known = self.schemas.get(name)
            if known is not None and _identity(known) != _identity(definition):
                raise ImproperlyConfigured(
                    f"Two different schemas are both named {name!r} in the OpenAPI document; "
                    "rename one (e.g. prefix it with its app)."
                )
        super().add_schema_definitions(definitions)

    def responses(self, operation) -> dict:
        result = super().responses(operation)
        method = sorted(operation.methods)[0].upper()
        path = getattr(operation, "path", "")
        error_ref = self._error_schema_ref()
        for status in error_statuses(operation, method, path):
            result.setdefault(
                status,
                {
                    "description": ERROR_DESCRIPTIONS[status],
                    "content": {self.api.renderer.media_type: {"schema": error_ref}},
                },
            )
        return result

    def _error_schema_ref(self) -> dict:
        if "ErrorOut" not in self.schemas:
            schema = ErrorOut.model_json_schema(
                ref_template=REF_TEMPLATE,
                schema_generator=UniqueNamesJsonSchema,
                mode="serialization",
            )
            self.add_schema_definitions(schema.pop("$defs", {}))
            self.schemas["ErrorOut"] = schema
        return {"$ref": REF_TEMPLATE.format(model="ErrorOut")}


def _identity(definition: dict) -> dict:
    """A definition without the parts that differ between input and output renderings."""
    return {k: v for k, v in definition.items() if k not in {"description", "default"}}
