"""name and date of birth corrections, text messages

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 17:58:25.729406
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "person_changes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column(
            "field",
            sa.Enum(
                "name",
                "date_of_birth",
                name="person_field",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by_account_id", sa.Uuid(), nullable=False),
        sa.Column("correction_request_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by_account_id"],
            ["accounts.id"],
            name=op.f("fk_person_changes_changed_by_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["correction_request_id"],
            ["correction_requests.id"],
            name=op.f("fk_person_changes_correction_request_id_correction_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_person_changes_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_changes")),
    )
    with op.batch_alter_table("person_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_person_changes_person_id"), ["person_id"], unique=False
        )

    with op.batch_alter_table("correction_requests", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "person_field",
                sa.Enum(
                    "name",
                    "date_of_birth",
                    name="person_field",
                    native_enum=False,
                    create_constraint=True,
                    length=40,
                ),
                nullable=True,
            )
        )
        batch_op.alter_column("item_id", existing_type=sa.Uuid(), nullable=True)
        # Autogenerate does not see CHECK constraints: written by hand.
        batch_op.create_check_constraint(
            op.f("ck_correction_requests_an_item_or_a_person_field"),
            "(item_id IS NOT NULL AND person_field IS NULL) OR "
            "(item_id IS NULL AND person_field IS NOT NULL)",
        )

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "channel",
                sa.Enum(
                    "email",
                    "sms",
                    name="notification_channel",
                    native_enum=False,
                    create_constraint=True,
                    length=40,
                ),
                server_default="email",
                nullable=False,
            )
        )

    with op.batch_alter_table("supplementary_statements", schema=None) as batch_op:
        batch_op.alter_column("item_id", existing_type=sa.Uuid(), nullable=True)


def downgrade() -> None:
    # Requests about a name or date of birth cannot be kept without an item: they go, with
    # everything that points to them.
    doomed = "SELECT id FROM correction_requests WHERE item_id IS NULL"
    op.execute(f"DELETE FROM person_changes WHERE correction_request_id IN ({doomed})")  # noqa: S608  # nosec B608 (constant SQL, no input)
    for table in ("supplementary_statements", "correction_tasks", "correction_events"):
        op.execute(f"DELETE FROM {table} WHERE request_id IN ({doomed})")  # noqa: S608  # nosec B608 (constant SQL, no input)
    op.execute("DELETE FROM correction_requests WHERE item_id IS NULL")
    op.execute("DELETE FROM notifications WHERE channel = 'sms'")
    with op.batch_alter_table("supplementary_statements", schema=None) as batch_op:
        batch_op.alter_column("item_id", existing_type=sa.Uuid(), nullable=False)

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_notifications_notification_channel"), type_="check")
        batch_op.drop_column("channel")

    with op.batch_alter_table("correction_requests", schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f("ck_correction_requests_an_item_or_a_person_field"), type_="check"
        )
        batch_op.alter_column("item_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.drop_constraint(op.f("ck_correction_requests_person_field"), type_="check")
        batch_op.drop_column("person_field")

    with op.batch_alter_table("person_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_changes_person_id"))

    op.drop_table("person_changes")
