"""Schemathesis against the API's own OpenAPI document: every operation, with a real key, answers without a server
error and as its document says (status codes, headers, bodies)."""

from dataclasses import replace

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from resolution_app.api.routes import api
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.services.developers import api_keys, rate_limit

schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", api)


@pytest.fixture
def api_key(world, monkeypatch) -> str:
    monkeypatch.setattr(rate_limit, "DEFAULT_POLICY", replace(DEFAULT_POLICY, api_requests_per_minute=10**6))
    return api_keys.create_key(world.creator, "Schemathesis", "read_write").secret


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, api_key):
    # Rules no schema can say (a cursor from an earlier page, a message that is not only spaces) are 422s for
    # requests that fit the schema: "schema-valid data is accepted" can't hold, every other check does.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_key}"},
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
