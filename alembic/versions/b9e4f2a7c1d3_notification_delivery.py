"""notification delivery: outbound emails, in-app notification fields, deadline reminders

Email delivery moves from columns of `notification` to `outbound_email`, one row per email (a chat digest covers
several notifications). Notifications written before this and still waiting for their email get one each, so no
email is lost across the upgrade. `case.reminded_due_at` records the deadline a reminder was sent for.

Revision ID: b9e4f2a7c1d3
Revises: a7d2c4e6f8b1
Create Date: 2026-12-02 14:20:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import resolution_app.models.base

revision: str = "b9e4f2a7c1d3"
down_revision: str | None = "a7d2c4e6f8b1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbound_email",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("created_at", resolution_app.models.base.UTCDateTime(), nullable=False),
        sa.Column("not_before", resolution_app.models.base.UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", resolution_app.models.base.UTCDateTime(), nullable=False),
        sa.Column("lease_until", resolution_app.models.base.UTCDateTime(), nullable=True),
        sa.Column("sent_at", resolution_app.models.base.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index("ix_outbound_email_due", "outbound_email", ["status", "next_attempt_at"], unique=False)
    op.create_index(op.f("ix_outbound_email_user_id"), "outbound_email", ["user_id"], unique=False)
    op.create_index(op.f("ix_outbound_email_case_id"), "outbound_email", ["case_id"], unique=False)
    op.create_index(
        "ux_outbound_email_open_digest",
        "outbound_email",
        ["user_id", "case_id"],
        unique=True,
        postgresql_where=sa.text("kind = 'digest' AND status = 'pending'"),
    )

    op.add_column("notification", sa.Column("party", sa.String(length=20), nullable=True))
    op.add_column("notification", sa.Column("status_label", sa.String(length=80), nullable=False, server_default=""))
    op.add_column("notification", sa.Column("author", sa.String(length=40), nullable=False, server_default=""))
    op.add_column("notification", sa.Column("email_id", sa.Integer(), nullable=True))
    op.create_foreign_key(None, "notification", "outbound_email", ["email_id"], ["id"])
    op.create_index(op.f("ix_notification_email_id"), "notification", ["email_id"], unique=False)
    op.execute(
        'UPDATE notification SET party = CASE WHEN notification.user_id = "case".buyer_id THEN \'buyer\' '
        "ELSE 'creator' END FROM \"case\" WHERE \"case\".id = notification.case_id"
    )
    op.execute("UPDATE notification SET party = 'buyer' WHERE party IS NULL")
    op.alter_column("notification", "party", nullable=False)
    op.alter_column("notification", "status_label", server_default=None)
    op.alter_column("notification", "author", server_default=None)
    _carry_over_pending_emails()

    op.drop_index("ix_notification_email_due", table_name="notification")
    op.drop_index(op.f("ix_notification_user_id"), table_name="notification")
    for column in ("email_status", "email_attempts", "email_next_attempt_at", "email_sent_at", "email_last_error"):
        op.drop_column("notification", column)
    op.create_index("ix_notification_user_created", "notification", ["user_id", "created_at"], unique=False)
    op.create_index(
        "ix_notification_unread", "notification", ["user_id"], unique=False, postgresql_where=sa.text("read_at IS NULL")
    )
    op.add_column("case", sa.Column("reminded_due_at", resolution_app.models.base.UTCDateTime(), nullable=True))


def _carry_over_pending_emails() -> None:
    """Each notification still waiting for its email gets an outbound email of its own."""
    connection = op.get_bind()
    pending = connection.execute(
        sa.text("SELECT id, user_id, case_id, created_at FROM notification WHERE email_status = 'pending'")
    ).all()
    for notification_id, user_id, case_id, created_at in pending:
        email_id = connection.execute(
            sa.text(
                "INSERT INTO outbound_email (user_id, case_id, kind, message_id, created_at, not_before, status, "
                "attempts, next_attempt_at, last_error) VALUES (:user_id, :case_id, 'single', :message_id, "
                ":created_at, :created_at, 'pending', 0, :created_at, '') RETURNING id"
            ),
            {
                "user_id": user_id,
                "case_id": case_id,
                "message_id": f"<{uuid.uuid4().hex}@resolution-center>",
                "created_at": created_at,
            },
        ).scalar_one()
        connection.execute(
            sa.text("UPDATE notification SET email_id = :email_id WHERE id = :id"),
            {"email_id": email_id, "id": notification_id},
        )


def downgrade() -> None:
    op.drop_column("case", "reminded_due_at")
    op.drop_index("ix_notification_unread", table_name="notification")
    op.drop_index("ix_notification_user_created", table_name="notification")
    op.add_column("notification", sa.Column("email_last_error", sa.String(500), nullable=False, server_default=""))
    op.add_column("notification", sa.Column("email_sent_at", resolution_app.models.base.UTCDateTime(), nullable=True))
    op.add_column(
        "notification", sa.Column("email_next_attempt_at", resolution_app.models.base.UTCDateTime(), nullable=True)
    )
    op.add_column("notification", sa.Column("email_attempts", sa.Integer(), nullable=False, server_default="0"))
    op.add_column(
        "notification", sa.Column("email_status", sa.String(10), nullable=False, server_default="skipped")
    )
    op.execute(
        "UPDATE notification SET email_status = outbound_email.status, email_sent_at = outbound_email.sent_at "
        "FROM outbound_email WHERE outbound_email.id = notification.email_id"
    )
    op.create_index(op.f("ix_notification_user_id"), "notification", ["user_id"], unique=False)
    op.create_index("ix_notification_email_due", "notification", ["email_status", "email_next_attempt_at"])
    op.drop_index(op.f("ix_notification_email_id"), table_name="notification")
    op.drop_constraint("notification_email_id_fkey", "notification", type_="foreignkey")
    for column in ("email_id", "author", "status_label", "party"):
        op.drop_column("notification", column)
    op.drop_table("outbound_email")
