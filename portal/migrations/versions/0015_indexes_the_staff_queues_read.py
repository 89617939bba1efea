"""indexes the staff queues read

The complaints and copy-requests queues read each status along an index in queue order (due
date, id) and stop after a page. A new complaint is due by its acknowledgement date, so that
column gets its index too; "mine" and "unassigned" read along the same keys behind the
officer's id. Those indexes start with `assigned_account_id`, so its own index goes. The
officers the queues offer as a filter are found among every family's account by role.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 20:32:35
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COMPLAINTS = {
    "ix_complaints_status_acknowledgement_due_on_id": [
        "status",
        "acknowledgement_due_on",
        "id",
    ],
    "ix_complaints_assignee_status_response_due_on_id": [
        "assigned_account_id",
        "status",
        "response_due_on",
        "id",
    ],
    "ix_complaints_assignee_status_acknowledgement_due_on_id": [
        "assigned_account_id",
        "status",
        "acknowledgement_due_on",
        "id",
    ],
}
COPY_REQUESTS = {
    "ix_copy_requests_assignee_status_due_on_id": ["assigned_account_id", "status", "due_on", "id"],
}
TABLES = {"complaints": COMPLAINTS, "copy_requests": COPY_REQUESTS}


STAFF_BY_NAME = "ix_accounts_role_display_name_email"


def upgrade() -> None:
    op.create_index(STAFF_BY_NAME, "accounts", ["role", "display_name", "email"])
    for table, indexes in TABLES.items():
        op.drop_index(f"ix_{table}_assigned_account_id", table_name=table)
        for name, columns in indexes.items():
            op.create_index(name, table, columns)


def downgrade() -> None:
    for table, indexes in TABLES.items():
        for name in indexes:
            op.drop_index(name, table_name=table)
        op.create_index(f"ix_{table}_assigned_account_id", table, ["assigned_account_id"])
    op.drop_index(STAFF_BY_NAME, table_name="accounts")
