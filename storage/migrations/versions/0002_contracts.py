"""Contract archive: contracts (also the job queue), segments, clause predictions, terms.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from storage.db import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contracts",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("filename", sa.Text, nullable=True),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("error_code", sa.String(50), nullable=True),
        sa.Column("error_message", sa.Text, nullable=True),
        sa.Column("progress", sa.Float, nullable=False),
        sa.Column("page_count", sa.Integer, nullable=True),
        sa.Column("text", sa.Text, nullable=True),
        sa.Column("pages", sa.JSON, nullable=True),
        sa.Column("deal", sa.JSON, nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("processed_at", UTCDateTime(), nullable=True),
        sa.Column("pipeline_version", sa.String(20), nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("claimed_by", sa.String(100), nullable=True),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("counterparty", sa.Text, nullable=True),
        sa.Column("parties", sa.JSON, nullable=True),
        sa.Column("governing_law", sa.String(100), nullable=True),
        sa.Column("agreement_date", sa.Date, nullable=True),
        sa.Column("effective_date", sa.Date, nullable=True),
        sa.Column("expiration_date", sa.Date, nullable=True),
        sa.Column("auto_renewal", sa.Boolean, nullable=True),
        sa.Column("renewal_notice_days", sa.Integer, nullable=True),
        sa.Column("notice_deadline", sa.Date, nullable=True),
        sa.Column("payment_net_days", sa.Integer, nullable=True),
        sa.Column("clause_types", sa.JSON, nullable=True),
    )
    op.create_index("ix_contracts_status", "contracts", ["status"])
    for table, extra in (
        (
            "contract_segments",
            [
                sa.Column("idx", sa.Integer, nullable=False),
                sa.Column("start", sa.Integer, nullable=False),
                sa.Column("end", sa.Integer, nullable=False),
                sa.Column("page", sa.Integer, nullable=True),
                sa.Column("kind", sa.String(20), nullable=False),
                sa.Column("level", sa.Integer, nullable=False),
                sa.Column("number", sa.String(50), nullable=True),
                sa.Column("heading", sa.Text, nullable=True),
                sa.Column("types", sa.JSON, nullable=False),
            ],
        ),
        (
            "contract_clauses",
            [
                sa.Column("category", sa.String(100), nullable=False),
                sa.Column("start", sa.Integer, nullable=False),
                sa.Column("end", sa.Integer, nullable=False),
                sa.Column("page", sa.Integer, nullable=True),
                sa.Column("score", sa.Float, nullable=False),
                sa.Column("segment", sa.Integer, nullable=False),
            ],
        ),
        (
            "contract_terms",
            [
                sa.Column("name", sa.String(50), nullable=False),
                sa.Column("value", sa.JSON, nullable=True),
                sa.Column("text", sa.Text, nullable=False),
                sa.Column("start", sa.Integer, nullable=False),
                sa.Column("end", sa.Integer, nullable=False),
                sa.Column("page", sa.Integer, nullable=True),
                sa.Column("confidence", sa.Float, nullable=False),
            ],
        ),
    ):
        op.create_table(
            table,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column(
                "contract_id",
                sa.String(32),
                sa.ForeignKey("contracts.id", ondelete="CASCADE"),
                nullable=False,
            ),
            *extra,
        )
        op.create_index(f"ix_{table}_contract_id", table, ["contract_id"])
    op.create_index("ix_contract_clauses_category", "contract_clauses", ["category"])


def downgrade() -> None:
    for table in ("contract_terms", "contract_clauses", "contract_segments", "contracts"):
        op.drop_table(table)
