"""Apply the migrations: `python -m resolution_app.infra.migrate` (make run does it at start-up)."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parents[2]


def upgrade(engine: Engine | None = None) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    if engine is None:
        command.upgrade(config, "head")
        return
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


if __name__ == "__main__":
    upgrade()
    print("Database is up to date.")
