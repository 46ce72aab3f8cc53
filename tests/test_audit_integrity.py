"""The audit log on both databases: every statement that could change or remove a row is refused,
the hash chain verifies, survives concurrent writers, and names the first row someone rewrote."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from ai_service.cli import app as cli
from storage import Database, grant_app_role, migrate, record_audit, verify_chain

_COLS = "id, at, actor, action, entity_type, entity_id, before, after, prev_hash, hash"

# Statements anyone with a connection can send; each must leave every audit row as it was.
SQLITE_ATTACKS = [
    "UPDATE audit_log SET actor = 'mallory'",
    "DELETE FROM audit_log",
    "DELETE FROM audit_log WHERE id = 2",
    f"REPLACE INTO audit_log ({_COLS}) SELECT id, at, 'mallory', action, entity_type, "
    "entity_id, before, after, prev_hash, hash FROM audit_log",
    f"INSERT OR REPLACE INTO audit_log ({_COLS}) SELECT id, at, 'mallory', action, entity_type, "
    "entity_id, before, after, prev_hash, hash FROM audit_log WHERE id = 1",
    f"INSERT INTO audit_log ({_COLS}) SELECT id, at, actor, action, entity_type, entity_id, "
    "before, after, prev_hash, hash FROM audit_log WHERE true "
    "ON CONFLICT(id) DO UPDATE SET actor = 'mallory'",
    "UPDATE OR REPLACE audit_log SET id = 1 WHERE id = 2",
]
PG_ATTACKS = [
    "UPDATE audit_log SET actor = 'mallory'",
    "DELETE FROM audit_log",
    "DELETE FROM audit_log WHERE id = 2",
    "TRUNCATE audit_log",
    "TRUNCATE audit_log RESTART IDENTITY CASCADE",
    f"INSERT INTO audit_log ({_COLS}) SELECT {_COLS} FROM audit_log "
    "ON CONFLICT (id) DO UPDATE SET actor = 'mallory'",
    "MERGE INTO audit_log t USING (SELECT 1 AS id) s ON t.id = s.id "
    "WHEN MATCHED THEN UPDATE SET actor = 'mallory'",
    "MERGE INTO audit_log t USING (SELECT 2 AS id) s ON t.id = s.id WHEN MATCHED THEN DELETE",
]
# What a restricted service role additionally tries: lifting the guards itself.
PG_ROLE_ATTACKS = [
    *PG_ATTACKS,
    "ALTER TABLE audit_log DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_log_no_change ON audit_log",
    "DROP TABLE audit_log",
    "SET session_replication_role = replica",
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
    "BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
]


def _rows(db: Database) -> list[tuple[Any, ...]]:
    with db.engine.connect() as conn:
        return [
            tuple(r) for r in conn.execute(sa.text(f"SELECT {_COLS} FROM audit_log ORDER BY id"))
        ]


def _fill(db: Database, n: int = 5) -> None:
    for i in range(n):
        with db.session() as s:
            record_audit(
                s,
                actor=f"user{i}",
                action="thing.update",
                entity_type="thing",
                entity_id=str(i),
                before={"v": i, "name": "合同 🙂"},
                after={"v": i + 1, "nested": {"b": [1, 2.5, None], "a": True}},
            )


def _refused(db: Database, statements: list[str], role: str | None = None) -> None:
    snapshot = _rows(db)
    for stmt in statements:
        with pytest.raises(sa.exc.DBAPIError), db.engine.begin() as conn:
            if role:
                conn.execute(sa.text(f'SET LOCAL ROLE "{role}"'))
            conn.execute(sa.text(stmt))
        assert _rows(db) == snapshot, stmt
    assert verify_chain(db.engine).ok


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path}/audit.db")
    db.migrate()
    yield db
    db.dispose()


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    db = Database(pg_url)
    db.migrate()
    yield db
    db.dispose()


def test_sqlite_refuses_every_rewrite(sqlite_db: Database) -> None:
    _fill(sqlite_db)
    _refused(sqlite_db, SQLITE_ATTACKS)
    # Appending still works after all those refusals, and the chain still verifies.
    _fill(sqlite_db, 2)
    report = verify_chain(sqlite_db.engine)
    assert report.ok and report.rows == 7 and report.head_id == 7


@pytest.mark.postgres
def test_postgres_refuses_every_rewrite(pg_db: Database) -> None:
    _fill(pg_db)
    _refused(pg_db, PG_ATTACKS)  # as the owner (here a superuser): the triggers refuse


@pytest.mark.postgres
def test_postgres_service_role_cannot_change_audit_rows(pg_db: Database) -> None:
    role = f"cw_app_{uuid.uuid4().hex[:8]}"
    with pg_db.engine.begin() as conn:
        conn.execute(sa.text(f'CREATE ROLE "{role}" NOLOGIN'))
    try:
        grant_app_role(pg_db.engine, role)
        _fill(pg_db)
        _refused(pg_db, PG_ROLE_ATTACKS, role=role)
        # Granting itself the privileges back is a no-op (it is not the owner).
        with pg_db.engine.begin() as conn:
            conn.execute(sa.text(f'SET LOCAL ROLE "{role}"'))
            conn.execute(sa.text("GRANT UPDATE, DELETE, TRUNCATE ON audit_log TO CURRENT_USER"))
            for priv in ("UPDATE", "DELETE", "TRUNCATE"):
                has = "SELECT has_table_privilege(current_user, 'audit_log', :p)"
                assert conn.execute(sa.text(has), {"p": priv}).scalar() is False
        # The role can still do its job: append (through the chain lock) and read.
        with pg_db.session() as s:
            s.execute(sa.text(f'SET LOCAL ROLE "{role}"'))
            record_audit(s, actor="svc", action="a", entity_type="e", entity_id="x")
        assert verify_chain(pg_db.engine).rows == 6
    finally:
        with pg_db.engine.begin() as conn:
            conn.execute(sa.text(f'DROP OWNED BY "{role}"'))
            conn.execute(sa.text(f'DROP ROLE "{role}"'))


def _tamper_detected(db: Database, *lift_guards: str) -> None:
    _fill(db)
    assert verify_chain(db.engine).ok
    with db.engine.begin() as conn:
        for stmt in lift_guards:  # what only the file's writer or a superuser can do
            conn.execute(sa.text(stmt))
        conn.execute(sa.text("UPDATE audit_log SET actor = 'mallory' WHERE id = 3"))
    report = verify_chain(db.engine)
    assert not report.ok and report.broken_id == 3 and "content" in (report.problem or "")
    # The command says so too, and exits 1.
    result = CliRunner().invoke(cli, ["audit", "verify", "--database-url", db.url])
    assert result.exit_code == 1 and "row 3" in result.output
    # Removing a row instead breaks the link of the row after it.
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit_log SET actor = 'user2' WHERE id = 3"))
    assert verify_chain(db.engine).ok
    with db.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_log WHERE id = 2"))
    report = verify_chain(db.engine)
    assert report.broken_id == 3 and "link" in (report.problem or "")


def test_sqlite_tampering_is_named(sqlite_db: Database) -> None:
    _tamper_detected(
        sqlite_db, "DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"
    )


@pytest.mark.postgres
def test_postgres_tampering_is_named(pg_db: Database) -> None:
    _tamper_detected(pg_db, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")


def _concurrent(db: Database) -> None:
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(8):
                with db.session() as s:
                    record_audit(s, actor=f"w{n}", action="a", entity_type="e", entity_id=str(i))
                    record_audit(s, actor=f"w{n}", action="b", entity_type="e", entity_id=str(i))
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = verify_chain(db.engine)
    assert report.ok and report.rows == 64


def test_sqlite_concurrent_writers_keep_one_chain(sqlite_db: Database) -> None:
    _concurrent(sqlite_db)


@pytest.mark.postgres
def test_postgres_concurrent_writers_keep_one_chain(pg_db: Database) -> None:
    _concurrent(pg_db)


def test_rolled_back_entries_are_not_written(sqlite_db: Database) -> None:
    with pytest.raises(RuntimeError), sqlite_db.session() as s:
        record_audit(s, actor="x", action="a", entity_type="e", entity_id="1")
        raise RuntimeError("the write failed")
    with sqlite_db.session() as s:
        record_audit(s, actor="y", action="a", entity_type="e", entity_id="2")
    assert [r[2] for r in _rows(sqlite_db)] == ["y"]


def _upgrade_chains_old_rows(db: Database) -> None:
    migrate(db.engine, "0003")
    with db.engine.begin() as conn:
        for i in range(3):
            conn.execute(
                sa.text(
                    "INSERT INTO audit_log (at, actor, action, entity_type, entity_id, after) "
                    "VALUES (:at, 'old', 'a', 'e', :i, :after)"
                ),
                {"at": "2026-01-02 03:04:05.000006", "i": str(i), "after": '{"k": [1, "x"]}'},
            )
    migrate(db.engine)
    with db.session() as s:
        record_audit(s, actor="new", action="a", entity_type="e", entity_id="n")
    report = verify_chain(db.engine)
    assert report.ok and report.rows == 4


def test_sqlite_upgrade_chains_existing_rows(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/old.db")
    _upgrade_chains_old_rows(db)
    db.dispose()


@pytest.mark.postgres
def test_postgres_upgrade_chains_existing_rows(pg_url: str) -> None:
    db = Database(pg_url)
    _upgrade_chains_old_rows(db)
    db.dispose()
