"""Worker processes: budgets hold inside one document, other documents keep flowing, a stop
puts the job back, and the store's owner indexes what workers hand over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from archive import Archive, ArchiveIndex, BlobStore, Indexer, Worker, jobs
from archive import service as svc
from retrieval import EdgeStore, Embedder, SparseEncoder
from storage import Database
from tests.samples import SAMPLE_MSA

# One line of 5 MB: no structure for the segmenter to hold on to (it ran for minutes).
HOSTILE = ("lorem ipsum dolor sit amet " * 200_000).encode()


def _archive(tmp: Path, embedder: Embedder) -> tuple[Database, Archive]:
    db = Database(f"sqlite:///{tmp}/w.db")
    db.migrate()
    index = ArchiveIndex(EdgeStore(tmp / "vectors"), embedder, SparseEncoder())
    archive = Archive(db, index, BlobStore(tmp / "blobs"))
    archive.startup()
    return db, archive


def _upload(archive: Archive, data: bytes, title: str) -> str:
    return archive.upload(data, title=title, filename=None, deal=None, actor="t").id


def _row(db: Database, cid: str) -> Any:
    with db.session() as s:
        return svc.get_row(s, cid)


def test_budget_holds_inside_one_document_while_others_flow(
    tmp_path: Path, embedder: Embedder
) -> None:
    db, archive = _archive(tmp_path, embedder)
    hostile = _upload(archive, HOSTILE, "hostile")
    budget = 4.0  # the 5 MB text takes longer than this to parse, type and embed
    workers = [
        Worker(db, archive.blobs, embedder, time_budget_s=budget, lease_s=5) for _ in range(2)
    ]
    for w in workers:
        w.parser.ready()
    threads = [threading.Thread(target=w.run, kwargs={"idle_s": 0.2}) for w in workers]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    try:
        while _row(db, hostile).status == "pending":
            time.sleep(0.05)
        claimed = time.monotonic()
        normal = _upload(archive, SAMPLE_MSA.encode(), "normal")  # queued behind it
        while _row(db, hostile).status == "processing" and time.monotonic() - t0 < 60:
            time.sleep(0.1)
        failed_after = time.monotonic() - claimed
        row = _row(db, hostile)
        assert row.status == "failed" and row.error_code == "extraction_timeout", row.error_code
        assert failed_after < budget + 10, failed_after
        assert row.attempts == 1  # never taken over by the other worker while it ran
        with db.session() as s:  # nothing half-written
            assert svc.detail(s, hostile).segments == []
        # The other worker processed the normal document meanwhile.
        while _row(db, normal).stage not in ("index", None) and time.monotonic() - t0 < 90:
            time.sleep(0.1)
        assert _row(db, normal).stage == "index"
    finally:
        for w in workers:
            w.stop.set()
        for t in threads:
            t.join(timeout=20)
    # The store's owner indexes what the worker handed over: ready, and searchable.
    assert Indexer(db, archive.index).drain() == 1
    row = _row(db, normal)
    assert row.status == "ready" and row.stage == "review"
    assert archive.index.contract_ids() == {normal}
    archive.index.store.close()


def test_a_stale_worker_cannot_store(tmp_path: Path, embedder: Embedder) -> None:
    db, archive = _archive(tmp_path, embedder)
    cid = _upload(archive, SAMPLE_MSA.encode(), "msa")
    w = Worker(db, archive.blobs, embedder)
    with db.session() as s:
        assert jobs.claim_next(s, "somebody-else", 60) == cid
    w.process(cid)  # was never its job: nothing is written
    row = _row(db, cid)
    assert row.claimed_by == "somebody-else" and row.stage == "text" and row.text is None
    w.parser.kill()
    archive.index.store.close()


def test_sigterm_puts_the_job_back_within_seconds(tmp_path: Path) -> None:
    """A real `clausewise worker` process, stopped with SIGTERM in the middle of a document."""
    data = tmp_path / "data"
    data.mkdir()
    db = Database(f"sqlite:///{data}/clausewise.db")
    db.migrate()
    archive = Archive(db, _NoIndex(), BlobStore(data / "blobs"))  # type: ignore[arg-type]
    cid = _upload(archive, HOSTILE, "slow")
    env = {
        **os.environ,
        "CLAUSEWISE_DATA_DIR": str(data),
        "CLAUSEWISE_DOCUMENT_TIME_BUDGET_S": "600",
        "CLAUSEWISE_LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen([sys.executable, "-m", "ai_service.cli", "worker"], env=env)
    try:
        t0 = time.monotonic()
        while _row(db, cid).status != "processing":
            assert time.monotonic() - t0 < 600, "the worker never claimed the job"
            time.sleep(0.2)
        time.sleep(1.0)  # in the middle of it
        proc.send_signal(signal.SIGTERM)
        t1 = time.monotonic()
        assert proc.wait(timeout=10) == 0
        assert time.monotonic() - t1 < 10
    finally:
        if proc.poll() is None:
            proc.kill()
    row = _row(db, cid)
    assert row.status == "pending" and row.claimed_by is None and row.attempts == 0


def test_a_stop_mid_batch_puts_the_job_back_from_another_thread(
    tmp_path: Path, embedder: Embedder
) -> None:
    """A batch of the model can outlast the stop's grace period: the stop watchdog gives the
    job back from its own thread, and the worker's late results are not written."""
    db, archive = _archive(tmp_path, embedder)
    cid = _upload(archive, SAMPLE_MSA.encode(), "msa")
    entered, release = threading.Event(), threading.Event()

    class Blocking:
        def __getattr__(self, name: str) -> Any:
            return getattr(embedder, name)

        def embed(self, texts: list[str], batch_size: int = 32) -> Any:
            entered.set()
            release.wait(60)
            return embedder.embed(texts, batch_size=batch_size)

    w = Worker(db, archive.blobs, Blocking(), isolate=False)  # type: ignore[arg-type]
    t = threading.Thread(target=w.step)
    t.start()
    try:
        assert entered.wait(120), "the worker never reached the model"
        assert w.current == ("process", cid)
        assert w.abandon() == cid
        row = _row(db, cid)
        assert row.status == "pending" and row.claimed_by is None and row.attempts == 0
    finally:
        release.set()
        t.join(timeout=120)
    row = _row(db, cid)
    assert row.status == "pending" and row.text is None and row.claimed_by is None
    archive.index.store.close()


@pytest.mark.postgres
def test_postgres_with_a_separate_worker_process(
    tmp_path: Path, pg_url: str, embedder: Embedder
) -> None:
    """The scale-out path: PostgreSQL, a `clausewise worker` process, and the API side's
    indexer taking the vectors it hands over."""
    data = tmp_path / "data"
    db = Database(pg_url)
    db.migrate()
    index = ArchiveIndex(EdgeStore(tmp_path / "vectors"), embedder, SparseEncoder())
    archive = Archive(db, index, BlobStore(data / "blobs"))
    archive.startup()
    cid = _upload(archive, SAMPLE_MSA.encode(), "msa")
    env = {
        **os.environ,
        "CLAUSEWISE_DATA_DIR": str(data),
        "CLAUSEWISE_DATABASE_URL": pg_url,
        "CLAUSEWISE_LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen([sys.executable, "-m", "ai_service.cli", "worker"], env=env)
    indexer = Indexer(db, index)
    try:
        t0 = time.monotonic()
        while _row(db, cid).stage != "review":
            assert time.monotonic() - t0 < 300, _row(db, cid).stage
            assert proc.poll() is None, "the worker process died"
            indexer.step()
            time.sleep(0.2)
        row = _row(db, cid)
        assert row.status == "ready" and row.attempts == 1 and row.governing_law
        assert index.contract_ids() == {cid}
        while _row(db, cid).stage is not None:  # the worker runs the review too
            assert time.monotonic() - t0 < 300
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        index.store.close()
        db.dispose()


class _NoIndex:
    def open(self) -> bool:
        return False
