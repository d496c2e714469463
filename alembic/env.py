"""Alembic runs against the database the settings name, or the connection a caller hands it."""

from alembic import context
from sqlmodel import SQLModel

import resolution_app.models  # noqa: F401  (registers the tables)
from resolution_app.infra.db import make_engine
from resolution_app.infra.settings import get_settings
from resolution_app.models.base import MIGRATION_ONLY_INDEXES

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(get_settings().resolved_database_url)
    with engine.connect() as connection:
        _run(connection)


def _compared(name: str | None, type_: str, _parents: dict) -> bool:
    return not (type_ == "index" and name in MIGRATION_ONLY_INDEXES)


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=_compared,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
