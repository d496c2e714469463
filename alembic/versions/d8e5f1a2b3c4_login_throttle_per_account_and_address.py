"""login throttle per account and address

Failed log-ins were counted per email, read and written back in Python: parallel attempts lost counts, and anyone
could lock an owner out. They are now counted by one upsert per scope (domain/login_throttle.py): one account from
one address, and one address across accounts. The old rows are only recent failures, so the table starts empty.

Revision ID: d8e5f1a2b3c4
Revises: c4a7e2d91f30
Create Date: 2026-12-01 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import resolution_app.models.base

revision: str = "d8e5f1a2b3c4"
down_revision: str | None = "c4a7e2d91f30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_table("login_throttle")
    op.create_table(
        "login_throttle",
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", resolution_app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key"),
    )
    op.create_index(op.f("ix_login_throttle_last_failure_at"), "login_throttle", ["last_failure_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_login_throttle_last_failure_at"), table_name="login_throttle")
    op.drop_table("login_throttle")
    op.create_table(
        "login_throttle",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", resolution_app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("locked_until", resolution_app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("email"),
    )
