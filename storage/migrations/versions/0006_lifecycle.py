"""After signature: stored timeline events (the calendar), amendment links, calendar feeds.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from storage.db import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contract_timelines",
        sa.Column(
            "contract_id",
            sa.String(32),
            sa.ForeignKey("contracts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        sa.Column("computed_for", sa.Date, nullable=False),
        sa.Column("notes", sa.JSON, nullable=False),
    )
    op.create_table(
        "contract_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "contract_id",
            sa.String(32),
            sa.ForeignKey("contracts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=True),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("amount", sa.Float, nullable=True),
        sa.Column("currency", sa.String(8), nullable=True),
        sa.Column("evidence", sa.JSON, nullable=False),
    )
    op.create_index("ix_contract_events_contract_id", "contract_events", ["contract_id"])
    op.create_index("ix_contract_events_date_kind", "contract_events", ["date", "kind"])
    op.create_table(
        "contract_amendments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "amendment_id",
            sa.String(32),
            sa.ForeignKey("contracts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "parent_id",
            sa.String(32),
            sa.ForeignKey("contracts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("status", sa.String(20), nullable=False),  # suggested | confirmed
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("amendment_id", "parent_id", name="uq_contract_amendments_pair"),
    )
    op.create_index("ix_contract_amendments_amendment_id", "contract_amendments", ["amendment_id"])
    op.create_index("ix_contract_amendments_parent_id", "contract_amendments", ["parent_id"])
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "key_id",
            sa.String(32),
            sa.ForeignKey("api_keys.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_calendar_feeds_key_id", "calendar_feeds", ["key_id"])


def downgrade() -> None:
    for table in ("calendar_feeds", "contract_amendments", "contract_events", "contract_timelines"):
        op.drop_table(table)
