"""The migrations build exactly the schema the models describe, on each database the services run on."""

from alembic import command
from alembic.config import Config

from resolution_app.infra.migrate import ROOT


def test_models_and_migrations_agree(database):
    config = Config(str(ROOT / "alembic.ini"))
    with database.begin() as connection:
        config.attributes["connection"] = connection
        command.check(config)  # raises when autogenerate would write a migration
