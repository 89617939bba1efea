"""two-step keys encrypted at rest

`accounts.totp_secret` becomes an encrypted column (`EncryptedText`, stored as text: a sealed
value is longer than the 32-character key). Keys written before this revision are read as
they are until `flask --app portal rotate-keys` encrypts them. Downgrading changes nothing.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26 02:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.alter_column(
            "totp_secret",
            existing_type=sa.String(length=64),
            type_=sa.Text(),
            existing_nullable=True,
        )


def downgrade() -> None:
    """Leaves the column as text: sealed keys do not fit in the old 64 characters, and the
    schema before this revision reads text just as well."""
