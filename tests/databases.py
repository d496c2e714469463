"""Databases for tests on the one server: made afresh, migrated, and emptied between tests."""

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


@cache
def _tables(engine: Engine) -> str:
    with engine.connect() as connection:
        names = connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
        return ", ".join(f'"{name}"' for name in sorted(set(names) - KEPT_TABLES))


def empty_tables(engine: Engine) -> None:
    """Every table empty and every id back at 1, the job queue's included."""
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {_tables(engine)} RESTART IDENTITY CASCADE"))
