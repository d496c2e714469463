"""Service tests run against SQLite always, and PostgreSQL too when TEST_DATABASE_URL is set (CI sets it)."""

import os
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

import resolution_app.models  # noqa: F401
from resolution_app.infra import db
from resolution_app.infra.migrate import upgrade
from resolution_app.infra.storage import LocalStore
from resolution_app.services import files

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
_engines: dict[str, Engine] = {}


def _engine(backend: str) -> Engine:
    if backend not in _engines:
        if backend == "sqlite":
            url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='rc-sqlite-')) / 'test.db'}"
        else:
            url = os.environ["TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
        engine = db.make_engine(url)
        if backend == "postgresql":
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(engine)  # the real migrations, not create_all: they are what production runs
        _engines[backend] = engine
    return _engines[backend]


def _empty_tables(engine: Engine) -> None:
    tables = list(reversed(SQLModel.metadata.sorted_tables))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture(params=BACKENDS)
def database(request) -> Engine:
    engine = _engine(request.param)
    _empty_tables(engine)
    db.use_engine(engine)
    yield engine
    db.use_engine(None)


@pytest.fixture
def store(tmp_path) -> LocalStore:
    local = LocalStore(tmp_path / "evidence")
    files.use_store(local)
    yield local
    files.use_store(None)


@pytest.fixture
def world(database, store, frozen_clock):
    """The demo world: the seeded business, people, payments and a few cases."""
    from tests.services.factories import World

    return World.seeded()
