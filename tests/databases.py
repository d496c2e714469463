"""Databases for tests on the one server: made afresh, migrated, and set back between tests."""

from dataclasses import dataclass, field
from functools import cache

import psycopg
from psycopg import sql
from sqlalchemy import Engine, make_url, text

from resolution_app.infra import db
from resolution_app.infra.migrate import upgrade

KEPT_TABLES = frozenset({"alembic_version"})  # what the migrations wrote stays; every row of ours goes


def fresh_database(server_url: str, suffix: str) -> str:
    """Drop and create the database named after `server_url`'s with `suffix` (so test runs pointed at different
    databases of one server keep apart); returns its URL."""
    name = f"{make_url(server_url).database}_{suffix}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def migrated_engine(url: str) -> Engine:
    """An engine on `url` with an empty public schema brought up by the real migrations (what production runs)."""
    engine = db.make_engine(make_url(url).set(drivername="postgresql+psycopg"))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(engine)
    return engine


@dataclass(frozen=True)
class Contents:
    """What the tables hold, to put back before a test: each table's rows as COPY writes them (tables not named are
    empty), and the last value each sequence gave (sequences not named start over)."""

    rows: dict[str, bytes] = field(default_factory=dict)
    sequences: dict[str, int] = field(default_factory=dict)


EMPTY = Contents()


@dataclass(frozen=True)
class _Schema:
    tables: tuple[str, ...]  # quoted
    sequences: dict[str, int]  # quoted name: its start value


@cache
def _schema(engine: Engine) -> _Schema:
    with engine.connect() as connection:
        names = connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
        starts = connection.execute(
            text("SELECT sequencename, start_value FROM pg_sequences WHERE schemaname = 'public'")
        ).all()
    return _Schema(
        tables=tuple(f'"{name}"' for name in sorted(set(names) - KEPT_TABLES)),
        sequences={f'"{name}"': start for name, start in starts},
    )


def contents(engine: Engine) -> Contents:
    """What the tables hold now."""
    schema = _schema(engine)
    with engine.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()
        rows = {}
        for table in schema.tables:
            with cursor.copy(f"COPY {table} TO STDOUT (FORMAT binary)") as copy:
                data = b"".join(copy)
            if cursor.rowcount:
                rows[table] = data
        used = connection.execute(
            text("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
        ).all()
    return Contents(rows, {f'"{name}"': value for name, value in used if value is not None})


def restore(engine: Engine, wanted: Contents) -> None:
    """Every table and sequence as in `wanted`, in one transaction of a few round trips: TRUNCATE took 80 ms (it
    makes new files for every table and index) and seeding the demo world through the services 400, per test.

    Triggers are off while rows go and come back (session_replication_role, which needs a superuser, as the tests'
    servers have): foreign keys, so that tables are emptied and filled in any order, and procrastinate's, which
    would log a job's arrival a second time."""
    schema = _schema(engine)
    starts = (
        f"setval('{name}', {wanted.sequences[name]}, true)"
        if name in wanted.sequences
        else f"setval('{name}', {start}, false)"
        for name, start in schema.sequences.items()
    )
    with engine.begin() as connection:
        cursor = connection.connection.driver_connection.cursor()
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("; ".join(f"DELETE FROM {table}" for table in schema.tables))
        cursor.execute(f"SELECT {', '.join(starts)}")
        for table, data in wanted.rows.items():
            with cursor.copy(f"COPY {table} FROM STDIN (FORMAT binary)") as copy:
                copy.write(data)


def empty_tables(engine: Engine) -> None:
    """Every table empty and every id back at its start, the job queue's included."""
    restore(engine, EMPTY)
