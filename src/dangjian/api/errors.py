"""API errors: JSON ``{"detail": "中文说明", "errors": [{"field", "message"}]}``, never a 500
for bad input."""

from __future__ import annotations

import logging
import re

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from dangjian.core.choices import labelled
from dangjian.core.errors import DomainError

logger = logging.getLogger("dangjian.api")

# pydantic's ``expected`` of an enum or literal error: "'cash', 'transfer' or 'online'".
QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")

SKIP_LOC = {"body", "query", "path", "payload", "form", "file", "header", "data", "filters"}

MESSAGES = {
    "missing": "此项必填",
    "string_too_long": "内容过长",
    "string_too_short": "内容过短",
    "string_type": "应为文本",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式应为 YYYY-MM-DDTHH:MM:SS",
    "datetime_from_date_parsing": "时间格式应为 YYYY-MM-DDTHH:MM:SS",
    "datetime_type": "时间格式应为 YYYY-MM-DDTHH:MM:SS",
    "enum": "取值无效",
    "literal_error": "取值无效",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_attributes_type": "应为 JSON 对象",
    "json_invalid": "JSON 格式错误",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "greater_than": "数值过小",
    "less_than": "数值过大",
    "extra_forbidden": "不支持的字段",
    "value_error": "取值无效",
}

HTTP_MESSAGES = {
    400: "请求体无法解析：请发送一个 JSON 对象（Content-Type: application/json）",
    403: "请求被拒绝（CSRF 校验失败或无权限）",
}


def translate(errors: list[dict]) -> list[dict]:
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if str(p) not in SKIP_LOC]
        message = MESSAGES.get(err.get("type", ""), "格式不正确")
        ctx = err.get("ctx") or {}
        if err.get("type") in {"enum", "literal_error"} and ctx.get("expected"):
            values = QUOTED.findall(str(ctx["expected"]))
            message += f"，可选：{labelled(values) if values else ctx['expected']}"
        if err.get("type") == "value_error" and ctx.get("error"):
            message = str(ctx["error"])
        out.append({"field": ".".join(loc), "message": message})
    return out


def install(api: NinjaAPI) -> None:
    def respond(request, status: int, detail: str, errors=None, **extra):
        return api.create_response(
            request, {"detail": detail, "errors": errors or [], **extra}, status=status
        )

    @api.exception_handler(NinjaValidationError)
    def _validation(request, exc):
        errors = translate(exc.errors)
        first = errors[0] if errors else {"field": "", "message": "输入有误"}
        detail = f"输入有误：{first['field']} {first['message']}".strip()
        if any(e.get("message") == "JSON 格式错误" for e in errors):
            return respond(request, 400, "请求体不是有效的 JSON", errors)
        return respond(request, 422, detail, errors)

    @api.exception_handler(DomainError)
    def _domain(request, exc):
        extra = {"rule": exc.rule} if exc.rule else {}
        return respond(request, exc.status, exc.message, exc.errors, **extra)

    @api.exception_handler(DjangoValidationError)
    def _django_validation(request, exc):
        if hasattr(exc, "message_dict"):
            errors = [
                {"field": f if f != "__all__" else "", "message": m}
                for f, msgs in exc.message_dict.items()
                for m in msgs
            ]
        else:
            errors = [{"field": "", "message": m} for m in exc.messages]
        return respond(request, 422, errors[0]["message"] if errors else "输入有误", errors)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return respond(request, 404, "对象不存在或无权访问")

    @api.exception_handler(PermissionDenied)
    def _denied(request, exc):
        return respond(request, 404, "对象不存在或无权访问")

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return respond(request, 401, "未登录或令牌无效，请先获取令牌")

    @api.exception_handler(HttpError)
    def _http(request, exc):
        # ninja's own HttpErrors carry English text; say it in Chinese.
        detail = HTTP_MESSAGES.get(exc.status_code, str(exc))
        return respond(request, exc.status_code, detail)

    @api.exception_handler(OverflowError)
    def _overflow(request, exc):
        # A number the database cannot store; inputs are bounded in the schemas, this is
        # the net under them.
        return respond(request, 422, "数值超出范围")

    @api.exception_handler(Exception)
    def _unexpected(request, exc):
        request_id = getattr(request, "request_id", "") or "-"
        logger.error(
            "Unhandled API error on %s %s (request id %s)",
            request.method,
            request.path,
            request_id,
            exc_info=exc,
        )
        return respond(
            request,
            500,
            f"服务器内部错误，已记录。如需协助，请向管理员提供请求编号 {request_id}。",
            request_id=request_id,
        )
