"""Worker processes, started and watched by the service (or by `clausewise ingest`).

Each is `clausewise worker`; one that dies (kill -9, out of memory) is started again, its
job reclaimed once its lease runs out. On stop each gets SIGTERM, puts its job back and
exits; one still alive after the grace period is killed.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
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
        self._stop = threading.Event()
        self._watch: threading.Thread | None = None

    def _spawn(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(self.command, env=self.env, stdin=subprocess.DEVNULL)

    def start(self) -> None:
        self.procs = [self._spawn() for _ in range(self.n)]
        log.info("started %d worker processes (pids %s)", self.n, [p.pid for p in self.procs])
        self._watch = threading.Thread(target=self._watch_loop, name="worker-pool", daemon=True)
        self._watch.start()

    def _watch_loop(self) -> None:
        while not self._stop.wait(2.0):
            for i, p in enumerate(self.procs):
                if p.poll() is not None and not self._stop.is_set():
                    log.warning(
                        "worker process %d exited with %s; starting another", p.pid, p.returncode
                    )
                    time.sleep(1.0)  # a worker that dies at once must not spin
                    self.procs[i] = self._spawn()

    def stop(self, grace_s: float = 7.0) -> None:
        self._stop.set()
        if self._watch is not None:
            self._watch.join(timeout=5)
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace_s
        for p in self.procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("worker process %d did not stop in %.0f s; killing it", p.pid, grace_s)
                p.kill()
                p.wait(timeout=5)

    def alive(self) -> int:
        return sum(p.poll() is None for p in self.procs)
