"""The audit chain: each event's position, key id, previous MAC and MAC; the chain's anchor
and tail. Events recorded before this revision get positions but no MAC (no key is at hand
here): the anchor sits after them, and the chain starts with the next event.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 00:32:00.772385
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64


def upgrade() -> None:
    chain = op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("anchor_position", sa.BigInteger(), nullable=False),
        sa.Column("anchor_mac", sa.String(length=64), nullable=False),
        sa.Column("tail_position", sa.BigInteger(), nullable=False),
        sa.Column("tail_mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain_position", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("key_id", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("previous_mac", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("mac", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE audit_events SET chain_position = "
        "(SELECT count(*) FROM audit_events AS earlier WHERE earlier.id <= audit_events.id)"
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.alter_column("chain_position", existing_type=sa.BigInteger(), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_audit_events_chain_position"), ["chain_position"]
        )
    before = op.get_bind().execute(sa.text("SELECT count(*) FROM audit_events")).scalar_one()
    op.bulk_insert(
        chain,
        [
            {
                "id": 1,
                "anchor_position": before,
                "anchor_mac": GENESIS,
                "tail_position": before,
                "tail_mac": GENESIS,
            }
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_events_chain_position"), type_="unique")
        batch_op.drop_column("mac")
        batch_op.drop_column("previous_mac")
        batch_op.drop_column("key_id")
        batch_op.drop_column("chain_position")
    op.drop_table("audit_chain")
