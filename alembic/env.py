"""Alembic runs against the database the settings name, or the connection a caller hands it."""

from alembic import context
from sqlmodel import SQLModel

import resolution_app.models  # noqa: F401  (registers the tables)
from resolution_app.infra.db import ensure_reachable, make_engine
from resolution_app.infra.settings import get_settings
from resolution_app.models.base import MIGRATION_ONLY_INDEXES

target_metadata = SQLModel.metadata
JOB_QUEUE_TABLES = "procrastinate_"


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(get_settings().sqlalchemy_url)
    ensure_reachable(engine)
    with engine.connect() as connection:
        _run(connection)


def _compared(name: str | None, type_: str, _parents: dict) -> bool:
    if type_ == "table" and name and name.startswith(JOB_QUEUE_TABLES):
        return False  # the job queue's own schema (c4a7e2d91f30), not our models
    return not (type_ == "index" and name in MIGRATION_ONLY_INDEXES)


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        include_name=_compared,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
