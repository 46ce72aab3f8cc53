"""Worker processes, started and watched by the service (or by `clausewise ingest`).

Each is `clausewise worker --name NAME`; one that dies (kill -9, out of memory) is started
again, its job reclaimed once its lease runs out. A stop is bounded: each gets SIGTERM (it
puts its job back and exits within seconds); one still alive at the deadline is killed, and
its name is returned so that its caller can put that worker's job back from the database.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Mapping, Sequence

log = logging.getLogger(__name__)


class WorkerPool:
    def __init__(
        self,
        n: int,
        env: Mapping[str, str],
        command: Sequence[str] | None = None,
    ) -> None:
        self.n = n
        self.env = {**os.environ, **env}
        self.command = list(
            command or [sys.executable, "-m", "ai_service.cli", "worker", "--exit-with-parent"]
        )
        self.procs: list[subprocess.Popen[bytes]] = []
        # The name each process claims jobs under (its `--name`), by index in `procs`.
        self.names: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()  # the watcher replaces processes; a stop reads them
        self._watch: threading.Thread | None = None

    def _spawn(self) -> tuple[subprocess.Popen[bytes], str]:
        name = f"w-{uuid.uuid4().hex[:10]}"
        proc = subprocess.Popen(
            [*self.command, "--name", name], env=self.env, stdin=subprocess.DEVNULL
        )
        return proc, name

    def start(self) -> None:
        with self._lock:
            spawned = [self._spawn() for _ in range(self.n)]
            self.procs = [p for p, _ in spawned]
            self.names = [n for _, n in spawned]
        log.info("started %d worker processes (pids %s)", self.n, [p.pid for p in self.procs])
        self._watch = threading.Thread(target=self._watch_loop, name="worker-pool", daemon=True)
        self._watch.start()

    def _watch_loop(self) -> None:
        while not self._stop.wait(2.0):
            for i, p in enumerate(self.procs):
                if p.poll() is None:
                    continue
                if self._stop.wait(1.0):  # a worker that dies at once must not spin
                    return
                with self._lock:  # no new worker once a stop has begun
                    if self._stop.is_set():
                        return
                    log.warning(
                        "worker process %d exited with %s; starting another", p.pid, p.returncode
                    )
                    self.procs[i], self.names[i] = self._spawn()

    def signal_stop(self) -> None:
        """SIGTERM every worker now, without waiting (the service's stop has begun)."""
        with self._lock:
            self._stop.set()
            for p in self.procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)

    def stop(self, deadline: float) -> list[str]:
        """Stop every worker by `deadline` (time.monotonic()): SIGTERM, then SIGKILL for
        any still alive then. Returns the names of the workers killed: their jobs are still
        claimed (a killed worker cannot put its job back)."""
        self.signal_stop()
        killed = []
        for p, name in zip(self.procs, self.names, strict=True):
            try:
                p.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("worker process %d did not stop in time; killing it", p.pid)
                p.kill()
                p.wait(timeout=5)
                killed.append(name)
        return killed

    def alive(self) -> int:
        return sum(p.poll() is None for p in self.procs)
