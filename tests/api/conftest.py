"""The API tests run on the service tests' databases (SQLite, and PostgreSQL when TEST_DATABASE_URL is set)."""

from tests.services.conftest import database, store, world  # noqa: F401  (fixtures, shared rather than copied)
