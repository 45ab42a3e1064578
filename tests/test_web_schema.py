"""API fuzzing with schemathesis against the server's own OpenAPI schema, on both backends: generated
requests (valid and edge-case parameters, cursors, hostile strings) never get a 5xx, and every response
matches the documented status codes, content types and schemas. Examples are bounded to keep CI fast."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from reportedly.serve.api import create_app
from reportedly.serve.web.state import Settings
from tests._ledger import BACKENDS
from tests._web import shared_ledger

MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.parametrize("backend", BACKENDS)
def test_api_conforms_to_its_schema(backend: str, tmp_path_factory) -> None:
    url = shared_ledger(backend, tmp_path_factory.getbasetemp())
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(Settings(url)))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 10  # every endpoint of the API is fuzzed
    calls: list[int] = []
    for op in operations:
        @given(case=op.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def fuzz(case: schemathesis.Case) -> None:
            response = case.call_and_validate(checks=CHECKS)
            calls.append(response.status_code)

        fuzz()
    assert len(calls) >= 5 * len(operations) and 200 in calls
