"""Schema: migrations match the models, audit is append-only, and PostgreSQL behaves like SQLite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import ai_service.models  # noqa: F401  (registers the api_keys table on the metadata)
import clause_index.models  # noqa: F401
from storage import Base, Database, record_audit
from tests.samples import SAMPLE_MSA


def _schema_diff(db: Database) -> list[Any]:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        return [
            d
            for d in compare_metadata(ctx, Base.metadata)
            if not (isinstance(d, tuple) and d[0] in ("add_index", "remove_index"))
        ]


def _check_database(db: Database) -> None:
    db.migrate()
    db.migrate()  # idempotent: a second start is a no-op
    assert _schema_diff(db) == []
    with db.session() as s:
        record_audit(s, actor="t", action="a", entity_type="e", entity_id="1", after={"x": 1})
    with pytest.raises(sa.exc.DBAPIError), db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit_log SET actor = 'someone else'"))
    with pytest.raises(sa.exc.DBAPIError), db.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_log"))
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT actor FROM audit_log")).scalar() == "t"


def test_sqlite_schema(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/m.db")
    _check_database(db)
    db.dispose()


@pytest.mark.postgres
def test_postgres_schema(pg_url: str) -> None:
    db = Database(pg_url)
    assert db.engine.dialect.name == "postgresql"
    _check_database(db)
    db.dispose()


@pytest.mark.postgres
def test_service_on_postgres(start_api: Any, pg_url: str, tmp_path: Path) -> None:
    data = tmp_path / "pg"
    with start_api(data, database_url=pg_url) as api:
        assert api.services.db.engine.dialect.name == "postgresql"
        c = api.client
        assert len({x["clause_type"] for x in c.get("/v1/clauses", headers=api.rep).json()}) >= 30
        r = c.put(
            "/v1/clauses/audit_rights.standard",
            json={"title": "Audit once a year on 30 days' notice"},
            headers=api.legal,
        )
        assert r.status_code == 200 and r.json()["version"] == 2
        legal = api.legal
        hits = c.post(
            "/v1/clauses/search", json={"query": "governed by Delaware law"}, headers=api.rep
        ).json()
        assert hits[0]["clause_type"] == "governing_law"
        # Contracts: upload, worker processing (claimed through PostgreSQL) and filters.
        up = c.post(
            "/v1/contracts",
            params={"wait": True},
            json={"title": "Acme MSA", "text": SAMPLE_MSA},
            headers=api.rep,
        ).json()
        assert up["status"] == "ready" and up["governing_law"] == "Delaware"
        listed = c.get(
            "/v1/contracts", params={"governing_law": "Delaware"}, headers=api.rep
        ).json()
        assert [x["id"] for x in listed] == [up["id"]]
        # Review on PostgreSQL: flags stored, a decision recorded.
        review = c.get(f"/v1/contracts/{up['id']}/flags", headers=api.rep).json()
        assert review["status"] in ("needs_approval", "blocked") and review["flags"]
        flag = review["flags"][0]
        r = c.post(
            f"/v1/flags/{flag['id']}/decision",
            json={"decision": "escalate", "comment": "Needs the GC"},
            headers=legal,
        )
        assert r.status_code == 200 and r.json()["status"] == "escalated"
    with start_api(data, database_url=pg_url) as api:
        c = api.client
        assert (
            c.get("/v1/clauses/audit_rights.standard/versions", headers=legal).json()[-1]["version"]
            == 2
        )
        audit = c.get(
            "/v1/audit", params={"entity_id": "audit_rights.standard"}, headers=legal
        ).json()
        assert next(e["action"] for e in audit) == "clause.update"
        assert c.get("/healthz").json()["database_backend"] == "postgresql"
        detail = c.get(f"/v1/contracts/{up['id']}", headers=legal).json()
        assert detail["text"] == SAMPLE_MSA and detail["segments"]
        # Decisions survive a restart and a re-review of unchanged text.
        again = c.post(f"/v1/contracts/{up['id']}/review", headers=legal).json()
        kept = next(f for f in again["flags"] if f["id"] == flag["id"])
        assert kept["status"] == "escalated" and "executive" in again["approvers"]
