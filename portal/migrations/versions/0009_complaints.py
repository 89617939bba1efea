"""complaints

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 18:31:23.356204
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = [
    "confirm_email",
    "reset_password",
    "password_changed",
    "guardian_request",
    "guardian_decision",
    "contact_changed",
    "one_login_linked",
    "correction_decided",
    "correction_extended",
]
NEW_KINDS = [*OLD_KINDS, "complaint_acknowledged", "complaint_message", "complaint_outcome"]


def _kinds_allowed(kinds: list[str]) -> None:
    # Autogenerate does not see CHECK constraints: a new enum value needs one written by hand.
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_notifications_notification_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_notifications_notification_kind"), sa.column("kind").in_(kinds)
        )


def upgrade() -> None:
    op.create_table(
        "complaints",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("submission_key", sa.String(length=64), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "portal",
                "post",
                "email",
                "phone",
                name="complaint_channel",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "category",
            sa.Enum(
                "wrong_data",
                "unexpected_sharing",
                "request_handling",
                "security",
                "other",
                name="complaint_category",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("complainant_account_id", sa.Uuid(), nullable=True),
        sa.Column("complainant_name", sa.String(length=200), nullable=True),
        sa.Column("complainant_email", sa.String(length=320), nullable=True),
        sa.Column("complainant_phone", sa.String(length=40), nullable=True),
        sa.Column("complainant_address", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("about_person_id", sa.Uuid(), nullable=True),
        sa.Column("what_happened", sa.Text(), nullable=False),
        sa.Column("desired_outcome", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("acknowledgement_due_on", sa.Date(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("response_due_on", sa.Date(), nullable=False),
        sa.Column("paused_days", sa.Integer(), nullable=False),
        sa.Column("paused_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "acknowledged",
                "investigating",
                "waiting_for_complainant",
                "resolved",
                "closed",
                name="complaint_status",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("assigned_account_id", sa.Uuid(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome_text", sa.Text(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("logged_by_account_id", sa.Uuid(), nullable=True),
        sa.Column("access_token_hash", sa.String(length=64), nullable=True),
        sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(channel = 'portal') = (logged_by_account_id IS NULL)",
            name=op.f("ck_complaints_staff_log_other_channels"),
        ),
        sa.CheckConstraint(
            "complainant_account_id IS NOT NULL OR complainant_name IS NOT NULL OR anonymised_at IS NOT NULL",
            name=op.f("ck_complaints_someone_complains"),
        ),
        sa.CheckConstraint("paused_days >= 0", name=op.f("ck_complaints_paused_days_not_negative")),
        sa.ForeignKeyConstraint(
            ["about_person_id"], ["people.id"], name=op.f("fk_complaints_about_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["assigned_account_id"],
            ["accounts.id"],
            name=op.f("fk_complaints_assigned_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["complainant_account_id"],
            ["accounts.id"],
            name=op.f("fk_complaints_complainant_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["logged_by_account_id"],
            ["accounts.id"],
            name=op.f("fk_complaints_logged_by_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("access_token_hash", name=op.f("uq_complaints_access_token_hash")),
        sa.UniqueConstraint("reference", name=op.f("uq_complaints_reference")),
        sa.UniqueConstraint("submission_key", name=op.f("uq_complaints_submission_key")),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaints_about_person_id"), ["about_person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_complaints_assigned_account_id"), ["assigned_account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_complaints_complainant_account_id"),
            ["complainant_account_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_complaints_response_due_on_id", ["response_due_on", "id"], unique=False
        )
        batch_op.create_index(
            "ix_complaints_status_response_due_on_id",
            ["status", "response_due_on", "id"],
            unique=False,
        )

    op.create_table(
        "complaint_attachments",
        sa.Column("complaint_id", sa.Uuid(), nullable=False),
        sa.Column("attachment_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachments.id"],
            name=op.f("fk_complaint_attachments_attachment_id_attachments"),
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_attachments_complaint_id_complaints"),
        ),
        sa.PrimaryKeyConstraint(
            "complaint_id", "attachment_id", name=op.f("pk_complaint_attachments")
        ),
        sa.UniqueConstraint("attachment_id", name=op.f("uq_complaint_attachments_attachment_id")),
    )
    op.create_table(
        "complaint_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("complaint_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_account_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("visible_to_complainant", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_account_id"],
            ["accounts.id"],
            name=op.f("fk_complaint_events_actor_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_events_complaint_id_complaints"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_events")),
    )
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_events_complaint_id"), ["complaint_id"], unique=False
        )

    op.create_table(
        "complaint_messages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("complaint_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_complainant", sa.Boolean(), nullable=False),
        sa.Column("author_account_id", sa.Uuid(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_account_id"],
            ["accounts.id"],
            name=op.f("fk_complaint_messages_author_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_messages_complaint_id_complaints"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_messages")),
    )
    with op.batch_alter_table("complaint_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_messages_complaint_id"), ["complaint_id"], unique=False
        )

    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.alter_column("uploaded_by_account_id", existing_type=sa.Uuid(), nullable=True)
    _kinds_allowed(NEW_KINDS)


def downgrade() -> None:
    op.execute(
        sa.text("DELETE FROM notifications WHERE kind NOT IN :kinds").bindparams(
            sa.bindparam("kinds", OLD_KINDS, expanding=True)
        )
    )
    _kinds_allowed(OLD_KINDS)
    # Files sent by people without an account cannot stay: they go with their complaints.
    anonymous = "SELECT id FROM attachments WHERE uploaded_by_account_id IS NULL"
    op.execute(f"DELETE FROM complaint_attachments WHERE attachment_id IN ({anonymous})")  # noqa: S608  # nosec B608 (constant SQL, no input)
    op.execute("DELETE FROM attachments WHERE uploaded_by_account_id IS NULL")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.alter_column("uploaded_by_account_id", existing_type=sa.Uuid(), nullable=False)

    with op.batch_alter_table("complaint_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_messages_complaint_id"))

    op.drop_table("complaint_messages")
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_events_complaint_id"))

    op.drop_table("complaint_events")
    op.drop_table("complaint_attachments")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_status_response_due_on_id")
        batch_op.drop_index("ix_complaints_response_due_on_id")
        batch_op.drop_index(batch_op.f("ix_complaints_complainant_account_id"))
        batch_op.drop_index(batch_op.f("ix_complaints_assigned_account_id"))
        batch_op.drop_index(batch_op.f("ix_complaints_about_person_id"))

    op.drop_table("complaints")
