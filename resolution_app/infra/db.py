"""Engine and transactions."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine

from resolution_app.infra.settings import get_settings


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record) -> None:  # noqa: ANN001
            connection.isolation_level = None  # we issue BEGIN ourselves, below
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin_immediate(connection) -> None:  # noqa: ANN001
            # Take the write lock up front: two writers never deadlock upgrading a read lock.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().resolved_database_url)


_engine_override: list[Engine] = []


def use_engine(engine: Engine | None) -> None:
    """Point every service at another database (tests)."""
    _engine_override.clear()
    if engine is not None:
        _engine_override.append(engine)


def current_engine() -> Engine:
    return _engine_override[0] if _engine_override else get_engine()


@contextmanager
def transaction() -> Iterator[Session]:
    """One unit of work: commits at the end, rolls back on any error."""
    with Session(current_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
