"""Wiring of contract processing: worker processes (or threads), and the store owner's
indexer. The work itself is the `archive` package's."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from ai_service.config import Settings
from ai_service.services import Services
from archive import BlobStore, Indexer, Worker, WorkerPool, jobs
from clause_index import cuad_type_map
from lifecycle import LifecycleService
from retrieval import Embedder
from review import ReviewService
from storage import Database
from webhooks import WebhookService

log = logging.getLogger("clausewise.workers")


def build_webhooks(settings: Settings, db: Database) -> WebhookService:
    return WebhookService(
        db,
        service_port=settings.port,
        public_url=settings.public_url,
        timeout_s=settings.webhook_timeout_s,
        max_attempts=settings.webhook_max_attempts,
        backoff_s=settings.webhook_backoff_s,
        poll_s=settings.webhook_poll_s,
        scheduler_interval_s=settings.webhook_scheduler_interval_s,
    )


def after_processing(settings: Settings, db: Database, embedder: Embedder) -> Any:
    """What follows a contract's becoming ready, run by the worker that reviews it: its
    calendar events, the `contract.ready` event, then the review (`review.completed`)."""
    reviewer = ReviewService(db, embedder=embedder)
    lifecycle = LifecycleService(db)
    hooks = build_webhooks(settings, db)  # queued in the database; the API process delivers
    reviewer.listeners.append(hooks.emit)

    def run(cid: str) -> object:
        try:
            lifecycle.on_ready(cid)
        except Exception:
            log.exception("timeline of contract %s failed", cid)
        hooks.emit_now("contract.ready", {"contract_id": cid}, cid)
        return reviewer.review_contract(cid)

    return run


def make_worker(
    settings: Settings,
    db: Database,
    embedder: Embedder,
    name: str | None = None,
    isolate: bool = True,
) -> Worker:
    with db.session() as s:
        type_map = cuad_type_map(s)
    return Worker(
        db,
        BlobStore(settings.data_dir / "blobs"),
        embedder,
        type_map=type_map,
        time_budget_s=settings.document_time_budget_s,
        max_pages=settings.max_pages,
        lease_s=settings.lease_s,
        review=after_processing(settings, db, embedder),
        name=name,
        isolate=isolate,
    )


# A stop of the service (SIGTERM) ends within 10 s even with documents in flight: the
# workers get this long from the signal to put their jobs back and exit, then are killed
# (their jobs put back for them), and what runs in this process gets what is left of it.
STOP_DEADLINE_S = 6.0


@dataclass
class Processing:
    """What runs beside the API: the indexer, and workers as threads or processes."""

    db: Database
    indexer: Indexer
    workers: list[Worker] = field(default_factory=list)
    threads: list[threading.Thread] = field(default_factory=list)
    pool: WorkerPool | None = None
    _deadline: float | None = None

    def begin_stop(self) -> None:
        """Ask everything to stop, without waiting: from the signal, so that the workers
        stop while the HTTP server drains its requests."""
        if self._deadline is None:
            self._deadline = time.monotonic() + STOP_DEADLINE_S
        self.indexer.stop.set()  # it finishes its step while the workers stop
        for w in self.workers:
            w.stop.set()
        if self.pool is not None:
            self.pool.signal_stop()

    def stop(self) -> bool:
        """Stop by the deadline `begin_stop` set (now + STOP_DEADLINE_S if not yet begun).
        False if the indexer is still in a step: then the store must not be closed under it."""
        self.begin_stop()
        deadline = self._deadline or time.monotonic()
        if self.pool is not None:
            for name in self.pool.stop(deadline):
                try:
                    with self.db.session() as s:
                        back = jobs.give_back_held(s, name)
                    log.info("worker %s was killed at the stop; put back %s", name, back)
                except Exception:
                    log.exception("could not put back the jobs of worker %s", name)
        for t in self.threads:
            t.join(timeout=max(0.1, deadline - time.monotonic()))
        return self.indexer.close(timeout=max(0.1, deadline + 2.0 - time.monotonic()))


def start_processing(services: Services, workers: int | None = None) -> Processing:
    settings = services.settings
    n = settings.workers if workers is None else workers
    out = Processing(
        services.db, Indexer(services.db, services.archive.index, lease_s=settings.lease_s)
    )
    out.indexer.start()
    if n and settings.worker_mode == "thread":
        for i in range(n):
            # In-process workers are for tests and tools: no parse child (see `isolate`).
            w = make_worker(settings, services.db, services.embedder, isolate=False)
            t = threading.Thread(
                target=w.run,
                args=(services.archive.wake,),
                name=f"clausewise-worker-{i}",
                daemon=True,
            )
            t.start()
            out.workers.append(w)
            out.threads.append(t)
    elif n:
        out.pool = WorkerPool(n, settings.as_env())
        out.pool.start()
    return out


def _exit_with_parent(stop: threading.Event) -> None:
    """A worker started by a service ends when the service ends, even by kill -9. (Not
    PR_SET_PDEATHSIG: it fires when the parent's *thread* that started us ends.)"""
    parent = os.getppid()

    def watch() -> None:
        while not stop.wait(1.0):
            if os.getppid() != parent:
                stop.set()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def stop_on_signal(stop: threading.Event) -> None:
    """Set `stop` as soon as SIGTERM or SIGINT arrives, whatever the main thread is doing.

    A Python signal handler runs only when the main thread next runs Python code, and a
    batch of the model (one ONNX Runtime call) can keep it in C for many seconds on a busy
    CPU: the stop would wait for it. The C-level handler writes the signal to a pipe at
    once (`signal.set_wakeup_fd`), and a thread of its own reads it. Call from the main
    thread."""
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)

    def on_signal(signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)

    def watch() -> None:
        with contextlib.suppress(OSError):
            while os.read(read_fd, 64):
                log.info("stop signal received")
                stop.set()

    threading.Thread(target=watch, name="stop-signal", daemon=True).start()


def run_worker_process(
    settings: Settings, exit_with_parent: bool = False, name: str | None = None
) -> None:
    """`clausewise worker`: process contracts until SIGTERM/SIGINT; the job in hand goes
    back to the queue. `name`: what it claims jobs as (the pool that starts it names it, so
    that it can put back the job of a worker it had to kill)."""
    with contextlib.suppress(OSError):
        os.nice(settings.worker_nice)
    import torch

    torch.set_num_threads(settings.worker_threads)
    db = Database(settings.resolved_database_url)
    from ai_service.app import make_embedder

    worker = make_worker(settings, db, make_embedder(settings, settings.worker_threads), name)
    stop_on_signal(worker.stop)
    if exit_with_parent:
        _exit_with_parent(worker.stop)
    finished = threading.Event()
    threading.Thread(
        target=_stop_watchdog, args=(worker, finished), name="stop-watchdog", daemon=True
    ).start()
    log.info("worker %s ready (pid %d)", worker.name, os.getpid())
    try:
        worker.run()
    finally:
        finished.set()
        db.dispose()
    # Its job is back in the queue and nothing is left to do: Python's own teardown of a
    # process that holds a model took 2-6 s at a low priority on a busy CPU (measured at a
    # service stop), so the stop does not wait for it.
    _end_now()


def _end_now() -> None:
    for h in logging.getLogger().handlers:
        with contextlib.suppress(Exception):
            h.flush()
    os._exit(0)


STOP_GRACE_S = 2.0  # after a stop request, how long the work may take to reach a check


def _stop_watchdog(worker: Worker, finished: threading.Event) -> None:
    """The work checks for a stop between pages, stages and batches of the model, but one
    batch (or a review) can take many seconds on a busy CPU at a low priority: past the grace
    period the job goes back to the queue from here, and the process ends at once."""
    worker.stop.wait()
    if finished.wait(STOP_GRACE_S):
        return
    try:
        cid = worker.abandon()
        log.info("worker %s stopped mid-work: contract %s is queued again", worker.name, cid)
    except Exception:
        log.exception("worker %s: could not put its job back; its lease will run out", worker.name)
    _end_now()
