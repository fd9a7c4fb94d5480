"""Log records that carry no full ID number, and the request id of the request they belong to.

``MaskIdNumbersFilter`` is attached to every handler in ``settings.LOGGING`` and to gunicorn's
access and error logs (``GunicornLogger``, see ``cli.serve``): whatever a log line says, a
string that looks like an ID number (17 digits and a digit or X) is masked the way screens
mask it. ``RequestIdFilter`` adds ``record.request_id`` (``-`` outside a request), set by
``core.middleware.RequestIdMiddleware``.
"""

from __future__ import annotations

import contextvars
import logging
import re
from typing import Any

from gunicorn.glogging import Logger as GunicornBaseLogger

from dangjian.core.masking import mask_id_number

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_request_id", default="-"
)

# 17 digits and a digit or X, not part of a longer run of digits.
ID_LIKE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])")


def mask_id_numbers(text: str) -> str:
    """``text`` with every ID-number-like string masked (``110***********123X``)."""
    if not text or len(text) < 18:
        return text
    return ID_LIKE.sub(lambda m: mask_id_number(m.group(0)), text)


def mask_value(value: Any) -> Any:
    """Masks ID-like strings anywhere inside a JSON-like value (dicts, lists, strings)."""
    if isinstance(value, str):
        return mask_id_numbers(value)
    if isinstance(value, dict):
        return {k: mask_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(v) for v in value]
    return value


class MaskIdNumbersFilter(logging.Filter):
    """Renders the message, masks ID-like strings in it and in the traceback text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave the record as it is
            return True
        masked = mask_id_numbers(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_id_numbers(record.exc_text)
        return True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # Django logs a 4xx after the middleware has returned; its record carries the request.
            request_id = current_request_id.get()
            if request_id == "-":
                request_id = getattr(getattr(record, "request", None), "request_id", "-")
            record.request_id = request_id
        return True


class GunicornLogger(GunicornBaseLogger):
    """gunicorn's logger with ID numbers masked in its access and error logs."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, MaskIdNumbersFilter) for f in log.filters):
                log.addFilter(MaskIdNumbersFilter())
