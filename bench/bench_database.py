"""What the benchmarks share: a database of their own, made empty for each run."""

import psycopg
from psycopg import sql
from sqlalchemy import make_url


def fresh_postgres(url: str) -> None:
    """Create the database if it is missing and empty it."""
    target = make_url(url)
    admin = target.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (target.database,)).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.database)))
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")
