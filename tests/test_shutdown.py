"""A stop of the service is bounded: a worker sees SIGTERM at once, whatever its main thread
is doing, and a worker that does not stop in time is killed and its job put back for it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from archive import Archive, BlobStore, WorkerPool, jobs
from archive import service as svc
from storage import Database

# The main thread spends seconds in one C call that releases the GIL (as a batch of the
# model does); the stop must be seen during it, not after it.
_CHILD = """
import hashlib, sys, threading, time
from ai_service.workers import stop_on_signal

stop = threading.Event()
stop_on_signal(stop)
state = {"in_call": False}

def report():
    stop.wait()
    print("stopped in_call=%s" % state["in_call"], flush=True)

threading.Thread(target=report, daemon=True).start()
t = time.perf_counter()
hashlib.pbkdf2_hmac("sha256", b"x", b"y", 20_000)
n = int(20_000 * 8.0 / max(time.perf_counter() - t, 1e-6))  # about 8 s of work
state["in_call"] = True
print("calling", flush=True)
hashlib.pbkdf2_hmac("sha256", b"x", b"y", n)
state["in_call"] = False
time.sleep(1.0)
"""


def test_a_worker_sees_sigterm_while_its_main_thread_is_in_c(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "calling"
        time.sleep(0.5)
        proc.terminate()
        line = proc.stdout.readline().strip()
    finally:
        proc.kill()
        proc.wait()
    assert line == "stopped in_call=True"


def test_a_worker_that_ignores_the_stop_is_killed_and_its_job_put_back(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/w.db")
    db.migrate()
    archive = Archive(db, _NoIndex(), BlobStore(tmp_path / "blobs"))  # type: ignore[arg-type]
    cid = archive.upload(
        b"The Supplier shall deliver.", title="t", filename=None, deal=None, actor="t"
    ).id
    deaf = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)"
    pool = WorkerPool(2, {}, command=[sys.executable, "-c", deaf])
    pool.start()
    try:
        with db.session() as s:
            assert jobs.claim_next(s, pool.names[0], 60.0) == cid
        time.sleep(0.5)  # both have started and ignore SIGTERM
        t0 = time.monotonic()
        killed = pool.stop(time.monotonic() + 1.0)
        took = time.monotonic() - t0
    finally:
        for p in pool.procs:
            p.kill()
    assert sorted(killed) == sorted(pool.names)
    assert pool.alive() == 0 and took < 3.0
    with db.session() as s:
        assert jobs.give_back_held(s, pool.names[0]) == [cid]
        assert jobs.give_back_held(s, pool.names[1]) == []
    with db.session() as s:
        row = svc.get_row(s, cid)
        assert row.status == "pending" and row.claimed_by is None and row.attempts == 0


class _NoIndex:
    def open(self) -> bool:
        return False
