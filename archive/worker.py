"""A worker: claims contracts from the database and processes them; never opens the vector
store. Its finished vectors go into the database, and the store's owner indexes them
(see `archive.indexer`), so any number of workers can run beside one embedded store.

- A heartbeat thread renews the lease every few seconds, independently of progress, so a
  long document is never taken over while its worker lives.
- Every write starts with a fence (only the lease holder can make it): a worker that lost
  its job writes nothing.
- The time budget holds: text and analysis run in a child process killed at the budget;
  embedding checks it between batches. A stop request (SIGTERM) is seen at the same points:
  the job goes back to the queue within seconds.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import numpy as np

from archive import jobs
from archive.archive import ArchiveIndex
from archive.parse import ParseChild, Stopped, budget_error
from archive.service import BlobStore
from extraction.pipeline import PIPELINE_VERSION, with_vectors
from extraction.types import ExtractionError
from retrieval import Embedder, SparseEncoder, VectorStore
from storage import Database

log = logging.getLogger(__name__)
EMBED_BATCH = 32  # windows per model call: the budget and a stop are checked between calls

# Overall progress at the start of each stage.
STAGE_START = {"text": 0.0, "analysis": 0.3, "embedding": 0.4, "index": 0.9}
STAGE_SPAN = {"text": 0.3, "analysis": 0.1, "embedding": 0.5, "index": 0.1}


class _NoStore:
    """Workers never touch the vector store: the embedded one has a single writer."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"a worker does not use the vector store ({name})")


class _Heartbeat:
    """Renews the lease of one job from a thread of its own, and carries its progress."""

    def __init__(self, db: Database, cid: str, worker: str, lease_s: float) -> None:
        self.db, self.cid, self.worker, self.lease_s = db, cid, worker, lease_s
        self.stage, self.progress = "text", 0.0
        self.lost = threading.Event()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{cid[:8]}", daemon=True)

    def set(self, stage: str, fraction: float) -> None:
        self.stage = stage
        self.progress = round(STAGE_START[stage] + STAGE_SPAN[stage] * min(fraction, 1.0), 3)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        every = max(0.2, min(2.0, self.lease_s / 4))
        while not self._done.wait(every):
            try:
                with self.db.session() as s:
                    ok = jobs.renew_lease(
                        s, self.cid, self.worker, self.lease_s, self.progress, self.stage
                    )
            except Exception:
                log.warning("heartbeat of %s failed; retrying", self.cid, exc_info=True)
                continue
            if not ok:
                self.lost.set()
                return


class _BudgetedEmbedder:
    """The model, called in small batches with a check between them (budget, stop, lost)."""

    def __init__(self, embedder: Embedder, check: Callable[[int, int], None]) -> None:
        self._e = embedder
        self._check = check

    def __getattr__(self, name: str) -> Any:
        return getattr(self._e, name)

    def embed(self, texts: list[str], batch_size: int = EMBED_BATCH) -> np.ndarray:
        parts = []
        for i in range(0, len(texts), batch_size):
            self._check(i, len(texts))
            parts.append(self._e.embed(texts[i : i + batch_size], batch_size=batch_size))
        self._check(len(texts), len(texts))
        return np.concatenate(parts) if parts else np.zeros((0, self._e.dim), dtype=np.float32)


class Worker:
    def __init__(
        self,
        db: Database,
        blobs: BlobStore,
        embedder: Embedder,
        *,
        type_map: Mapping[str, Sequence[str]] | None = None,
        time_budget_s: float = 300.0,
        max_pages: int = 500,
        lease_s: float = 30.0,
        review: Callable[[str], object] | None = None,
        name: str | None = None,
        isolate: bool = True,
    ) -> None:
        """`isolate=False` parses in this thread, not in a child process that can be killed
        at the budget: for tests and tools on trusted documents only."""
        self.db, self.blobs, self.embedder = db, blobs, embedder
        self.sparse = SparseEncoder()
        self.time_budget_s, self.max_pages, self.lease_s = time_budget_s, max_pages, lease_s
        self.review = review
        self.name = name or f"w-{uuid.uuid4().hex[:10]}"
        self.type_map = type_map
        self.parser = ParseChild(type_map, inline=not isolate)
        self.stop = threading.Event()
        # The job in hand: ("process" or "review", contract id); read by `abandon`.
        self.current: tuple[str, str] | None = None

    # -- the loop

    def run(self, wake: threading.Event | None = None, idle_s: float = 1.0) -> None:
        """Work until `stop` is set; sleeps `idle_s` (or until `wake`) when nothing waits."""
        try:
            try:
                self.parser.ready(self.stop.is_set)  # before claiming anything
            except Stopped:
                return
            while not self.stop.is_set():
                try:
                    did = self.step()
                except Exception:
                    log.exception("worker %s: unexpected error", self.name)
                    did = False
                if not did:
                    if wake is not None:
                        wake.wait(idle_s)
                        wake.clear()
                    else:
                        self.stop.wait(idle_s)
        finally:
            self.parser.kill()

    def step(self) -> bool:
        """One unit of work (a contract, or a review); False when there was none."""
        with self.db.session() as s:
            jobs.give_up_on_crashers(s)
            cid = jobs.claim_next(s, self.name, self.lease_s)
        if cid is not None:
            self.current = ("process", cid)
            try:
                self.process(cid)
            finally:
                self.current = None
            return True
        if self.review is None:
            return False
        with self.db.session() as s:
            rid = jobs.claim_review(s, self.name, self.lease_s)
        if rid is None:
            return False
        self.current = ("review", rid)
        try:
            try:
                self.review(rid)
            except Exception:
                # The contract is stored; a review that failed runs again when its flags are
                # read.
                log.exception("review of contract %s failed", rid)
            with self.db.session() as s:
                jobs.mark_reviewed(s, rid, self.name)
        finally:
            self.current = None
        return True

    def abandon(self) -> str | None:
        """Put the job in hand back in the queue from another thread, for a stop that cannot
        wait for the work to reach a check (a batch of the model, a review): the fence makes
        whatever this worker's own thread writes afterwards a no-op. The process must end
        right after. Returns the contract put back, if any."""
        current = self.current
        if current is None:
            return None
        kind, cid = current
        with self.db.session() as s:
            done = (
                jobs.give_back(s, cid, self.name)
                if kind == "process"
                else jobs.release(s, cid, self.name)
            )
        self.parser.terminate()
        return cid if done else None

    def drain(self) -> int:
        """Process until nothing is claimable (tests, evals); returns the units done."""
        n = 0
        while self.step():
            n += 1
        return n

    # -- one contract

    def process(self, cid: str) -> None:
        from archive.models import ContractRow

        with self.db.session() as s:
            row = s.get(ContractRow, cid)
            if row is None:
                return
            sha, title = row.sha256, row.title
        with _Heartbeat(self.db, cid, self.name, self.lease_s) as beat:

            def should_stop() -> bool:
                return self.stop.is_set() or beat.lost.is_set()

            try:
                # A fresh child's start-up is not charged to the document's budget.
                self.parser.ready(should_stop)
            except Stopped:
                self._give_back(cid, beat)
                return
            start = time.monotonic()
            deadline = start + self.time_budget_s

            def check_embedding(done: int, total: int) -> None:
                if should_stop():
                    raise Stopped()
                if time.monotonic() > deadline:
                    raise budget_error(self.time_budget_s)
                beat.set("embedding", done / max(total, 1))

            try:
                data = self.blobs.get(sha)
                extracted, analysis = self.parser.run(
                    data,
                    title,
                    max_pages=self.max_pages,
                    deadline=deadline,
                    budget_s=self.time_budget_s,
                    on_progress=beat.set,
                    should_stop=should_stop,
                )
                beat.set("embedding", 0.0)
                index = ArchiveIndex(
                    cast(VectorStore, _NoStore()),
                    cast(Embedder, _BudgetedEmbedder(self.embedder, check_embedding)),
                    self.sparse,
                )
                # The archive's segment vectors also type the segments (computed once).
                analysis = with_vectors(
                    analysis, index.embed_segments(analysis.segments), type_map=self.type_map
                )
                points = index.points(cid, title, extracted.text, extracted, analysis)
                if time.monotonic() > deadline:  # typing and point building count too
                    raise budget_error(self.time_budget_s)
            except Stopped:
                self._give_back(cid, beat)
                return
            except ExtractionError as exc:
                self._fail(cid, exc.code, exc.message)
                return
            except FileNotFoundError:
                self._fail(
                    cid, "original_missing", "The stored original is missing; upload it again."
                )
                return
            if beat.lost.is_set():
                log.warning("worker %s lost contract %s to another worker", self.name, cid)
                return
            with self.db.session() as s:
                stored = jobs.store_results(
                    s, cid, self.name, extracted, analysis, points, PIPELINE_VERSION
                )
            if not stored:
                log.warning("worker %s lost contract %s to another worker", self.name, cid)
            else:
                log.info(
                    "contract %s processed in %.1f s (%d vectors)",
                    cid,
                    time.monotonic() - start,
                    len(points),
                )

    def _fail(self, cid: str, code: str, message: str) -> None:
        with self.db.session() as s:
            if not jobs.fail(s, cid, self.name, code, message):
                log.warning("worker %s lost contract %s before failing it", self.name, cid)

    def _give_back(self, cid: str, beat: _Heartbeat) -> None:
        if beat.lost.is_set():
            log.warning("worker %s lost contract %s to another worker", self.name, cid)
            return
        with self.db.session() as s:
            jobs.give_back(s, cid, self.name)
        log.info("worker %s stopped: contract %s is queued again", self.name, cid)
