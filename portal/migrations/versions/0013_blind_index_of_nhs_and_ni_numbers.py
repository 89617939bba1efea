"""blind index of NHS and NI numbers

Encryption at rest needs no other schema change: the encrypted columns are Text already, and
values written before this revision are read as plaintext until `flask --app portal
rotate-keys` encrypts them (and fills this blind index for them). Downgrading does not decrypt.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 00:30:49.024429
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("data_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lookup_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_data_items_lookup_hash"), ["lookup_hash"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("data_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_items_lookup_hash"))
        batch_op.drop_column("lookup_hash")
