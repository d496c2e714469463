"""review claims

A reviewer claims a case before deciding it; `claimed_at` is the claimer's last move on it, so a claim left idle
longer than the policy's limit may be taken over by another reviewer.

Revision ID: f1c2d3e4a5b6
Revises: e3b7c9d1f4a2
Create Date: 2026-12-02 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import resolution_app.models.base

revision: str = "f1c2d3e4a5b6"
down_revision: str | None = "e3b7c9d1f4a2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("case", sa.Column("claimed_at", resolution_app.models.base.UTCDateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("case", "claimed_at")
