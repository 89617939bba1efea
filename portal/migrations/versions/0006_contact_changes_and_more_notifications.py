"""contact changes and more notifications

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = [
    "confirm_email",
    "reset_password",
    "password_changed",
    "guardian_request",
    "guardian_decision",
]
NEW_KINDS = [
    *OLD_KINDS,
    "contact_changed",
    "one_login_linked",
    "correction_decided",
    "correction_extended",
]


def _kinds_allowed(kinds: list[str]) -> None:
    # Autogenerate does not see CHECK constraints: a new enum value needs one written by hand.
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_notifications_notification_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_notifications_notification_kind"), sa.column("kind").in_(kinds)
        )


def upgrade() -> None:
    _kinds_allowed(NEW_KINDS)
    with op.batch_alter_table("data_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("channel_unsafe", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("data_items", schema=None) as batch_op:
        batch_op.drop_column("channel_unsafe")
    op.execute(
        sa.text("DELETE FROM notifications WHERE kind NOT IN :kinds").bindparams(
            sa.bindparam("kinds", OLD_KINDS, expanding=True)
        )
    )
    _kinds_allowed(OLD_KINDS)
