"""Fixtures shared by every test: a private data folder, the clock, and the PostgreSQL every test runs on.

The database is TEST_DATABASE_URL when it is set (CI points it at the machine's server), else a PostgreSQL of the
project's own that the session starts (resolution_app/infra/local_postgres.py). If neither works, the tests that
need a database fail with the reason; they never skip.
"""

import os
import tempfile

# Settings are read once per process: point them at a throw-away folder before anything imports them.
os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="rc-test-data-")
os.environ.setdefault("SECRET_KEY", "test-secret-key")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("STORAGE_URL", None)
os.environ["JOB_WORKER_IN_APP"] = "0"

from collections.abc import Iterator  # noqa: E402
from datetime import UTC, datetime  # noqa: E402

import pytest  # noqa: E402
from sqlalchemy import Engine  # noqa: E402

from resolution_app.infra import db  # noqa: E402
from resolution_app.infra.clock import clock  # noqa: E402
from resolution_app.infra.local_postgres import FAST_UNSAFE_OPTIONS, running_postgres  # noqa: E402
from resolution_app.infra.storage import LocalStore  # noqa: E402
from resolution_app.services import files  # noqa: E402
from tests.databases import Contents, contents, empty_tables, fresh_database, migrated_engine, restore  # noqa: E402

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A URL of the server the tests use, for its main database."""
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    with running_postgres(tmp_path_factory.mktemp("postgres") / "data", options=FAST_UNSAFE_OPTIONS) as url:
        yield url


@pytest.fixture(scope="session")
def migrated(postgres_url: str) -> Iterator[Engine]:
    """The tests' database, migrated once per session."""
    engine = migrated_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture
def database(migrated: Engine) -> Iterator[Engine]:
    """The tests' database, empty, and every service pointed at it."""
    empty_tables(migrated)
    db.use_engine(migrated)
    yield migrated
    db.use_engine(None)


@pytest.fixture
def store(tmp_path) -> Iterator[LocalStore]:
    local = LocalStore(tmp_path / "evidence")
    files.use_store(local)
    yield local
    files.use_store(None)


@pytest.fixture(scope="session")
def seeded(migrated: Engine, tmp_path_factory: pytest.TempPathFactory) -> Contents:
    """The tables as the demo data's seeding leaves them at NOW, seeded once through the services: each test that
    wants the demo world gets these rows back (seeding them again took 0.4 s a test)."""
    from resolution_app.services.demo_data import seed_demo_data

    empty_tables(migrated)
    db.use_engine(migrated)
    files.use_store(LocalStore(tmp_path_factory.mktemp("seeding")))
    clock.freeze(NOW)
    try:
        seed_demo_data()
        return contents(migrated)
    finally:
        clock.unfreeze()
        files.use_store(None)
        db.use_engine(None)


@pytest.fixture
def world(database, seeded, store, frozen_clock):
    """The demo world: the seeded business, people, payments and a few cases."""
    from tests.services.factories import World

    restore(database, seeded)
    return World()


@pytest.fixture(scope="session")
def e2e_database_url(postgres_url: str) -> str:
    """A database of its own for the end-to-end app, beside the one the service tests empty after each test."""
    return fresh_database(postgres_url, "e2e")


@pytest.fixture
def frozen_clock():
    """The one clock, stopped at NOW; tests move it with clock.advance()."""
    clock.freeze(NOW)
    yield clock
    clock.unfreeze()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Redis of the tests' own (Debian's redis-server, which `make test` installs when it is missing)."""
    from resolution_app.infra.local_redis import running_redis

    with running_redis(tmp_path_factory.mktemp("redis")) as url:
        yield url
