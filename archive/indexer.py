"""The vector store's owner side of the hand-over: vectors that workers left in the database
go into the store, and the contract becomes ready in the same step.

Runs as a thread of the process that owns the store (the API process with Qdrant Edge; any
API process with a Qdrant server, where claims keep two owners from indexing one contract).
The order keeps database and store consistent through a kill -9 at any point: upsert
first, then one transaction marks the contract ready and deletes its hand-over rows; a crash
in between leaves the contract waiting, and the next attempt upserts the same ids again.
"""

from __future__ import annotations

import logging
import threading
import uuid

from archive import jobs
from archive.archive import ArchiveIndex
from storage import Database

log = logging.getLogger(__name__)


class Indexer:
    def __init__(self, db: Database, index: ArchiveIndex, lease_s: float = 60.0) -> None:
        self.db, self.index, self.lease_s = db, index, lease_s
        self.name = f"indexer-{uuid.uuid4().hex[:10]}"
        self.stop = threading.Event()
        self._dirty = False  # points written since the index was last optimized
        self._thread: threading.Thread | None = None

    def step(self) -> bool:
        with self.db.session() as s:
            cid = jobs.claim_index(s, self.name, self.lease_s)
        if cid is None:
            return False
        with self.db.session() as s:
            points = jobs.handed_over_points(s, cid)
        self.index.replace(cid, self.index.own_vectors(points))
        self._dirty = True
        try:
            with self.db.session() as s:
                indexed = jobs.mark_indexed(s, cid, self.name)
        except Exception:
            # Not ready: its vectors must not stay searchable. It is indexed again later.
            try:
                self.index.remove(cid)
            except Exception:
                log.exception("could not remove vectors of %s after a failed commit", cid)
            raise
        if not indexed:
            # Deleted or queued again meanwhile: its vectors must not outlive it.
            log.warning("indexer lost contract %s", cid)
            self.index.remove(cid)
        return True

    def drain(self) -> int:
        n = 0
        while self.step():
            n += 1
        self.optimize_if_idle()
        return n

    def optimize_if_idle(self) -> None:
        """Build the vector indexes (HNSW, sparse) once nothing waits: Qdrant Edge has no
        background optimizer (a server optimizes by itself)."""
        if not self._dirty or not hasattr(self.index.store, "optimize"):
            return
        with self.db.session() as s:
            waiting = jobs.waiting_counts(s)
        if waiting["work"] or waiting["index"]:
            return
        self._dirty = False
        self.index.store.optimize()

    def run(self, idle_s: float = 0.5) -> None:
        while not self.stop.is_set():
            try:
                did = self.step()
            except Exception:
                log.exception("indexer: unexpected error")
                did = False
            if not did:
                try:
                    self.optimize_if_idle()
                except Exception:
                    log.exception("indexer: optimize failed")
                self.stop.wait(idle_s)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="clausewise-indexer", daemon=True)
        self._thread.start()

    def close(self, timeout: float = 30.0) -> bool:
        """Stop after the step in hand; False if it is still running after `timeout` (an
        HNSW build cannot be interrupted: what it has not committed is redone at the next
        start, as after a kill)."""
        self.stop.set()
        if self._thread is not None:
            self._thread.join(timeout=timeout)
            return not self._thread.is_alive()
        return True
