from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from retrieval import EdgeStore, VectorPoint
from tests.conftest import ADMIN_KEY


def _search(api: Any, q: str, k: int = 3) -> list[dict[str, Any]]:
    r = api.client.post("/v1/clauses/search", json={"query": q, "top_k": k}, headers=api.rep)
    assert r.status_code == 200, r.text
    return r.json()


def test_everything_survives_a_restart(start_api: Any, tmp_path: Path) -> None:
    data = tmp_path / "persist"
    with start_api(data) as api:
        r = api.client.put(
            "/v1/clauses/force_majeure.standard",
            json={
                "text": "Neither party is liable for delay caused by volcanic "
                "eruptions or other events beyond its control."
            },
            headers=api.legal,
        )
        assert r.status_code == 200
        legal_key = api.legal
        n_audit = len(api.client.get("/v1/audit", params={"limit": 1000}, headers=api.admin).json())
    with start_api(data) as api2:
        c = api2.client
        assert c.get("/v1/clauses/force_majeure.standard", headers=legal_key).json()["version"] == 2
        assert (
            len(c.get("/v1/clauses/force_majeure.standard/versions", headers=legal_key).json()) == 2
        )
        # Earlier keys still work; the audit log kept every entry and gained none.
        audit = c.get("/v1/audit", params={"limit": 1000}, headers=api2.admin).json()
        assert len(audit) == n_audit
        hits = _search(api2, "volcanic eruptions")
        assert hits[0]["clause_id"] == "force_majeure.standard" and hits[0]["version"] == 2


def test_index_is_rebuilt_from_the_database(start_api: Any, tmp_path: Path) -> None:
    data = tmp_path / "rebuild"
    with start_api(data) as api:
        api.client.put(
            "/v1/clauses/publicity.standard",
            json={
                "text": "Vendor may name Customer as a client in marketing after "
                "written approval by Customer's marketing team."
            },
            headers=api.legal,
        )
    shutil.rmtree(data / "vectors")
    with start_api(data) as api:
        hits = _search(api, "name the customer in marketing")
        assert hits[0]["clause_id"] == "publicity.standard" and hits[0]["version"] == 2


def test_library_file_edit_becomes_a_new_version(start_api: Any, tmp_path: Path) -> None:
    from clause_index import DEFAULT_LIBRARY_DIR

    lib = tmp_path / "lib"
    shutil.copytree(DEFAULT_LIBRARY_DIR, lib)
    data = tmp_path / "filesync"
    with start_api(data, library_dir=lib) as api:
        v1 = api.client.get("/v1/clauses/notices.standard", headers=api.rep).json()
    f = lib / "notices.yaml"
    f.write_text(f.read_text().replace("title:", "title: Revised -", 1))
    with start_api(data, library_dir=lib) as api:
        v2 = api.client.get("/v1/clauses/notices.standard", headers=api.rep).json()
        assert v2["version"] == v1["version"] + 1
        assert v2["title"].startswith("Revised -")
        versions = api.client.get("/v1/clauses/notices.standard/versions", headers=api.rep).json()
        assert versions[0]["source"] == "library-file" and len(versions) == 2


class FailingStore(EdgeStore):
    """An Edge store whose upserts fail on demand, to test that writes are all-or-nothing."""

    fail = False

    def upsert(self, collection: str, points: list[VectorPoint]) -> None:
        if self.fail:
            raise RuntimeError("disk full")
        super().upsert(collection, points)


def test_failed_index_write_leaves_database_unchanged(start_api: Any, tmp_path: Path) -> None:
    store = FailingStore(tmp_path / "fs")
    with start_api(tmp_path / "d", store=store) as api:
        before = api.client.get("/v1/clauses/insurance.standard", headers=api.rep).json()
        n_audit = len(api.client.get("/v1/audit", headers=api.legal).json())
        store.fail = True
        r = api.client.put(
            "/v1/clauses/insurance.standard",
            json={"title": "Insurance (edited)"},
            headers=api.legal,
        )
        assert r.status_code == 500 and r.json()["error"]["code"] == "internal_error"
        store.fail = False
        after = api.client.get("/v1/clauses/insurance.standard", headers=api.rep).json()
        assert after["version"] == before["version"] and after["title"] == before["title"]
        assert len(api.client.get("/v1/audit", headers=api.legal).json()) == n_audit
        hits = _search(api, "insurance coverage", 5)
        ins = next(h for h in hits if h["clause_id"] == "insurance.standard")
        assert ins["version"] == before["version"]


def test_failed_commit_restores_the_index(
    start_api: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with start_api(tmp_path / "c") as api:
        from clause_index import service

        real = service.update_clause

        def update_then_break(session: Any, *a: Any, **kw: Any) -> Any:
            session.info["fail_commit"] = True
            return real(session, *a, **kw)

        from sqlalchemy.orm import Session

        real_commit = Session.commit

        def commit(self: Session) -> None:
            if self.info.get("fail_commit"):
                raise RuntimeError("database went away at commit")
            real_commit(self)

        monkeypatch.setattr(service, "update_clause", update_then_break)
        monkeypatch.setattr(Session, "commit", commit)
        r = api.client.put(
            "/v1/clauses/warranties.standard",
            json={"text": "Vendor warrants the moon is made of green cheese for all purposes."},
            headers=api.legal,
        )
        assert r.status_code == 500
        monkeypatch.undo()
        assert (
            api.client.get("/v1/clauses/warranties.standard", headers=api.rep).json()["version"]
            == 1
        )
        hits = _search(api, "moon green cheese", 5)
        assert all(h["version"] == 1 for h in hits if h["clause_id"] == "warranties.standard")


def test_first_start_prints_a_new_admin_key(
    start_api: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with start_api(tmp_path / "fresh", bootstrap_admin_key=None):
        pass
    out = capsys.readouterr().out
    assert "admin API key" in out
    key = next(w for w in out.split() if w.startswith("cw_"))
    assert key != ADMIN_KEY
    with start_api(tmp_path / "fresh", bootstrap_admin_key=None) as api:
        assert "admin API key" not in capsys.readouterr().out
        r = api.client.get("/v1/keys", headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 200
