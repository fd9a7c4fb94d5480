"""Fuzz every operation of the OpenAPI schema with schemathesis, as a platform admin and as a
branch secretary: no answer may be a 5xx, and every answer must match the documented schema
(status code, content type, body).

Path parameters are mostly replaced by ids of real objects of branch A (the scope matrix's
test objects), so that fuzzed bodies and queries reach the services instead of stopping at
a 404; one generated value in four is kept as generated (huge, negative or malformed ids).

Bounded in time: one test per user builds the test data once and walks every operation,
``MAX_EXAMPLES`` valid and as many invalid inputs each, derandomized (a fixed seed), no
shrinking, no example database. Runs in ``make test`` (no marker to select or skip)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dangjian.api.auth import token_issue
from dangjian.wsgi import application
from tests.test_scope_matrix import all_scope_objects

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 8

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# The bearer token is sent as given; do not spend examples on mangled Authorization headers.
schema.config.generation.update(with_security_parameters=False)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
BOUNDED = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _point_at_real_objects(case, objects: dict) -> None:
    for name, value in list((case.path_parameters or {}).items()):
        if name in objects and not (isinstance(value, int) and value % 4 == 0):
            case.path_parameters[name] = objects[name]


def fuzz(headers: dict, objects: dict) -> tuple[int, list[str]]:
    """Every operation in both modes; (requests sent, failures with their first example)."""
    sent, failures = 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @BOUNDED
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                nonlocal sent
                _point_at_real_objects(case, objects)
                response = case.call(headers=headers)
                sent += 1
                case.validate_response(response, checks=CHECKS, headers=headers)

            try:
                run()
            except Unsatisfiable:
                continue  # no invalid input exists (an operation without parameters)
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # collect every operation's failures, fail once
                failures.append(f"{operation.label} ({mode.value}): {exc}"[:2000])
    return sent, failures


@pytest.fixture
def keep_connection():
    """The app is called as a WSGI app, so Django's request signals fire; as in Django's own
    test client, keep them from closing the test's database connection (on PostgreSQL that
    would end the test's transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("username", ["admin", "sec_a"])
def test_api_answers_no_5xx_and_matches_its_schema(world, username, keep_connection):
    objects = {name: inside for name, (inside, _outside) in all_scope_objects(world).items()}
    headers = {"Authorization": f"Bearer {token_issue(user=world.user(username))}"}
    sent, failures = fuzz(headers, objects)
    print(f"schemathesis as {username}: {len(schema)} operations, {sent} requests")
    assert sent > len(schema) * 2
    assert not failures, "\n\n".join(failures)
