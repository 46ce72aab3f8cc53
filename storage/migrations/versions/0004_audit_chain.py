"""Audit log: refuse TRUNCATE and REPLACE too, revoke change privileges, chain the rows by hash.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from storage.audit import GENESIS, entry_hash
from storage.db import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_SQLITE_GUARDS = ("audit_log_no_update", "audit_log_no_delete")


def _backfill(conn: sa.Connection) -> None:
    """Chain the rows written before this revision, oldest first."""
    log = sa.table(
        "audit_log",
        sa.column("id", sa.Integer),
        sa.column("at", UTCDateTime()),
        sa.column("actor", sa.String),
        sa.column("action", sa.String),
        sa.column("entity_type", sa.String),
        sa.column("entity_id", sa.String),
        sa.column("before", sa.JSON),
        sa.column("after", sa.JSON),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
    )
    prev = GENESIS
    for r in conn.execute(sa.select(log).order_by(log.c.id)).mappings().all():
        h = entry_hash(
            id=r["id"],
            at=r["at"],
            actor=r["actor"],
            action=r["action"],
            entity_type=r["entity_type"],
            entity_id=r["entity_id"],
            before=r["before"],
            after=r["after"],
            prev_hash=prev,
        )
        conn.execute(sa.update(log).where(log.c.id == r["id"]).values(prev_hash=prev, hash=h))
        prev = h


def upgrade() -> None:
    conn = op.get_bind()
    pg = conn.dialect.name == "postgresql"
    with op.batch_alter_table("audit_log", recreate="never") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(64), nullable=True))
    op.create_table(
        "audit_chain_lock",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("appends", sa.Integer, nullable=False),
    )
    op.execute("INSERT INTO audit_chain_lock (id, appends) VALUES (1, 0)")

    # The rows written so far are chained once, with the UPDATE guard lifted for this only.
    if pg:
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
        _backfill(conn)
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change")
        # A statement-level trigger: TRUNCATE fires no row triggers.
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )
        # The role that runs migrations (usually the one that runs the service) keeps INSERT
        # and SELECT only. As the owner it could grant them back, so the README recommends a
        # separate service role (`clausewise audit grant-app-role`).
        op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC")
        op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER")
    else:
        op.execute("DROP TRIGGER audit_log_no_update")
        _backfill(conn)
        op.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )
        # REPLACE (and INSERT OR REPLACE) removes the conflicting row without firing DELETE
        # triggers; refusing an insert whose id already exists closes that path, and upserts.
        op.execute(
            "CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log "
            "WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        op.execute("GRANT UPDATE, DELETE, TRUNCATE ON audit_log TO CURRENT_USER")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_replace")
        for name in _SQLITE_GUARDS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("audit_chain_lock")
    with op.batch_alter_table("audit_log", recreate="never") as batch:
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
    if conn.dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change")
    else:
        for what in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{what.lower()} BEFORE {what} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )
