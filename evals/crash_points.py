"""Where a crash trial kills: a point in the progress of its batch, not a moment on the clock.

A kill point is a stage and an ordinal: "kill once the k-th contract of the batch has
reached stage S (or gone past it)". The trial polls the database and kills at the first
observation that meets it, so a busy machine (slow start-up, slow model) moves the moment
but not where in the ingestion it lands. A run that ends before its point is met is "no
kill": retried with a new batch, never counted as a trial.

The stages, in order, as the contracts table shows them:

- `uploaded`: the row exists (`pending`): uploads and the first claims;
- `text`, `analysis`, `embedding`: a worker holds it (`processing`; the stage is written by
  the worker's heartbeat, so a short stage can be passed between two observations);
- `index`: its vectors wait in the database for the store's owner;
- `ready`: indexed (and reviewed after, by a worker).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

STAGES = ("uploaded", "text", "analysis", "embedding", "index", "ready")
RANK = {s: i for i, s in enumerate(STAGES)}
# Where a worker holds a contract of the batch: a `worker` kill then takes the one holding
# the k-th contract (on `ready`, the one reviewing it). At `uploaded` no worker may have
# started yet, and at `index` the store's owner holds the contract, not a worker.
WORKER_STAGES = ("text", "analysis", "embedding", "ready")
MODES = ("group", "main", "worker")


@dataclass(frozen=True)
class KillPoint:
    stage: str
    k: int  # the k-th contract of the batch to reach `stage`
    mode: str  # what is killed: "group", "main" or "worker"

    def label(self) -> str:
        return f"{self.stage} #{self.k}"


def draw_kill_point(rng: random.Random, batch: int) -> KillPoint:
    """A stage, uniformly; the ordinal, uniformly among those the run can still be killed at
    (not `ready` of the last contract: the run ends then); the mode, among those that fit."""
    stage = rng.choice(STAGES)
    top = batch - 1 if stage == "ready" and batch > 1 else batch
    k = rng.randint(1, top)
    modes = MODES if stage in WORKER_STAGES else tuple(m for m in MODES if m != "worker")
    return KillPoint(stage, k, rng.choice(modes))


def rank(status: str, stage: str | None) -> int:
    """How far one contract has got; -1 for `failed` (never reaches a point)."""
    if status == "pending":
        return RANK["uploaded"]
    if status == "processing":
        return RANK.get(stage or "text", RANK["text"])
    if status == "ready":
        return RANK["ready"]
    return -1


def reached(point: KillPoint, ranks: Sequence[int]) -> bool:
    """Whether the batch's observed ranks meet the point."""
    return sum(r >= RANK[point.stage] for r in ranks) >= point.k


def observed_stage(point: KillPoint, ranks: Sequence[int]) -> str:
    """Where the k-th contract of the batch actually was at the kill (the stage the point
    names, or a later one when the earlier was passed between two observations)."""
    ordered = sorted(ranks, reverse=True)
    r = ordered[point.k - 1] if len(ordered) >= point.k else -1
    return STAGES[r] if r >= 0 else "none"


Observation = list[tuple[int, str | None]]  # per contract of the batch: rank, who holds it


class BatchProgress:
    """Polls where the contracts of a batch (by content hash) are, on its own connection."""

    def __init__(self, db_url: str) -> None:
        import sqlalchemy as sa

        self._sa = sa
        self.engine = sa.create_engine(db_url)

    def poll(self, shas: Sequence[str]) -> Observation | None:
        """None when the database cannot be read at the moment (being created or migrated,
        or locked for a moment)."""
        sa = self._sa
        q = sa.text(
            "SELECT status, stage, claimed_by FROM contracts WHERE sha256 IN :shas"
        ).bindparams(sa.bindparam("shas", expanding=True))
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(q, {"shas": list(shas)}).all()
        except Exception:
            return None
        return [(rank(str(r[0]), r[1]), r[2]) for r in rows]

    def close(self) -> None:
        self.engine.dispose()


def wait_for_point(
    alive: Callable[[], bool],
    poll: Callable[[], Observation | None],
    point: KillPoint,
    *,
    every_s: float = 0.1,
    timeout_s: float = 3600.0,
) -> Observation | None:
    """Poll until the point is met (its observation) or the run ends first (None)."""
    deadline = time.monotonic() + timeout_s
    while alive() and time.monotonic() < deadline:
        seen = poll()
        if seen is not None and reached(point, [r for r, _ in seen]):
            return seen
        time.sleep(every_s)
    return None


def holder(point: KillPoint, seen: Observation) -> str | None:
    """Who holds the k-th contract at the kill, if a worker does (the `worker` kill's
    victim)."""
    held = sorted(seen, key=lambda o: o[0], reverse=True)
    if len(held) < point.k:
        return None
    who = held[point.k - 1][1]
    return who if who and who.startswith("w-") else None
