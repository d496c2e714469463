"""Schemathesis against the API's own OpenAPI document: every operation, with a real key, answers without a server
error and as its document says (status codes, headers, bodies), and refuses what the document does not allow."""

from dataclasses import replace

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from resolution_app.api.routes import api
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.services.developers import api_keys, rate_limit

schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", api)
KEY: dict[str, str] = {}  # this test's key; the database, and so the key, is new for each test


@schema.auth(refresh_interval=None)
class BearerKey:
    """The key as schemathesis's own auth, so that the cases that leave it out on purpose are sent without it."""

    def get(self, case, context) -> str:  # noqa: ANN001
        return KEY.get("secret", "")  # asked once at collection too, before any test has made its key

    def set(self, case, data: str, context) -> None:  # noqa: ANN001
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def api_key(world, monkeypatch) -> None:
    monkeypatch.setattr(rate_limit, "DEFAULT_POLICY", replace(DEFAULT_POLICY, api_requests_per_minute=10**6))
    KEY["secret"] = api_keys.create_key(world.creator, "Schemathesis", "read_write").secret


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, api_key):
    # Rules no schema can say (a cursor from an earlier page, a message that is not only spaces) are 422s for
    # requests that fit the schema: "schema-valid data is accepted" can't hold, every other check does.
    case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance])
