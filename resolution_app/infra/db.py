"""Engine and transactions, on PostgreSQL."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Connection, Engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

from resolution_app.infra.settings import get_settings

CONNECT_TIMEOUT_SECONDS = 5  # an unreachable server is reported within seconds, not after the OS gives up


class DatabaseUnreachable(SystemExit):
    """Start-up stops: the database named by DATABASE_URL does not answer."""


# Settings of every connection the app opens:
# - plan_cache_mode: every statement planned for its own values. psycopg prepares a statement on its sixth run on a
#   connection, and PostgreSQL may then settle on one generic plan for all values; the table's filters (a day range,
#   a customer search) are the textbook case where that goes wrong: at 1,000,000 cases settled plans took 24 ms
#   where a plan for the values took 5, and 56 where it took 35. Planning afresh costs a fraction of a millisecond.
# - TimeZone: times come back in UTC, as the app keeps them (local days are always computed for a named zone), so
#   turning them into UTC (models.base.UTCDateTime, the export's cells) is free: from the server's zone it cost
#   about a tenth of a 100,000-row export.
CONNECTION_OPTIONS = "-c plan_cache_mode=force_custom_plan -c TimeZone=UTC"


def make_engine(url: str) -> Engine:
    # No pre-ping: it costs a round trip per transaction. A connection the server dropped fails its one request,
    # and SQLAlchemy then throws the pool's connections away, so the next request connects afresh.
    return create_engine(
        url,
        pool_size=10,
        max_overflow=10,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS, "options": CONNECTION_OPTIONS},
    )


def ensure_reachable(engine: Engine) -> None:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        shown = make_url(engine.url).set(drivername="postgresql").render_as_string(hide_password=True)
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise DatabaseUnreachable(f"DATABASE_URL ({shown}) can't be reached: {reason}") from None


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().sqlalchemy_url)


_engine_override: list[Engine] = []


def use_engine(engine: Engine | None) -> None:
    """Point every service at another database (tests)."""
    _engine_override.clear()
    if engine is not None:
        _engine_override.append(engine)


def current_engine() -> Engine:
    return _engine_override[0] if _engine_override else get_engine()


@lru_cache
def _autocommit(engine: Engine) -> Engine:
    return engine.execution_options(isolation_level="AUTOCOMMIT")  # shares the engine's pool


@contextmanager
def read() -> Iterator[Session]:
    """For what a page shows: each statement sees the latest committed data, with no BEGIN and COMMIT round trips.

    Its statements are not one snapshot, and a statement that writes commits at once; changes that must hold
    together go through transaction().
    """
    with Session(_autocommit(current_engine()), expire_on_commit=False) as session:
        yield session


@contextmanager
def read_rows() -> Iterator[Connection]:
    """read(), without a Session, for Core statements alone: the Session's set-up cost more than a tenth of a
    millisecond, which the API's key check pays on every request."""
    with _autocommit(current_engine()).connect() as connection:
        yield connection


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
