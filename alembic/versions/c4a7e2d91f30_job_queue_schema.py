"""job queue schema (procrastinate 3.10.0)

The durable job queue (deadline sweeps, and next email delivery, reminders and webhooks) keeps its jobs in this
database. Its tables and functions are procrastinate's own schema, copied beside this file as the pinned release
ships it, so that this migration builds the same schema whatever version is installed later. Upgrading
procrastinate means a new migration applying that release's SQL migrations (procrastinate/sql/migrations).

Revision ID: c4a7e2d91f30
Revises: 5c1d2e3f4a5b
Create Date: 2026-12-01 20:30:00
"""

from collections.abc import Sequence
from pathlib import Path

from alembic import op

revision: str = "c4a7e2d91f30"
down_revision: str | None = "5c1d2e3f4a5b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = Path(__file__).with_name("procrastinate_3.10.0_schema.sql")

DROP_EVERYTHING_PROCRASTINATE = """
DO $$
DECLARE name text;
BEGIN
    FOR name IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
                AND tablename LIKE 'procrastinate\\_%' LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', name);
    END LOOP;
    FOR name IN SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%' LOOP
        EXECUTE 'DROP FUNCTION IF EXISTS ' || name || ' CASCADE';
    END LOOP;
    FOR name IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate\\_%' AND t.typtype IN ('e', 'c')
    LOOP
        EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', name);
    END LOOP;
END $$;
"""


def _execute_script(sql: str) -> None:
    # Straight to psycopg, without parameters: the script's own % and : are not placeholders.
    op.get_bind().connection.driver_connection.execute(sql)


def upgrade() -> None:
    _execute_script(SCHEMA.read_text())


def downgrade() -> None:
    _execute_script(DROP_EVERYTHING_PROCRASTINATE)
