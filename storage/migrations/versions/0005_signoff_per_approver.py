"""Sign-off per approver: a decision records which of the flag's approvers it is for.

Decisions stored before keep a null approver, meaning the whole flag (as they did).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("flag_decisions") as batch:
        batch.add_column(sa.Column("approver", sa.String(50), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("flag_decisions") as batch:
        batch.drop_column("approver")
