"""Risk review: one review per contract, its flags (stable ids), legal's decisions.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from storage.db import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contract_reviews",
        sa.Column(
            "contract_id",
            sa.String(32),
            sa.ForeignKey("contracts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("library_key", sa.String(64), nullable=False),
        sa.Column("matches", sa.JSON, nullable=False),
        sa.Column("reviewed_at", UTCDateTime(), nullable=False),
        sa.Column("reviewed_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "review_flags",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "contract_id",
            sa.String(32),
            sa.ForeignKey("contracts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("rule_id", sa.String(200), nullable=False),
        sa.Column("clause_type", sa.String(100), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_review_flags_contract_id", "review_flags", ["contract_id"])
    op.create_table(
        "flag_decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "flag_id",
            sa.String(32),
            sa.ForeignKey("review_flags.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_flag_decisions_flag_id", "flag_decisions", ["flag_id"])


def downgrade() -> None:
    op.drop_table("flag_decisions")
    op.drop_table("review_flags")
    op.drop_table("contract_reviews")
