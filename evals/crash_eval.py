"""`clausewise eval crash`: kill -9 during bulk ingestion, restart, and count what broke.

Each trial adds a small batch of contracts to a folder and runs the real `clausewise ingest
FOLDER` in a process group of its own (the ingest process owns the vector store and runs the
indexer; its worker processes and their parse children do the work). The kill moment is a
point in the batch's progress (`evals.crash_points`: "the k-th contract of the batch has
reached stage S", polled from the database), drawn with a seed, so that a busy machine moves
the moment but not where in the ingestion it lands. A run that ends before its point is met
is "no kill": it is checked like the others, counted apart, and retried with a new batch.
At the point it kills, with SIGKILL, one of:

- `group`: every process of the run at once (the machine lost power, or the OOM killer took
  the lot);
- `main`: the ingest process only (its workers notice and stop on their own);
- `worker`: the worker holding the k-th contract (or any worker when none holds it); the run
  goes on, its job is taken over when the lease ends, and the run must finish with exit
  code 0.

The trials of a backend share one data directory (and database), set up once by a first run
(migrations, the clause library), so that a trial costs two ingest runs on a few small
contracts.

Right after the kill ("crash state"), a contract that is `ready` must already have its
vectors in the store. Then the same command runs again ("restart") and must finish with exit
code 0, after which every contract of the folder is checked:

- lost: a file of the folder without a contract;
- duplicated: a file with more than one contract, or a contract's vector stored twice (the
  same segment and span under two ids: processed twice);
- stuck: a contract still `pending` or `processing`, or `failed` (none of these files is bad);
- half-indexed: a ready contract without vectors in the store (at the crash or after the
  restart), vectors of a contract that is not ready, hand-over rows left in the database, or
  a ready contract without its text.

Runs on SQLite and on PostgreSQL (a database it creates and drops). The clause library is a
two-file subset of the shipped one unless `full_library` is set: the library's first
indexing takes minutes on a busy CPU and is not what these trials test.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from evals.crash_points import (
    STAGES,
    BatchProgress,
    KillPoint,
    draw_kill_point,
    holder,
    observed_stage,
    wait_for_point,
)

LIBRARY_SUBSET = ("governing_law.yaml", "confidentiality.yaml")
PROBLEMS = ("lost", "duplicated", "stuck", "half_indexed")
TIMED_OUT = -1000  # the return code noted for a run that did not finish in time


@dataclass
class Trial:
    backend: str
    n: int
    point: KillPoint
    contracts: int
    mode: str = ""  # what was killed (the point's mode, or `main` when no worker was up yet)
    killed: bool = True  # False when the run ended before its kill point was met
    observed: str = ""  # the stage the k-th contract of the batch was seen at, at the kill
    kill_at_s: float = 0.0  # from the start of the run to the kill
    run_rc: int = 0  # the killed run's own exit code, where it went on (`worker`) or ended
    crash_state: dict[str, int] = field(default_factory=dict)
    restart_s: float = 0.0
    restart_rc: int = 0
    total_s: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.mode = self.mode or self.point.mode

    @property
    def failed_runs(self) -> int:
        """Runs that should have finished and did not: the restart, and the run that went on
        after one of its workers was killed (or that ended before its point)."""
        return sum(rc not in (0, TIMED_OUT) for rc in (self.restart_rc, self.run_rc))

    @property
    def problems(self) -> int:
        return sum(self.counts.get(k, 0) for k in PROBLEMS) + self.failed_runs

    def line(self) -> str:
        c = self.counts
        crash = " ".join(f"{k} {v}" for k, v in self.crash_state.items())
        kill = (
            f"kill -9 {self.mode:<6} at {self.point.label():<12} (seen {self.observed}, "
            f"{self.kill_at_s:5.1f} s)"
            if self.killed
            else f"no kill: the run ended before {self.point.label()} (rc {self.run_rc})"
        )
        rc = "TIMED OUT" if self.restart_rc == TIMED_OUT else f"rc {self.restart_rc}"
        if self.killed and self.mode == "worker":
            rc = f"run rc {self.run_rc}, {rc}"
        left = f" (unfinished {c['unfinished']})" if "unfinished" in c else ""
        return (
            f"{self.backend:<8} trial {self.n:>2}  {kill}  contracts {self.contracts:>3}  "
            f"[at the crash: {crash}]  restart {self.restart_s:5.1f} s {rc}{left}  "
            f"lost {c.get('lost', 0)} duplicated {c.get('duplicated', 0)} "
            f"stuck {c.get('stuck', 0)} half-indexed {c.get('half_indexed', 0)}  "
            f"({self.total_s:.0f} s)"
        )


@dataclass
class CrashReport:
    trials: list[Trial] = field(default_factory=list)

    def totals(self, backend: str | None = None) -> dict[str, int]:
        out: Counter[str] = Counter()
        for t in self.trials:
            if backend is None or t.backend == backend:
                out.update({k: t.counts.get(k, 0) for k in PROBLEMS})
                out["failed restarts"] += t.failed_runs
                out["timed-out restarts"] += TIMED_OUT in (t.restart_rc, t.run_rc)
                out["kills"] += t.killed
                out["no kill"] += not t.killed
        return dict(out)

    @property
    def ok(self) -> bool:
        return all(t.problems == 0 for t in self.trials)

    def _summary(self, name: str, trials: list[Trial]) -> list[str]:
        tot = self.totals(None if name == "total" else name)
        killed = [t for t in trials if t.killed]
        modes = Counter(t.mode for t in killed)
        points = Counter(t.observed for t in killed)
        took = sorted(t.total_s for t in killed)
        median = took[len(took) // 2] if took else 0.0
        return [
            f"{name}: {tot.get('kills', 0)} kill -9 trials ({tot.get('no kill', 0)} runs ended "
            f"before their kill point, not counted): "
            + ", ".join(f"{k.replace('_', '-')} {tot.get(k, 0)}" for k in PROBLEMS)
            + f", failed restarts {tot.get('failed restarts', 0)}"
            + f", timed-out restarts {tot.get('timed-out restarts', 0)}",
            "  killed: " + ", ".join(f"{m} {k}" for m, k in sorted(modes.items())),
            "  at (stage seen): "
            + ", ".join(f"{s} {points[s]}" for s in (*STAGES, "none") if points[s]),
            f"  trial time: median {median:.0f} s, max {took[-1] if took else 0:.0f} s, "
            f"all {sum(t.total_s for t in trials) / 60:.1f} min",
        ]

    def render(self) -> str:
        lines = []
        for backend in dict.fromkeys(t.backend for t in self.trials):
            lines += self._summary(backend, [t for t in self.trials if t.backend == backend])
        lines += self._summary("total", self.trials)
        return "\n".join(lines)


# -- the backends


@contextlib.contextmanager
def _postgres(admin_url: str) -> Iterator[str]:
    """A fresh database on the server, dropped afterwards."""
    import sqlalchemy as sa

    name = f"cw_crash_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


# -- reading the state of a data directory (no process of the run is alive meanwhile,
# except, after a `main` kill, workers about to notice; they never open the store)


def _points_per_contract(vectors: Path) -> tuple[dict[str, int], int]:
    """Points per contract in the embedded store's archive collection, and how many points
    repeat another of the same contract (the same segment and span: indexed twice)."""
    from retrieval import EdgeStore
    from retrieval.store import CollectionSpec

    metas = [
        p / EdgeStore.META
        for p in sorted(vectors.glob("archive_v*"))
        if (p / EdgeStore.META).exists()
    ]
    if not metas:
        return {}, 0
    store = EdgeStore(vectors)
    try:
        spec = CollectionSpec.model_validate(json.loads(metas[-1].read_text()))
        store.ensure_collection(spec)
        hits = store.scroll(spec.name, None, ["contract_id", "segment", "start", "end"])
    finally:
        store.close()
    keys = Counter(
        tuple(h.payload.get(k) for k in ("contract_id", "segment", "start", "end")) for h in hits
    )
    counts = Counter(str(h.payload.get("contract_id")) for h in hits)
    return dict(counts), sum(n - 1 for n in keys.values())


Row = tuple[str, str, str, bool]  # id, sha256, status, has its text


def _rows(db_url: str) -> tuple[list[Row], set[str]]:
    """Every contract, and the contracts that still have hand-over rows."""
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT id, sha256, status, text IS NOT NULL FROM contracts")
            ).all()
            handed = conn.execute(sa.text("SELECT DISTINCT contract_id FROM contract_vectors"))
            waiting = {str(r[0]) for r in handed}
    finally:
        engine.dispose()
    return [(str(r[0]), str(r[1]), str(r[2]), bool(r[3])) for r in rows], waiting


def crash_state(db_url: str, vectors: Path) -> dict[str, int]:
    """Right after a kill: how many contracts are where, and how many are ready without
    their vectors (which a restart would have to repair)."""
    rows, _ = _rows(db_url)
    points, _ = _points_per_contract(vectors)
    status = Counter(r[2] for r in rows)
    ready_without = sum(1 for r in rows if r[2] == "ready" and not points.get(r[0]))
    return {
        "ready": status["ready"],
        "processing": status["processing"],
        "pending": status["pending"],
        "ready-without-vectors": ready_without,
    }


def check(db_url: str, vectors: Path, files: list[Path]) -> dict[str, int]:
    """The counts after a restart, for the contracts of `files`."""
    rows, handed = _rows(db_url)
    points, repeated = _points_per_contract(vectors)
    by_sha: dict[str, list[Row]] = {}
    for r in rows:
        by_sha.setdefault(r[1], []).append(r)
    shas = [hashlib.sha256(f.read_bytes()).hexdigest() for f in files]
    lost = sum(1 for s in shas if s not in by_sha)
    duplicated = sum(len(v) - 1 for v in by_sha.values() if len(v) > 1) + repeated
    stuck = sum(1 for r in rows if r[2] != "ready")
    ready = {r[0] for r in rows if r[2] == "ready"}
    half = sum(1 for r in rows if r[2] == "ready" and (not points.get(r[0]) or not r[3]))
    half += sum(1 for cid in points if cid not in ready)
    half += len(handed)
    return {
        "contracts": len(rows),
        "lost": lost,
        "duplicated": duplicated,
        "stuck": stuck,
        "half_indexed": half,
    }


# -- the runs


def _descendants(pid: int) -> list[int]:
    """Processes below `pid` (workers, their parse children), from /proc."""
    kids: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.append(k)
            todo.append(k)
    return out


def _workers_of(pid: int, name: str | None = None) -> list[int]:
    """The worker processes below `pid` (the one claiming as `name`, if given)."""
    out = []
    for k in _descendants(pid):
        with contextlib.suppress(OSError):
            argv = Path(f"/proc/{k}/cmdline").read_bytes().split(b"\0")
            if b"worker" in argv and (name is None or name.encode() in argv):
                out.append(k)
    return out


def _worker_named(pid: int, name: str | None) -> int | None:
    found = _workers_of(pid, name) if name else []
    return found[0] if found else None


class _Runner:
    def __init__(self, env: dict[str, str], folder: Path, logs: Path, workers: int) -> None:
        self.env, self.folder, self.logs, self.workers = env, folder, logs, workers
        self.cmd = [
            sys.executable,
            "-m",
            "ai_service.cli",
            "ingest",
            str(folder),
            "--workers",
            str(workers),
        ]

    def start(self, name: str) -> subprocess.Popen[bytes]:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115
        return subprocess.Popen(
            self.cmd, env=self.env, stdout=log, stderr=log, start_new_session=True
        )

    def finish(self, name: str, timeout_s: float) -> tuple[int, float]:
        t0 = time.monotonic()
        p = self.start(name)
        try:
            rc = p.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            _kill_group(p)
            rc = TIMED_OUT
        return rc, time.monotonic() - t0


def _kill_group(p: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(p.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        p.wait(timeout=10)


def _wait_group_gone(pgid: int, timeout_s: float = 15.0) -> None:
    """Workers left by a `main` kill stop by themselves within a second or two."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


class _Backend:
    """One data directory (and database) that the trials of one backend accumulate in."""

    def __init__(
        self,
        name: str,
        db_url: str | None,
        contracts: list[Path],
        *,
        seed: int,
        workers: int,
        lease_s: float,
        full_library: bool,
        work: Path,
    ) -> None:
        self.name = name
        self.rng = random.Random(f"{seed}-{name}")
        self.data, self.folder, logs = work / "data", work / "in", work / "logs"
        for d in (self.data, self.folder, logs):
            d.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "CLAUSEWISE_DATA_DIR": str(self.data),
            "CLAUSEWISE_LEASE_S": f"{lease_s:g}",
            "CLAUSEWISE_LOG_LEVEL": "WARNING",
            "CLAUSEWISE_BOOTSTRAP_ADMIN_KEY": "cw_crash_eval_admin_key_000000",
            # No queries to protect here: the workers need not yield the CPU to this process.
            "CLAUSEWISE_WORKER_NICE": "0",
        }
        for k in ("CLAUSEWISE_QDRANT_URL", "CLAUSEWISE_DATABASE_URL", "CLAUSEWISE_LIBRARY_DIR"):
            env.pop(k, None)
        if db_url:
            env["CLAUSEWISE_DATABASE_URL"] = db_url
        if not full_library:
            lib = work / "library"
            lib.mkdir(exist_ok=True)
            from clause_index.library import DEFAULT_LIBRARY_DIR

            for f in LIBRARY_SUBSET:
                shutil.copy(DEFAULT_LIBRARY_DIR / f, lib / f)
            env["CLAUSEWISE_LIBRARY_DIR"] = str(lib)
        self.url = db_url or f"sqlite:///{(self.data / 'clausewise.db').resolve()}"
        self.runner = _Runner(env, self.folder, logs, workers)
        self.pool = list(contracts)
        self.rng.shuffle(self.pool)

    def warm_up(self, timeout_s: float) -> float:
        """A first run on an empty folder: migrations and the library, timed. The trials
        then share this data directory (and database), each adding a batch of its own."""
        rc, took = self.runner.finish("warm-up", timeout_s)
        if rc != 0:
            raise SystemExit(f"{self.name}: the first ingest run failed (rc {rc})")
        return took

    def trial(self, n: int, per_trial: int, timeout_s: float) -> Trial:
        rng = self.rng
        if len(self.pool) < per_trial:
            raise SystemExit(f"{self.name}: out of contracts for new batches")
        batch = [self.pool.pop() for _ in range(per_trial)]
        for f in batch:
            shutil.copy(f, self.folder / f.name)
        shas = [hashlib.sha256(f.read_bytes()).hexdigest() for f in batch]
        point = draw_kill_point(rng, len(batch))
        trial = Trial(self.name, n, point, contracts=len(list(self.folder.iterdir())))
        t0 = time.monotonic()
        p = self.runner.start(f"trial-{n:02d}")
        progress = BatchProgress(self.url)
        try:
            seen = wait_for_point(
                lambda: p.poll() is None,
                lambda: progress.poll(shas),
                point,
                timeout_s=timeout_s,
            )
        finally:
            progress.close()
        if seen is None:
            trial.killed = False  # the run ended (or timed out) before the point was met
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=1)
            if p.poll() is None:  # timed out
                _kill_group(p)
                trial.run_rc = TIMED_OUT
            else:
                trial.run_rc = p.returncode
        else:
            trial.observed = observed_stage(point, [r for r, _ in seen])
            if point.mode == "group":
                os.killpg(p.pid, signal.SIGKILL)
            elif point.mode == "main":
                p.kill()
            else:
                victim = _worker_named(p.pid, holder(point, seen))
                if victim is None:  # nobody holds it now: any worker
                    victims = _workers_of(p.pid)
                    victim = rng.choice(victims) if victims else None
                if victim is None:  # the workers have not started yet
                    trial.mode = "main"
                    p.kill()
                else:
                    os.kill(victim, signal.SIGKILL)
            trial.kill_at_s = round(time.monotonic() - t0, 1)
            if trial.mode == "worker":
                # The run goes on without it: the pool starts another, the job is taken over
                # after its lease; the run itself must finish everything.
                try:
                    trial.run_rc = p.wait(timeout=timeout_s)
                except subprocess.TimeoutExpired:
                    _kill_group(p)
                    trial.run_rc = TIMED_OUT
            else:
                p.wait(timeout=30)
        _wait_group_gone(p.pid)
        trial.crash_state = crash_state(self.url, self.data / "vectors")
        rc, took = self.runner.finish(f"restart-{n:02d}", timeout_s)
        trial.restart_rc, trial.restart_s = rc, took
        trial.counts = check(self.url, self.data / "vectors", sorted(self.folder.iterdir()))
        trial.counts["half_indexed"] += trial.crash_state["ready-without-vectors"]
        if rc == TIMED_OUT:
            # Not finished in time (a busy machine): what is left is the next run's to finish,
            # and counts as the timeout, not as stuck.
            trial.counts["unfinished"] = trial.counts.pop("stuck")
        trial.total_s = round(time.monotonic() - t0, 1)
        return trial


def run_crash_eval(
    contracts_dir: Path,
    *,
    backends: tuple[str, ...] = ("sqlite", "postgres"),
    trials: int = 20,
    per_trial: int = 3,
    seed: int = 0,
    workers: int = 2,
    lease_s: float = 10.0,
    max_bytes: int = 40_000,
    pg_admin_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    full_library: bool = False,
    keep: Path | None = None,
    timeout_s: float = 1800.0,
    budget_s: float | None = None,
    parallel: bool = False,
    echo: Callable[[str], None] = print,
) -> CrashReport:
    """`trials` kill -9 trials per backend, `per_trial` new contracts each (drawn from the
        smallest text contracts under `max_bytes`, so that trials are quick). A run that ends
        before its kill point is met is retried with a new batch (at most `trials` retries per
        backend). No new trial starts once `budget_s` has passed since the start. With `parallel`
    the backends run side by side (each with `workers` workers), one after the other otherwise."""
    t0 = time.monotonic()
    contracts = sorted(
        (
            f
            for f in contracts_dir.iterdir()
            if f.suffix.lower() in (".txt", ".pdf", ".docx") and f.stat().st_size <= max_bytes
        ),
        key=lambda f: (f.stat().st_size, f.name),
    )
    need = 2 * trials * per_trial  # room for the retries of runs that ended first
    if len(contracts) < trials * per_trial:
        raise SystemExit(f"{contracts_dir}: {len(contracts)} contracts under {max_bytes} bytes")
    contracts = contracts[:need]
    report = CrashReport()
    root = keep or Path(tempfile.mkdtemp(prefix="clausewise-crash-"))
    try:
        with contextlib.ExitStack() as stack:
            backs = [
                _Backend(
                    name,
                    stack.enter_context(_postgres(pg_admin_url)) if name == "postgres" else None,
                    contracts,
                    seed=seed,
                    workers=workers,
                    lease_s=lease_s,
                    full_library=full_library,
                    work=root / name,
                )
                for name in backends
            ]

            def trials_of(b: _Backend) -> None:
                took = b.warm_up(timeout_s)
                echo(f"{b.name}: start-up of an ingest run {took:.1f} s (library indexed)")
                killed = tries = 0
                while killed < trials and tries < 2 * trials and len(b.pool) >= per_trial:
                    if budget_s is not None and time.monotonic() - t0 > budget_s:
                        break
                    tries += 1
                    trial = b.trial(tries, per_trial, timeout_s)
                    killed += trial.killed
                    echo(trial.line())
                    report.trials.append(trial)

            if not parallel:
                for b in backs:
                    trials_of(b)
            else:
                # One thread per backend: each has its own data directory, database and
                # process groups, so their trials interleave as they would on two machines.
                with ThreadPoolExecutor(len(backs)) as ex:
                    for f in [ex.submit(trials_of, b) for b in backs]:
                        f.result()
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return report
