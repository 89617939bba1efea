"""external references of sharing events

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 18:08:45.025389
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sharing_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("external_reference", sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_sharing_events_external_reference"), ["external_reference"]
        )


def downgrade() -> None:
    with op.batch_alter_table("sharing_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_sharing_events_external_reference"), type_="unique")
        batch_op.drop_column("external_reference")
