"""Worker processes: the stage a contract is in, and finished vectors handed to the indexer.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contracts") as batch:
        batch.add_column(sa.Column("stage", sa.String(20), nullable=True))
    op.create_table(
        "contract_vectors",
        sa.Column("contract_id", sa.String(32), sa.ForeignKey("contracts.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("point_id", sa.String(36), primary_key=True),
        sa.Column("dense", sa.LargeBinary, nullable=False),
        sa.Column("sparse", sa.JSON, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("contract_vectors")
    with op.batch_alter_table("contracts") as batch:
        batch.drop_column("stage")
