"""The contract job queue: claims are exclusive, leases expire, a lost job can't be stored."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from ai_service.cli import app as cli
from archive import jobs
from archive import service as svc
from archive.models import ContractRow
from extraction import analyze, extract_text
from storage import Database
from storage.db import utcnow
from tests.samples import SAMPLE_MSA, SAMPLE_RESELLER


def _db(url: str) -> Database:
    db = Database(url)
    db.migrate()
    return db


def _queue(db: Database, n: int) -> list[str]:
    ids = []
    with db.session() as s:
        for i in range(n):
            row = svc.create_contract(
                s,
                sha=f"{i:064d}",
                size=1,
                media_type="text/plain",
                title=f"c{i}",
                filename=None,
                deal=None,
                actor="t",
            )
            ids.append(row.id)
    return ids


def _check_queue(db: Database) -> None:
    ids = _queue(db, 2)
    with db.session() as s:
        a = jobs.claim_next(s, "worker-a", lease_s=60)
    with db.session() as s:
        b = jobs.claim_next(s, "worker-b", lease_s=60)
    with db.session() as s:
        none = jobs.claim_next(s, "worker-c", lease_s=60)
    assert {a, b} == set(ids) and none is None  # each job to exactly one worker
    assert a is not None and b is not None

    # worker-a dies: its lease runs out, worker-c takes the job over.
    with db.session() as s:
        s.execute(
            update(ContractRow)
            .where(ContractRow.id == a)
            .values(lease_until=utcnow() - timedelta(seconds=1))
        )
    with db.session() as s:
        assert jobs.claim_next(s, "worker-c", lease_s=60) == a
    extracted = extract_text(SAMPLE_MSA.encode())
    analysis = analyze(extracted.text)
    with db.session() as s:  # the old worker comes back: it may not store anything
        assert jobs.store_results(s, a, "worker-a", extracted, analysis, [], "1") is False
        assert jobs.renew_lease(s, a, "worker-a", 60, 0.5) is False
        assert jobs.fail(s, a, "worker-a", "x", "y") is False
    with db.session() as s:
        assert jobs.store_results(s, a, "worker-c", extracted, analysis, [], "1") is True
    with db.session() as s:  # handed over to the store's owner: no worker may claim it
        row = svc.get_row(s, a)
        assert row.status == "processing" and row.stage == "index" and row.claimed_by is None
        assert jobs.claim_next(s, "worker-d", lease_s=60) is None
        assert jobs.claim_index(s, "owner", lease_s=60) == a
        assert jobs.claim_index(s, "owner-2", lease_s=60) is None
    with db.session() as s:
        assert jobs.mark_indexed(s, a, "owner") is True
    with db.session() as s:
        row = svc.get_row(s, a)
        assert row.status == "ready" and row.attempts == 2 and row.claimed_by is None
        assert row.stage == "review" and jobs.claim_review(s, "worker-a", 60) == a

    # A job that keeps crashing its worker is failed after MAX_ATTEMPTS, not retried forever.
    with db.session() as s:
        s.execute(
            update(ContractRow)
            .where(ContractRow.id == b)
            .values(attempts=jobs.MAX_ATTEMPTS, lease_until=utcnow() - timedelta(seconds=1))
        )
    with db.session() as s:
        assert jobs.give_up_on_crashers(s) == [b]
    with db.session() as s:
        assert svc.get_row(s, b).error_code == "processing_crashed"
        assert jobs.claim_next(s, "worker-d", lease_s=60) is None


def test_queue_on_sqlite(tmp_path: Path) -> None:
    _check_queue(_db(f"sqlite:///{tmp_path}/q.db"))


@pytest.mark.postgres
def test_queue_on_postgres(pg_url: str) -> None:
    _check_queue(_db(pg_url))


def test_extract_cli_writes_one_line_per_contract_and_category(tmp_path: Path) -> None:
    cuad = tmp_path / "cuad"
    (cuad / "contracts").mkdir(parents=True)
    (cuad / "contracts" / "c1.txt").write_text(SAMPLE_MSA)
    (cuad / "contracts" / "c2.txt").write_text(SAMPLE_RESELLER)
    out = tmp_path / "pred.jsonl"
    r = CliRunner().invoke(cli, ["extract", "--cuad-dir", str(cuad), "--out", str(out)])
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(lines) == 2 * 41
    by: dict[tuple[str, str], Any] = {(x["id"], x["category"]): x for x in lines}
    gov = by[("c1", "Governing Law")]
    assert gov["answer"] == "Delaware"
    texts = {"c1": SAMPLE_MSA, "c2": SAMPLE_RESELLER}
    for x in lines:
        for sp in x["spans"]:
            assert 0 <= sp["score"] <= 1
            assert texts[x["id"]][sp["start"] : sp["end"]] == sp["text"]
    assert by[("c2", "Exclusivity")]["answer"] == "Yes"
    assert by[("c1", "Exclusivity")]["answer"] == "No"
    assert by[("c2", "Notice Period To Terminate Renewal")]["answer"] == "90 days"


def test_ingest_cli_is_resumable_and_reports_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder: Any
) -> None:
    import ai_service.app

    monkeypatch.setattr(ai_service.app, "_embedder", embedder)  # reuse the session's model
    monkeypatch.setenv("CLAUSEWISE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CLAUSEWISE_BOOTSTRAP_ADMIN_KEY", "cw_cli_admin")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "msa.txt").write_text(SAMPLE_MSA)
    (folder / "reseller.txt").write_text(SAMPLE_RESELLER)
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    monkeypatch.setenv("CLAUSEWISE_WORKER_MODE", "thread")  # the session's model, in process
    r = CliRunner().invoke(cli, ["ingest", str(folder)])
    assert r.exit_code == 1, r.output
    assert "2 ingested, 0 already in the archive, 1 failed" in r.output
    assert "logo.png: unsupported_media_type" in r.output
    (folder / "logo.png").unlink()
    r = CliRunner().invoke(cli, ["ingest", str(folder)])
    assert r.exit_code == 0, r.output
    assert "0 ingested, 2 already in the archive, 0 failed" in r.output


def test_ingest_rerun_finishes_what_an_interrupted_run_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder: Any
) -> None:
    """A run killed mid-way leaves contracts pending, processing under a dead worker's lease,
    or failed by a crash: the same command again processes them all and exits 0."""
    import ai_service.app
    from ai_service.app import build_services
    from ai_service.config import Settings

    monkeypatch.setattr(ai_service.app, "_embedder", embedder)
    monkeypatch.setenv("CLAUSEWISE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CLAUSEWISE_BOOTSTRAP_ADMIN_KEY", "cw_cli_admin")
    monkeypatch.setenv("CLAUSEWISE_WORKER_MODE", "thread")
    folder = tmp_path / "in"
    folder.mkdir()
    texts = {"a.txt": SAMPLE_MSA, "b.txt": SAMPLE_RESELLER, "c.txt": SAMPLE_MSA + "\n\nAnnex."}
    for name, text in texts.items():
        (folder / name).write_text(text)
    services = build_services(Settings(workers=0))  # type: ignore[call-arg]
    ids = [
        services.archive.upload(
            (folder / n).read_bytes(), title=None, filename=n, deal=None, actor="cli:ingest"
        ).id
        for n in texts
    ]
    with services.db.session() as s:  # what a kill -9 leaves behind
        assert jobs.claim_next(s, "dead-worker", lease_s=60) == ids[0]
        s.execute(
            update(ContractRow)
            .where(ContractRow.id == ids[0])
            .values(lease_until=utcnow() - timedelta(seconds=1))
        )
        s.execute(
            update(ContractRow)
            .where(ContractRow.id == ids[1])
            .values(status="failed", error_code="processing_crashed", attempts=3)
        )
    services.store.close()
    services.db.dispose()
    r = CliRunner().invoke(cli, ["ingest", str(folder)])
    assert r.exit_code == 0, r.output
    assert "3 ingested, 0 already in the archive, 0 failed" in r.output
    assert "3 of them left by an earlier run" in r.output
    r = CliRunner().invoke(cli, ["ingest", str(folder)])
    assert r.exit_code == 0 and "0 ingested, 3 already in the archive, 0 failed" in r.output
