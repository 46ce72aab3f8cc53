"""`clausewise bench load`: do queries wait for ingestion? Starts the real service (its own
data directory and port, worker processes as configured), then times the user-facing
endpoints from several clients, first idle and then while the largest real contracts (CUAD
PDFs) are ingested. Prints p50/p95 per endpoint for both phases and their ratio."""

from __future__ import annotations

import os
import statistics
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


def run_bench_load(
    pdf_dir: Path,
    largest: int = 10,
    clients: int = 4,
    idle_s: float = 60.0,
    workers: int = 2,
    port: int = 8109,
    max_ingest_s: float = 900.0,
    keep_log: Path | None = None,
) -> str:
    import httpx

    files = sorted(pdf_dir.glob("*.pdf"), key=lambda p: -p.stat().st_size)[:largest]
    if not files:
        raise SystemExit(f"no PDFs in {pdf_dir}")
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="clausewise-bench-load-") as tmp:
        env = {
            **os.environ,
            "CLAUSEWISE_DATA_DIR": str(Path(tmp) / "data"),
            "CLAUSEWISE_PORT": str(port),
            "CLAUSEWISE_BOOTSTRAP_ADMIN_KEY": ADMIN,
            "CLAUSEWISE_WORKERS": str(workers),
            "CLAUSEWISE_LOG_LEVEL": "WARNING",
        }
        env.pop("CLAUSEWISE_DATABASE_URL", None)
        env.pop("CLAUSEWISE_QDRANT_URL", None)
        log = open(Path(tmp) / "service.log", "wb")  # noqa: SIM115
        t_start = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "ai_service.cli", "serve"], env=env, stdout=log, stderr=log
        )
        try:
            http = httpx.Client(base_url=base, timeout=60)
            first_answer = None
            while True:
                if proc.poll() is not None:
                    raise SystemExit(f"the service exited; see {tmp}/service.log")
                try:
                    r = http.get("/healthz")
                    if first_answer is None:
                        first_answer = time.monotonic() - t_start
                    if r.status_code == 200 and r.json().get("status") == "ok":
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.5)
            ready_s = time.monotonic() - t_start
            admin = {"Authorization": f"Bearer {ADMIN}"}
            r = http.post("/v1/keys", json={"name": "bench", "role": "rep"}, headers=admin)
            key = r.json()["key"]
            rep = {"Authorization": f"Bearer {key}"}
            # A first contract, so archive search and the contract page have something.
            seed = files[-1]
            r = http.post(
                "/v1/contracts",
                params={"wait": "true"},
                files={"file": (seed.name, seed.read_bytes())},
                headers=rep,
                timeout=900,
            )
            cid = r.json().get("id") or r.json()["error"]["details"]["contract"]["id"]
            load = _Load(base, key, cid, clients)
            t_idle = time.monotonic()
            idle = load.run_until(lambda: time.monotonic() - t_idle > idle_s)
            idle_errors = dict(load.errors)
            load.errors.clear()

            ids = []
            for f in files[:-1]:
                r = http.post(
                    "/v1/contracts", files={"file": (f.name, f.read_bytes())}, headers=rep
                )
                ids.append(r.json()["id"])
            t_ing = time.monotonic()

            def ingested() -> bool:
                if time.monotonic() - t_ing > max_ingest_s:
                    return True
                try:  # a fresh connection: a kept-alive one may have been closed meanwhile
                    r = httpx.get(
                        f"{base}/v1/contracts", params={"limit": 1000}, headers=rep, timeout=60
                    )
                except httpx.TransportError:
                    return proc.poll() is not None
                rows = r.json()
                return all(c["status"] in ("ready", "failed") for c in rows if c["id"] in ids)

            busy = load.run_until(ingested)
            ingest_s = time.monotonic() - t_ing
            http = httpx.Client(base_url=base, timeout=60)
            rows = http.get("/v1/contracts", params={"limit": 1000}, headers=rep).json()
            done = sum(c["status"] in ("ready", "failed") for c in rows if c["id"] in ids)
            pages = sum(c["page_count"] or 0 for c in rows if c["id"] in ids)
        finally:
            proc.terminate()
            t_stop = time.monotonic()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
            stop_s = time.monotonic() - t_stop
            log.close()
            if keep_log is not None:
                keep_log.write_bytes((Path(tmp) / "service.log").read_bytes())
    lines = [
        f"service: /healthz first answered {first_answer:.1f} s after start, ready "
        f"{ready_s:.1f} s; stopped {stop_s:.1f} s after SIGTERM",
        f"ingestion: {done}/{len(ids)} of the largest CUAD PDFs ({pages} pages) in "
        f"{ingest_s:.0f} s with {workers} worker processes; {clients} clients meanwhile",
        "",
        f"{'endpoint':<16} {'idle p50':>9} {'idle p95':>9} {'ingest p50':>11} "
        f"{'ingest p95':>11} {'p95 ratio':>9} {'n idle/ingest':>14}",
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
    errs = {k: v for k, v in {**idle_errors, **load.errors}.items() if v}
    lines.append(f"5xx or transport errors: {errs or 'none'}")
    lines.append(f"(mean ingest latency {statistics.fmean(all_b) if all_b else 0:.0f} ms)")
    return "\n".join(lines)
