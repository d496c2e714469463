"""api keys

A business's bearer keys for the public API (issue 14): only each key's sha256 is stored.

Revision ID: 7e2f5a9c3d18
Revises: 4b8d0e2c6a91
Create Date: 2026-12-03 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import resolution_app.models.base

revision: str = "7e2f5a9c3d18"
down_revision: str | None = "4b8d0e2c6a91"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    moment = resolution_app.models.base.UTCDateTime()
    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("shown_prefix", sa.String(length=16), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("last_used_at", moment, nullable=True),
        sa.Column("revoked_at", moment, nullable=True),
        sa.ForeignKeyConstraint(["business_id"], ["business.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    op.create_index(op.f("ix_api_key_business_id"), "api_key", ["business_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_api_key_business_id"), table_name="api_key")
    op.drop_table("api_key")
