"""The audit log: append-only in the database, and hash-chained so that a rewrite shows.

Two layers, because each covers what the other cannot:

- The database refuses every statement that changes or removes a row (migrations 0001 and 0004:
  UPDATE/DELETE triggers on both databases, a TRUNCATE trigger and revoked privileges on
  PostgreSQL, a trigger that refuses REPLACE/upsert of an existing id on SQLite).
- Each row carries `hash = sha256(canonical content + prev_hash)`, so whoever gets around the
  database (a superuser, a writer of the SQLite file) leaves a chain that no longer verifies,
  unless they recompute every later hash; keeping a copy of the head (`clausewise audit verify`
  prints it) elsewhere catches that too.

Rows are appended when the caller's transaction commits, under a lock (one row of
`audit_chain_lock`, updated first), so concurrent writers on PostgreSQL cannot fork the chain and
the lock is held only for the last statements of a transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Index, Integer, String, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.db import Base, utcnow

GENESIS = "0" * 64
_PENDING = "clausewise.audit.pending"


class AuditEntry(Base):
    """Append-only: the database refuses UPDATE, DELETE, TRUNCATE and REPLACE on this table."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    entity_type: Mapped[str] = mapped_column(String(100))
    entity_id: Mapped[str] = mapped_column(String(300))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    # Nullable only because rows cannot be altered in place; every appended row has both.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class AuditChainLock(Base):
    """One row; appenders update it first, which serialises them on both databases."""

    __tablename__ = "audit_chain_lock"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    appends: Mapped[int] = mapped_column(Integer)


def _json(value: Any) -> Any:
    # What the JSON column gives back is what gets hashed: normalise before storing.
    return None if value is None else json.loads(json.dumps(value, allow_nan=False))


def _at(value: datetime) -> str:
    if value.tzinfo is None:  # SQLite hands back naive datetimes; they were written as UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(
    *,
    id: int,
    at: datetime,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    before: Any,
    after: Any,
    prev_hash: str,
) -> str:
    """sha256 over one canonical JSON text of the row's content and the previous row's hash."""
    content = {
        "id": id,
        "at": _at(at),
        "actor": actor,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "before": before,
        "after": after,
        "prev_hash": prev_hash,
    }
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Queue an audit row in the caller's transaction; it is chained and written at commit.

    The returned entry gets its id and hash when the transaction commits.
    """
    entry = AuditEntry(
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=_json(before),
        after=_json(after),
        at=utcnow(),
    )
    session.info.setdefault(_PENDING, []).append(entry)
    return entry


def append_entries(session: Session, entries: Iterable[AuditEntry]) -> None:
    """Chain `entries` onto the tail and add them; the caller's commit writes them."""
    entries = list(entries)
    if not entries:
        return
    session.flush()  # the caller's own writes first: the lock is then held only to commit
    locked = session.execute(
        update(AuditChainLock)
        .where(AuditChainLock.id == 1)
        .values(appends=AuditChainLock.appends + len(entries))
        .execution_options(synchronize_session=False)
    )
    if locked.rowcount != 1:  # type: ignore[attr-defined]
        raise RuntimeError("audit_chain_lock has no row: run the migrations")
    tail = session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    last_id, prev = (tail[0], tail[1] or GENESIS) if tail else (0, GENESIS)
    for entry in entries:
        last_id += 1
        entry.id = last_id
        entry.prev_hash = prev
        entry.hash = prev = entry_hash(
            id=entry.id,
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            entity_type=entry.entity_type,
            entity_id=entry.entity_id,
            before=entry.before,
            after=entry.after,
            prev_hash=entry.prev_hash,
        )
        session.add(entry)
    session.flush()


@event.listens_for(Session, "before_commit")
def _append_pending(session: Session) -> None:
    append_entries(session, session.info.pop(_PENDING, ()))


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


@dataclass(frozen=True)
class ChainReport:
    rows: int
    head_id: int | None
    head_hash: str | None
    broken_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_chain(engine: Engine) -> ChainReport:
    """Recompute every row's hash in id order; report the first row that does not match."""
    prev = GENESIS
    rows = 0
    head_id: int | None = None
    with Session(engine) as s:
        stmt = select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=1000)
        for e in s.scalars(stmt):
            rows += 1
            if e.hash is None or e.prev_hash is None:
                return ChainReport(rows, head_id, prev, e.id, "row has no hash")
            if e.prev_hash != prev:
                problem = "previous-hash link broken (a row before it was removed or changed)"
                return ChainReport(rows, head_id, prev, e.id, problem)
            expected = entry_hash(
                id=e.id,
                at=e.at,
                actor=e.actor,
                action=e.action,
                entity_type=e.entity_type,
                entity_id=e.entity_id,
                before=e.before,
                after=e.after,
                prev_hash=e.prev_hash,
            )
            if e.hash != expected:
                return ChainReport(rows, head_id, prev, e.id, "content does not match its hash")
            prev, head_id = e.hash, e.id
    return ChainReport(rows, head_id, None if head_id is None else prev)


def grant_app_role(engine: Engine, role: str) -> None:
    """PostgreSQL: let `role` run the service on the current schema without being able to
    change or remove audit rows (its privileges, not only the triggers, refuse it)."""
    if engine.dialect.name != "postgresql":
        raise ValueError("roles exist on PostgreSQL only")
    from sqlalchemy import text

    with engine.begin() as conn:
        quoted = conn.dialect.identifier_preparer.quote(role)
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        qschema = conn.dialect.identifier_preparer.quote(schema)
        for stmt in (
            f"GRANT USAGE ON SCHEMA {qschema} TO {quoted}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {qschema} TO {quoted}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {qschema} TO {quoted}",
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {qschema}.audit_log "
            f"FROM {quoted}",
        ):
            conn.execute(text(stmt))
