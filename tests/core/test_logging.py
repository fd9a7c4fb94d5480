"""No log line and no audit entry carries a full ID number; every request has an id that
its response header and its log records carry."""

from __future__ import annotations

import io
import logging

import pytest
from django.conf import settings
from django.test import RequestFactory

from dangjian.core.audit import audit
from dangjian.core.logging import GunicornLogger, MaskIdNumbersFilter, mask_id_numbers
from dangjian.core.models import AuditEntry
from tests.factories import SYSTEM

ID = "11010519491231002X"
MASKED = "110***********002X"


def test_mask_id_numbers_masks_18_char_ids_but_not_longer_digit_runs():
    assert mask_id_numbers(f"GET /members/?q={ID} HTTP/1.1") == (
        f"GET /members/?q={MASKED} HTTP/1.1"
    )
    assert mask_id_numbers("110105194912310021") == "110***********0021"
    assert mask_id_numbers("id 99999999999999999999") == "id 99999999999999999999"
    assert mask_id_numbers("phone 13800138000") == "phone 13800138000"


def test_every_handler_in_settings_masks_id_numbers():
    for name, handler in settings.LOGGING["handlers"].items():
        assert "mask_id_numbers" in handler.get("filters", []), name
    assert settings.LOGGING["filters"]["mask_id_numbers"]["()"].endswith("MaskIdNumbersFilter")


def test_djangos_request_logger_writes_no_full_id_number():
    logger = logging.getLogger("django.request")
    # django.request propagates to "django", which writes through the configured handler.
    handlers = [h for h in logging.getLogger("django").handlers if hasattr(h, "setStream")]
    assert handlers
    buffers = []
    for handler in handlers:
        buffers.append((handler, handler.setStream(io.StringIO())))
    try:
        logger.warning("Not Found: %s", f"/members/{ID}/")
        text = "".join(handler.stream.getvalue() for handler, _ in buffers)
    finally:
        for handler, old_stream in buffers:
            handler.setStream(old_stream)
    assert MASKED in text
    assert ID not in text


def test_traceback_text_is_masked_too():
    try:
        raise ValueError(f"bad {ID}")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, "f", 1, "boom", None, sys.exc_info())
    MaskIdNumbersFilter().filter(record)
    assert ID not in record.exc_text
    assert MASKED in record.exc_text


def test_gunicorn_access_log_writes_no_full_id_number(capsys):
    from gunicorn.config import Config

    cfg = Config()
    cfg.set("accesslog", "-")
    log = GunicornLogger(cfg)
    log.access_log.info('"%(r)s" %(s)s', {"r": f"GET /members/?q={ID} HTTP/1.1", "s": "200"})
    out = capsys.readouterr().out
    assert f"GET /members/?q={MASKED} HTTP/1.1" in out
    assert ID not in out


def test_serve_starts_gunicorn_with_the_masking_logger():
    import inspect

    from dangjian import cli

    source = inspect.getsource(cli.serve)
    assert '"dangjian.core.logging.GunicornLogger"' in source
    assert "x-request-id" in cli.ACCESS_LOG_FORMAT


@pytest.mark.django_db
def test_audit_entry_masks_id_numbers_in_text_and_changes(world):
    entry = audit(
        actor=SYSTEM,
        action="member.search",
        verb=f"按身份证号 {ID} 查询",
        org=world.a,
        changes={"q": [None, ID], "ids": [ID]},
    )
    entry = AuditEntry.objects.get(pk=entry.pk)
    text = f"{entry.verb} {entry.changes}"
    assert ID not in text
    assert entry.verb == f"按身份证号 {MASKED} 查询"
    assert entry.changes == {"q": [None, MASKED], "ids": [MASKED]}


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client):
    resp = client.get("/healthz")
    assert len(resp["X-Request-ID"]) == 32
    again = client.get("/healthz", headers={"X-Request-ID": "proxy-abc-12345"})
    assert again["X-Request-ID"] == "proxy-abc-12345"
    forged = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert forged["X-Request-ID"] != "bad id\nwith newline"


def test_unexpected_api_error_is_json_with_the_request_id_in_the_log(caplog):
    from dangjian.api.api import api

    request = RequestFactory().get("/api/v1/orgs")
    request.request_id = "req-test-0001"
    with caplog.at_level(logging.ERROR, logger="dangjian.api"):
        resp = api.on_exception(request, RuntimeError("boom"))
    assert resp.status_code == 500
    assert resp["Content-Type"].startswith("application/json")
    import json

    body = json.loads(resp.content)
    assert body["request_id"] == "req-test-0001"
    assert "req-test-0001" in body["detail"]
    assert "req-test-0001" in caplog.text


def test_server_error_under_api_is_json_and_html_elsewhere():
    from dangjian.core.views import server_error

    request = RequestFactory().get("/api/v1/orgs")
    request.request_id = "req-test-0002"
    resp = server_error(request)
    assert resp.status_code == 500
    assert resp["Content-Type"] == "application/json"
    page = RequestFactory().get("/orgs/")
    page.request_id = "req-test-0003"
    assert "req-test-0003" in server_error(page).content.decode()


def test_a_record_logged_after_the_middleware_takes_the_id_from_its_request():
    from dangjian.core.logging import RequestIdFilter

    request = RequestFactory().get("/x")
    request.request_id = "req-late-0001"
    record = logging.LogRecord("django.request", logging.WARNING, "f", 1, "Not Found", None, None)
    record.request = request
    RequestIdFilter().filter(record)
    assert record.request_id == "req-late-0001"
