"""`clausewise bench load`: do queries wait for ingestion? Starts the real service (its own
data directory and port, worker processes as configured), then times the user-facing
endpoints from several clients:

1. idle: nothing is pending, processing or waiting for its review (the bench waits for
   that before it starts the clock);
2. while the largest real contracts (CUAD PDFs) are ingested;
3. optionally, many clients at once for a while (`sustained_clients`, `sustained_s`).

Prints p50/p95 per endpoint for each phase and the ratio ingest/idle, the memory of every
process of the service (resident set idle, and its peak while ingesting, from
/proc/PID/status), and then stops the service with SIGTERM while a document is in flight
(`stop_trials` times, restarting it in between): how long the stop took, and whether the
document went back to the queue."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ADMIN = "cw_bench_load_admin_key"
QUERIES = [
    "limitation of liability cap",
    "which law governs the agreement",
    "can the customer terminate for convenience",
    "payment terms net 30",
    "confidentiality obligations after termination",
]


def _p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


class _Load:
    """Clients that call the endpoints round-robin and record latencies (ms) per endpoint."""

    def __init__(self, base: str, key: str, contract_id: str, clients: int) -> None:
        import httpx

        self.base, self.clients = base, clients
        self.headers = {"Authorization": f"Bearer {key}"}
        self.cid = contract_id
        self.http = httpx.Client(base_url=base, headers=self.headers, timeout=120)
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()

    def _calls(self, i: int) -> list[tuple[str, str, str, Any]]:
        q = QUERIES[i % len(QUERIES)]
        return [
            ("library search", "POST", "/v1/clauses/search", {"query": q, "top_k": 5}),
            ("ask", "POST", "/v1/ask", {"question": f"what is our standard {q}?"}),
            ("archive search", "POST", "/v1/search", {"query": q, "top_k": 10}),
            ("contract", "GET", f"/v1/contracts/{self.cid}", None),
            ("archive list", "GET", "/v1/contracts?limit=50", None),
            ("page /login", "GET", "/login", None),
            ("healthz", "GET", "/healthz", None),
        ]

    def _client(self, stop: threading.Event, seed: int) -> None:
        i = seed
        while not stop.is_set():
            for name, method, path, body in self._calls(i):
                if stop.is_set():
                    return
                t = time.perf_counter()
                try:
                    r = self.http.request(method, path, json=body)
                    ok = r.status_code < 500
                except Exception:
                    ok = False
                ms = (time.perf_counter() - t) * 1000
                with self._lock:
                    self.times[name].append(ms)
                    if not ok:
                        self.errors[name] += 1
            i += 1

    def run_until(self, done: Any) -> dict[str, list[float]]:
        self.times.clear()
        stop = threading.Event()
        threads = [
            threading.Thread(target=self._client, args=(stop, k), daemon=True)
            for k in range(self.clients)
        ]
        for t in threads:
            t.start()
        while not done():
            time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join(timeout=130)
        return {k: list(v) for k, v in self.times.items()}


# -- memory of the service's processes, from /proc


def _status_kb(pid: int) -> dict[str, int]:
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                out[k] = int(v.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return out


def _tree(root: int) -> dict[int, str]:
    """The service's processes: pid -> role (api, worker, parse child)."""
    kids: dict[int, list[int]] = defaultdict(list)
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids[ppid].append(int(d.name))
    out, todo = {root: "api"}, [root]
    while todo:
        for k in kids.get(todo.pop(), []):
            try:
                cmd = Path(f"/proc/{k}/cmdline").read_bytes()
            except OSError:
                continue
            out[k] = (
                "worker"
                if b"worker" in cmd
                else "parse child"
                if b"multiprocessing" in cmd
                else "other"
            )
            todo.append(k)
    return out


class _Memory:
    """Samples the resident set of every process of the service once a second."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak: dict[int, int] = {}
        self.roles: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def snapshot(self) -> dict[int, tuple[str, int]]:
        tree = _tree(self.root)
        return {pid: (role, _status_kb(pid).get("VmRSS", 0)) for pid, role in tree.items()}

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            for pid, (role, kb) in self.snapshot().items():
                self.roles[pid] = role
                self.peak[pid] = max(self.peak.get(pid, 0), kb)
                hwm = _status_kb(pid).get("VmHWM", 0)
                self.peak[pid] = max(self.peak[pid], hwm)

    def __enter__(self) -> _Memory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def _memory_lines(idle: dict[int, tuple[str, int]], mem: _Memory) -> list[str]:
    lines = [f"{'process':<22} {'idle RSS':>10} {'peak RSS while ingesting':>26}"]
    pids = sorted(set(idle) | set(mem.peak), key=lambda p: (p != mem.root, p))
    for pid in pids:
        role = idle.get(pid, (mem.roles.get(pid, "?"), 0))[0]
        a = idle.get(pid, ("", 0))[1]
        b = mem.peak.get(pid, 0)
        lines.append(
            f"{role + f' ({pid})':<22} {a / 1024:>8.0f}MB {b / 1024:>24.0f}MB"
            + ("" if pid in idle else "  (started while ingesting)")
        )
    tot_idle = sum(kb for _, kb in idle.values())
    lines.append(f"{'all, idle':<22} {tot_idle / 1024:>8.0f}MB")
    return lines


# -- the service


class _Service:
    def __init__(self, env: dict[str, str], log_path: Path, base: str) -> None:
        self.env, self.log_path, self.base = env, log_path, base
        self.proc: subprocess.Popen[bytes] | None = None
        self.first_answer: float | None = None
        self.ready_s = 0.0

    def start(self) -> None:
        import httpx

        log = open(self.log_path, "ab")  # noqa: SIM115
        t0 = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ai_service.cli", "serve"], env=self.env, stdout=log, stderr=log
        )
        log.close()
        http = httpx.Client(base_url=self.base, timeout=60)
        self.first_answer = None
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"the service exited; see {self.log_path}")
            try:
                r = http.get("/healthz")
                if self.first_answer is None:
                    self.first_answer = time.monotonic() - t0
                if r.status_code == 200 and r.json().get("status") == "ok":
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        self.ready_s = time.monotonic() - t0

    def stop(self, timeout_s: float = 60.0) -> float:
        """SIGTERM; seconds until the process and all its children are gone."""
        assert self.proc is not None
        family = [p for p in _tree(self.proc.pid) if p != self.proc.pid]
        t0 = time.monotonic()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        while any(Path(f"/proc/{p}").exists() for p in family):
            if time.monotonic() - t0 > timeout_s:
                break
            time.sleep(0.05)
        return time.monotonic() - t0


def _settle(http: Any, headers: dict[str, str], timeout_s: float = 1800.0) -> None:
    """Until nothing is pending, processing or waiting for its review: a true idle phase."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        rows = http.get("/v1/contracts", params={"limit": 1000}, headers=headers).json()
        if all(c["status"] in ("ready", "failed") and c.get("stage") is None for c in rows):
            time.sleep(5.0)  # the indexer builds its indexes once nothing waits
            return
        time.sleep(1.0)
    raise SystemExit("the archive never became idle")


def _long_text(pdf_dir: Path, n: int) -> bytes:
    """A long text contract of its own for each stop trial (never a duplicate upload): the
    largest CUAD text contracts one after the other; its embedding takes a while."""
    texts = sorted((pdf_dir.parent / "contracts").glob("*.txt"), key=lambda p: -p.stat().st_size)
    body = "\n\n".join(p.read_text(errors="replace") for p in texts[:3])
    body = body or "The Supplier shall deliver the goods within 30 days. " * 5000
    return f"Stop trial {n} ({time.time():.0f})\n\n{body}".encode()


def _stop_in_flight(service: _Service, data_dir: Path, doc: bytes, headers: dict[str, str]) -> str:
    """Upload `doc`, wait until a worker holds it, SIGTERM the service; report the stop time
    and the document's state afterwards (read from the database)."""
    import sqlite3

    import httpx

    http = httpx.Client(base_url=service.base, headers=headers, timeout=120)
    r = http.post("/v1/contracts", files={"file": ("stop-trial.txt", doc, "text/plain")})
    cid = r.json()["id"]
    t0 = time.monotonic()
    stage = None
    while time.monotonic() - t0 < 600:
        c = http.get(f"/v1/contracts/{cid}").json()
        stage = c.get("stage")
        if c["status"] == "processing" and stage in ("text", "analysis", "embedding"):
            break
        time.sleep(0.3)
    time.sleep(1.0)
    c = http.get(f"/v1/contracts/{cid}").json()
    took = service.stop()
    db = sqlite3.connect(data_dir / "clausewise.db")
    try:
        status, claimed, attempts = db.execute(
            "SELECT status, claimed_by, attempts FROM contracts WHERE id = ?", (cid,)
        ).fetchone()
    finally:
        db.close()
    requeued = status == "pending" and claimed is None
    return (
        f"stopped {took:.1f} s after SIGTERM with a document in stage {c.get('stage')} "
        f"(progress {c.get('progress')}); afterwards: {status}, "
        f"{'requeued' if requeued else 'NOT requeued'}, claimed_by {claimed}, attempts {attempts}"
    )


def _table(title: str, idle: dict[str, list[float]], busy: dict[str, list[float]]) -> list[str]:
    lines = [
        title,
        f"{'endpoint':<16} {'idle p50':>9} {'idle p95':>9} {'busy p50':>11} "
        f"{'busy p95':>11} {'p95 ratio':>9} {'n idle/busy':>14}",
    ]
    for name in idle:
        a, b = idle[name], busy.get(name, [])
        ratio = _p(b, 0.95) / max(_p(a, 0.95), 1e-9)
        lines.append(
            f"{name:<16} {_p(a, 0.5):>8.0f}ms {_p(a, 0.95):>8.0f}ms {_p(b, 0.5):>10.0f}ms "
            f"{_p(b, 0.95):>10.0f}ms {ratio:>8.2f}x {len(a):>6}/{len(b):<7}"
        )
    all_b = [x for v in busy.values() for x in v]
    all_a = [x for v in idle.values() for x in v]
    lines.append(
        f"{'all':<16} {_p(all_a, 0.5):>8.0f}ms {_p(all_a, 0.95):>8.0f}ms "
        f"{_p(all_b, 0.5):>10.0f}ms {_p(all_b, 0.95):>10.0f}ms "
        f"{_p(all_b, 0.95) / max(_p(all_a, 0.95), 1e-9):>8.2f}x"
    )
    return lines


def run_bench_load(
    pdf_dir: Path,
    largest: int = 10,
    clients: int = 4,
    idle_s: float = 60.0,
    workers: int = 2,
    port: int = 8109,
    max_ingest_s: float = 900.0,
    keep_log: Path | None = None,
    sustained_clients: int = 0,
    sustained_s: float = 180.0,
    stop_trials: int = 1,
    from_data_dir: Path | None = None,
    echo: Any = print,
) -> str:
    """`from_data_dir`: start from a copy of this data directory (one whose library is
    already indexed: a cold start indexes the whole library, minutes on a busy CPU)."""
    import shutil

    import httpx

    files = sorted(pdf_dir.glob("*.pdf"), key=lambda p: -p.stat().st_size)[:largest]
    if not files:
        raise SystemExit(f"no PDFs in {pdf_dir}")
    base = f"http://127.0.0.1:{port}"
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="clausewise-bench-load-") as tmp:
        data = Path(tmp) / "data"
        if from_data_dir is not None:
            shutil.copytree(from_data_dir, data)
        env = {
            **os.environ,
            "CLAUSEWISE_DATA_DIR": str(data),
            "CLAUSEWISE_PORT": str(port),
            "CLAUSEWISE_BOOTSTRAP_ADMIN_KEY": ADMIN,
            "CLAUSEWISE_WORKERS": str(workers),
            "CLAUSEWISE_LOG_LEVEL": "WARNING",
        }
        for k in ("CLAUSEWISE_DATABASE_URL", "CLAUSEWISE_QDRANT_URL", "CLAUSEWISE_LIBRARY_DIR"):
            env.pop(k, None)
        log_path = Path(tmp) / "service.log"
        service = _Service(env, log_path, base)
        try:
            service.start()
            assert service.proc is not None
            echo(f"service ready after {service.ready_s:.0f} s")
            http = httpx.Client(base_url=base, timeout=60)
            admin = {"Authorization": f"Bearer {ADMIN}"}
            r = http.post("/v1/keys", json={"name": "bench", "role": "rep"}, headers=admin)
            key = r.json()["key"]
            rep = {"Authorization": f"Bearer {key}"}
            # A first contract, so archive search and the contract page have something: the
            # smallest PDF (the largest are for the ingestion phase).
            seed = min(pdf_dir.glob("*.pdf"), key=lambda p: p.stat().st_size)
            r = http.post(
                "/v1/contracts",
                params={"wait": "true"},
                files={"file": (seed.name, seed.read_bytes())},
                headers=rep,
                timeout=900,
            )
            body = r.json()
            cid = body.get("id") or body["error"]["details"]["contract"]["id"]
            _settle(http, rep)
            mem = _Memory(service.proc.pid)
            idle_mem = mem.snapshot()
            load = _Load(base, key, cid, clients)
            echo("idle phase")
            t_idle = time.monotonic()
            idle = load.run_until(lambda: time.monotonic() - t_idle > idle_s)
            idle_errors = dict(load.errors)
            load.errors.clear()

            ids = []
            for f in files:
                r = http.post(
                    "/v1/contracts", files={"file": (f.name, f.read_bytes())}, headers=rep
                )
                ids.append(r.json().get("id") or r.json()["error"]["details"]["contract"]["id"])
            t_ing = time.monotonic()
            echo(f"ingestion phase ({len(ids)} PDFs)")

            def ingested() -> bool:
                if time.monotonic() - t_ing > max_ingest_s:
                    return True
                try:  # a fresh connection: a kept-alive one may have been closed meanwhile
                    r = httpx.get(
                        f"{base}/v1/contracts", params={"limit": 1000}, headers=rep, timeout=60
                    )
                except httpx.TransportError:
                    return service.proc is None or service.proc.poll() is not None
                rows = r.json()
                return all(c["status"] in ("ready", "failed") for c in rows if c["id"] in ids)

            with mem:
                busy = load.run_until(ingested)
            ingest_s = time.monotonic() - t_ing
            busy_errors = dict(load.errors)
            load.errors.clear()
            http = httpx.Client(base_url=base, timeout=60)
            rows = http.get("/v1/contracts", params={"limit": 1000}, headers=rep).json()
            done = sum(c["status"] in ("ready", "failed") for c in rows if c["id"] in ids)
            pages = sum(c["page_count"] or 0 for c in rows if c["id"] in ids)

            lines += [
                f"service: /healthz first answered {service.first_answer:.1f} s after start, "
                f"ready {service.ready_s:.1f} s",
                f"ingestion: {done}/{len(ids)} of the largest CUAD PDFs ({pages} pages) done in "
                f"{ingest_s:.0f} s (measured for at most {max_ingest_s:.0f} s) with {workers} "
                f"worker processes; {clients} clients meanwhile",
                "",
            ]
            lines += _table("idle vs during ingestion", idle, busy)
            errs = {k: v for k, v in {**idle_errors, **busy_errors}.items() if v}
            lines.append(f"5xx or transport errors: {errs or 'none'}")
            lines.append("")
            lines += _memory_lines(idle_mem, mem)
            echo("\n".join(lines))
            sustained: dict[str, list[float]] = {}
            sustained_errors: dict[str, int] = {}
            if sustained_clients:
                # Not waiting for the ingestion's end: the many clients meet what is left of it.
                left = sum(c["status"] in ("pending", "processing") for c in rows)
                echo(f"sustained phase: {sustained_clients} clients for {sustained_s:.0f} s")
                many = _Load(base, key, cid, sustained_clients)
                t_s = time.monotonic()
                sustained = many.run_until(lambda: time.monotonic() - t_s > sustained_s)
                sustained_errors = dict(many.errors)
                n_contracts = len(rows)
                block: list[str] = []
                total = sum(len(v) for v in sustained.values())
                block += [
                    "",
                    f"{sustained_clients} clients for {sustained_s:.0f} s over {n_contracts} "
                    f"contracts ({left} still being processed at its start): "
                    f"{total / sustained_s:.1f} requests/s",
                    f"{'endpoint':<16} {'p50':>8} {'p95':>8} {'max':>8} {'n':>7}",
                ]
                for name, v in sustained.items():
                    block.append(
                        f"{name:<16} {_p(v, 0.5):>6.0f}ms {_p(v, 0.95):>6.0f}ms "
                        f"{max(v):>6.0f}ms {len(v):>7}"
                    )
                errs = {k: v for k, v in sustained_errors.items() if v}
                block.append(f"5xx or transport errors: {errs or 'none'}")
                echo("\n".join(block))
                lines += block
            lines.append("")
            for trial in range(1, stop_trials + 1):
                if trial > 1:
                    service.start()
                lines.append(
                    f"stop {trial}: "
                    + _stop_in_flight(service, data, _long_text(pdf_dir, trial), rep)
                )
                echo(lines[-1])
        finally:
            if service.proc is not None and service.proc.poll() is None:
                service.stop()
            if keep_log is not None:
                keep_log.write_bytes(log_path.read_bytes())
    return "\n".join(lines)
