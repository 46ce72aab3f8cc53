"""Process the queue inside the calling process, to the end (evals and one-off tools):
the same worker and indexer code the service runs, without processes or threads."""

from __future__ import annotations

from collections.abc import Callable

from archive.archive import Archive
from archive.indexer import Indexer
from archive.worker import Worker
from retrieval import Embedder


def process_queue(
    archive: Archive,
    embedder: Embedder,
    *,
    review: Callable[[str], object] | None = None,
    time_budget_s: float = 300.0,
    max_pages: int = 500,
) -> int:
    """Process, index (and review) everything waiting; returns the units of work done."""
    worker = Worker(
        archive.db,
        archive.blobs,
        embedder,
        type_map=archive.type_map,
        time_budget_s=time_budget_s,
        max_pages=max_pages,
        review=review,
        isolate=False,  # trusted documents, and no child to start
    )
    indexer = Indexer(archive.db, archive.index)
    total = 0
    try:
        while True:
            done = worker.drain() + indexer.drain()
            if not done:
                return total
            total += done
    finally:
        worker.parser.kill()
