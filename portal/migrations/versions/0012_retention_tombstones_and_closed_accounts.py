"""retention tombstones and closed accounts

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 00:30:42.420362
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FAMILY_HAS_A_PERSON = "(role = 'family') = (person_id IS NOT NULL)"


def _family_accounts_check(condition: str) -> None:
    # Autogenerate does not see CHECK constraints: written by hand.
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_accounts_family_accounts_have_a_person"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_accounts_family_accounts_have_a_person"), sa.text(condition)
        )


def upgrade() -> None:
    op.create_table(
        "retention_tombstones",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "household",
                "correction_request",
                "copy_request",
                "invitation_code",
                name="tombstone_kind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "rule",
            sa.Enum(
                "complaint_closed",
                "request_closed",
                "copy_released",
                "invitation_unused",
                "youngest_child_age",
                "no_child_inactive",
                "with_household",
                name="retention_rule",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("reference", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("disposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_tombstones")),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    _family_accounts_check(f"closed_at IS NOT NULL OR {FAMILY_HAS_A_PERSON}")


def downgrade() -> None:
    # A closed account has no person, which the old check forbids; audit events name it, so
    # it cannot simply go: downgrading a database where retention has run is refused.
    closed = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM accounts WHERE closed_at IS NOT NULL")
    )
    if closed:
        raise RuntimeError(
            f"{closed} accounts were closed by retention: cannot downgrade past 0012"
        )
    _family_accounts_check(FAMILY_HAS_A_PERSON)
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
    op.drop_table("retention_tombstones")
